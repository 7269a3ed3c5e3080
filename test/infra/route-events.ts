import type { Event } from '../../functions/lib/request.ts';
import { matchRoute } from '../../functions/lib/route-match.ts';
import { buildEvent } from '../../functions/local/gateway.ts';
import { authorizerClaims } from '../../functions/local/tokens.ts';
import { routeKey } from '../../functions/routes.ts';
import { API_ROUTES, type RouteId, routePath } from '../../shared/contract/routes.ts';

/** The claims of a caller's token, as the local stack signs them (functions/local/tokens.ts). */
export interface CallerClaims {
  readonly sub: string;
  readonly groups: readonly string[];
  readonly ats?: string;
  readonly region?: string;
}

export interface RouteCall {
  readonly route: RouteId;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as it is, in place of `body`: a body that is not JSON. */
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly caller?: CallerClaims;
}

/**
 * The event a route's function receives for one call, made as the local stack makes it from an HTTP request
 * (functions/local/gateway.ts buildEvent): the path from the contract's routes, its parameters as the router reads
 * them, the JSON body, and the caller's claims as the JWT authorizer passes them on.
 */
export function routeEvent(call: RouteCall): Event {
  const method = API_ROUTES[call.route].method;
  const url = new URL(routePath(call.route, call.params ?? {}, call.query), 'https://api.example.test');
  const found = matchRoute(method, url.pathname);
  if (found?.route.id !== call.route) throw new Error(`${call.route}: ${url.pathname} matches another route`);
  const text = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  const headers = { ...(text === undefined ? {} : { 'content-type': 'application/json' }), ...call.headers };
  const { caller } = call;
  return buildEvent({
    request: { method, headers, httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1' } },
    url,
    routeKey: routeKey(found.route),
    pathParameters: found.parameters,
    body: Buffer.from(text ?? ''),
    claims: caller
      ? authorizerClaims({
          sub: caller.sub,
          'cognito:groups': [...caller.groups],
          ...(caller.ats ? { 'custom:ats': caller.ats } : {}),
          ...(caller.region ? { 'custom:region': caller.region } : {}),
        })
      : undefined,
  });
}
