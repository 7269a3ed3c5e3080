import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { API_ROUTES, type RouteId } from '../../shared/contract/routes.ts';

/** The claims API Gateway's JWT authorizer passes on, as the local stack's tokens carry them. */
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
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly caller?: CallerClaims;
}

/**
 * The HTTP API (payload 2.0) event API Gateway hands a route's function for one call: route key, path with its
 * parameters filled in, query, JSON body, and the authorizer's claims (Cognito's groups as the space-separated list in
 * brackets that API Gateway makes of an array claim).
 */
export function routeEvent(call: RouteCall): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { method, path } = API_ROUTES[call.route];
  const params = call.params ?? {};
  const rawPath = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${call.route}: no value for {${name}}`);
    return value;
  });
  const query = call.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  const claims: Record<string, string> = {};
  if (call.caller) {
    claims.sub = call.caller.sub;
    claims['cognito:groups'] = `[${call.caller.groups.join(' ')}]`;
    if (call.caller.ats) claims['custom:ats'] = call.caller.ats;
    if (call.caller.region) claims['custom:region'] = call.caller.region;
  }
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath,
    rawQueryString,
    headers: {
      ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...call.headers,
    },
    ...(rawQueryString ? { queryStringParameters: { ...query } } : {}),
    ...(Object.keys(params).length > 0 ? { pathParameters: { ...params } } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'bundle-test',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      requestId: 'bundle-test',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '03/Dec/2026:12:00:00 +0000',
      timeEpoch: 1_796_299_200_000,
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    isBase64Encoded: false,
  };
}
