/**
 * The contract's routes as data (contract.md): method and path template per route id, nothing else. The server's
 * table (functions/routes.ts: one Lambda per route, authorizer, reference data) and the one API client
 * (shared/client/) both read this object, so a path is written once. Pure data, no schemas: the catch-all handler's
 * bundle imports it and must stay small.
 *
 * Adding a route: an entry here (the id is also the handler's file name, functions/handlers/<id>.ts), its
 * `needsReferenceData` in functions/routes.ts and its schemas in shared/client/endpoints.ts; the type checker asks
 * for both. Clients then call it as `client.call('<id>', { params, query, body })`, with no path written by hand.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT';

export interface ApiRouteDef {
  readonly method: HttpMethod;
  /** API Gateway path template: `{name}` takes one whole segment. */
  readonly path: string;
  /** False only for GET /v1/health: the JWT authorizer is on every other path route. */
  readonly authorized: boolean;
}

export const API_ROUTES = {
  health: { method: 'GET', path: '/v1/health', authorized: false },
  listTemplates: { method: 'GET', path: '/v1/templates', authorized: true },
  getTemplate: { method: 'GET', path: '/v1/templates/{id}/{version}', authorized: true },
  validate: { method: 'POST', path: '/v1/validate', authorized: true },
  putSubmission: { method: 'PUT', path: '/v1/ats/{ats}/submissions/{period}', authorized: true },
  getSubmission: { method: 'GET', path: '/v1/ats/{ats}/submissions/{period}', authorized: true },
  getSubmissionDocument: { method: 'GET', path: '/v1/ats/{ats}/submissions/{period}/document', authorized: true },
  reviewSubmission: { method: 'POST', path: '/v1/ats/{ats}/submissions/{period}/review', authorized: true },
  getAudit: { method: 'GET', path: '/v1/ats/{ats}/audit', authorized: true },
  putRegionAts: { method: 'PUT', path: '/v1/regions/{region}/ats/{ats}', authorized: true },
  listRegionAts: { method: 'GET', path: '/v1/regions/{region}/ats', authorized: true },
  getRegionParameters: { method: 'GET', path: '/v1/regions/{region}/parameters', authorized: true },
  putRegionParameters: { method: 'PUT', path: '/v1/regions/{region}/parameters', authorized: true },
  consolidated: { method: 'GET', path: '/v1/regions/{region}/consolidated', authorized: true },
} as const satisfies Record<string, ApiRouteDef>;

export type RouteId = keyof typeof API_ROUTES;

/** The `{name}` variables of a path template, as a union of names. */
export type PathParamNames<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParamNames<Rest>
  : never;

export type PathParams<Id extends RouteId> = Record<PathParamNames<(typeof API_ROUTES)[Id]['path']>, string>;

/** The route ids in the table's order (the order the server registers them). */
export const ROUTE_IDS = Object.keys(API_ROUTES) as RouteId[];

/**
 * The path of a route with its variables filled in, each encoded as one segment (API Gateway decodes them), and the
 * query string from the defined values, in the order given.
 */
export function routePath(
  id: RouteId,
  params: Readonly<Record<string, string>>,
  query: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const path = API_ROUTES[id].path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name} for ${id}`);
    return encodeURIComponent(value);
  });
  const search = Object.keys(query)
    .filter((name) => query[name] !== undefined)
    .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(String(query[name]))}`)
    .join('&');
  return search ? `${path}?${search}` : path;
}
