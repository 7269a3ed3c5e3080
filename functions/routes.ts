/**
 * The HTTP API of contract.md as data: one entry per route, one handler module per route. Methods and paths come from
 * shared/contract/routes.ts, the table the API client reads too; this file adds what only the server needs. The local
 * stack mounts these on its HTTPS server and the CDK app turns each into a NodejsFunction and an HTTP API route, so the
 * two never disagree on paths or authorization. What a function may do with the table is not declared here: the CDK
 * app derives it from the handler's code (infra/table-access.ts).
 */

import { API_ROUTES, type HttpMethod, ROUTE_IDS, type RouteId } from '../shared/contract/routes.ts';

export type { HttpMethod };

/**
 * API Gateway's catch-all route key: a request that matches no `METHOD /path` route goes to the `$default` route
 * ("Create routes for HTTP APIs in API Gateway", "Working with the $default route",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html). Without one, API Gateway
 * answers such requests itself with `404 {"message":"Not Found"}`, in English and not in the contract's shape.
 */
export const DEFAULT_ROUTE_KEY = '$default';

interface RouteCommon {
  /** Stable id, also the handler's file name: functions/handlers/<id>.ts exporting `handler`. */
  readonly id: string;
  /** Whether the handler reads the ISTAT reference data (copied into its bundle). */
  readonly needsReferenceData: boolean;
}

/** A route of the contract: one method on one path template. */
export interface PathRouteDef extends RouteCommon {
  readonly method: HttpMethod;
  /** API Gateway path template. */
  readonly path: string;
  /** False only for GET /v1/health: the JWT authorizer is on every other path route. */
  readonly authorized: boolean;
}

/**
 * The `$default` route: every request no path route matches (an unknown path, or a known path with another method),
 * answered with the contract's Italian 404, or 405 with `Allow`. No authorizer: it reads no data and reveals nothing
 * the contract does not publish (the paths and their methods), and a token is no reason to answer differently.
 */
export interface CatchAllRouteDef extends RouteCommon {
  readonly method: typeof DEFAULT_ROUTE_KEY;
  readonly authorized: false;
}

export type RouteDef = PathRouteDef | CatchAllRouteDef;

export function isPathRoute(route: RouteDef): route is PathRouteDef {
  return route.method !== DEFAULT_ROUTE_KEY;
}

/** API Gateway's route key: `GET /v1/health`, or `$default`. */
export function routeKey(route: RouteDef): string {
  return isPathRoute(route) ? `${route.method} ${route.path}` : DEFAULT_ROUTE_KEY;
}

/**
 * Whether each route's handler reads the ISTAT reference data (copied into its bundle). Keyed by the shared table's
 * ids, so a route added there without saying this here does not type-check.
 */
const NEEDS_REFERENCE_DATA: Readonly<Record<RouteId, boolean>> = {
  health: false,
  listTemplates: false,
  getTemplate: false,
  validate: true,
  putSubmission: true,
  getSubmission: false,
  getSubmissionDocument: false,
  reviewSubmission: false,
  getAudit: false,
  putRegionAts: true,
  listRegionAts: false,
  getRegionParameters: false,
  putRegionParameters: false,
  consolidated: true,
};

/** The contract's routes (shared/contract/routes.ts, which the API client reads too) with the server's wiring. */
export const PATH_ROUTES: readonly PathRouteDef[] = ROUTE_IDS.map((id) => ({
  id,
  ...API_ROUTES[id],
  needsReferenceData: NEEDS_REFERENCE_DATA[id],
}));

/** The catch-all route (its handler: functions/handlers/unmatched.ts). */
export const CATCH_ALL_ROUTE: CatchAllRouteDef = {
  id: 'unmatched',
  method: DEFAULT_ROUTE_KEY,
  authorized: false,
  needsReferenceData: false,
};

/** Every route, each with its own function: the contract's, then the catch-all. */
export const ROUTES: readonly RouteDef[] = [...PATH_ROUTES, CATCH_ALL_ROUTE];
