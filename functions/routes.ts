/**
 * The HTTP API of contract.md as data: one entry per route, one handler module per route. The local stack mounts
 * these on its HTTPS server and the CDK app turns each into a NodejsFunction and an HTTP API route, so the two never
 * disagree on paths or authorization. What a function may do with the table is not declared here: the CDK app derives
 * it from the handler's code (infra/table-access.ts).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT';

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

export const PATH_ROUTES: readonly PathRouteDef[] = [
  {
    id: 'health',
    method: 'GET',
    path: '/v1/health',
    authorized: false,
    needsReferenceData: false,
  },
  {
    id: 'listTemplates',
    method: 'GET',
    path: '/v1/templates',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'getTemplate',
    method: 'GET',
    path: '/v1/templates/{id}/{version}',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'validate',
    method: 'POST',
    path: '/v1/validate',
    authorized: true,
    needsReferenceData: true,
  },
  {
    id: 'putSubmission',
    method: 'PUT',
    path: '/v1/ats/{ats}/submissions/{period}',
    authorized: true,
    needsReferenceData: true,
  },
  {
    id: 'getSubmission',
    method: 'GET',
    path: '/v1/ats/{ats}/submissions/{period}',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'getSubmissionDocument',
    method: 'GET',
    path: '/v1/ats/{ats}/submissions/{period}/document',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'reviewSubmission',
    method: 'POST',
    path: '/v1/ats/{ats}/submissions/{period}/review',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'getAudit',
    method: 'GET',
    path: '/v1/ats/{ats}/audit',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'putRegionAts',
    method: 'PUT',
    path: '/v1/regions/{region}/ats/{ats}',
    authorized: true,
    needsReferenceData: true,
  },
  {
    id: 'listRegionAts',
    method: 'GET',
    path: '/v1/regions/{region}/ats',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'consolidated',
    method: 'GET',
    path: '/v1/regions/{region}/consolidated',
    authorized: true,
    needsReferenceData: true,
  },
];

/** The catch-all route (its handler: functions/handlers/unmatched.ts). */
export const CATCH_ALL_ROUTE: CatchAllRouteDef = {
  id: 'unmatched',
  method: DEFAULT_ROUTE_KEY,
  authorized: false,
  needsReferenceData: false,
};

/** Every route, each with its own function: the contract's, then the catch-all. */
export const ROUTES: readonly RouteDef[] = [...PATH_ROUTES, CATCH_ALL_ROUTE];
