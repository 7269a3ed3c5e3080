import type { CorsDefinition } from '../../shared/contract/cors.ts';

/**
 * The HTTP API's CORS behaviour, for the local API origin, from the same definition the CDK stack deploys
 * ("Configure CORS for HTTP APIs in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html):
 *
 * - API Gateway answers preflight OPTIONS requests itself, on any path, even without an OPTIONS route. A preflight is
 *   an OPTIONS request with both `Origin` and `Access-Control-Request-Method`; an OPTIONS request without them is an
 *   ordinary request (and no route of this API takes OPTIONS).
 * - To a CORS request (one with an allowed `Origin`) it adds the configured headers to the integration's response,
 *   and it ignores CORS headers the integration returns.
 * - An origin, method or requested header outside the configuration gets no CORS headers: the preflight still answers
 *   204, and the browser refuses the call, which is what a user of the add-in would see.
 */

export interface CorsPolicy {
  readonly definition: CorsDefinition;
  readonly allowOrigins: readonly string[];
}

export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

export function isPreflight(method: string, headers: RequestHeaders): boolean {
  return (
    method === 'OPTIONS' &&
    single(headers.origin) !== undefined &&
    single(headers['access-control-request-method']) !== undefined
  );
}

function originAllowed(policy: CorsPolicy, origin: string | undefined): origin is string {
  return origin !== undefined && (policy.allowOrigins.includes('*') || policy.allowOrigins.includes(origin));
}

/** The preflight's answer: always 204, with the CORS headers only when origin, method and every header are allowed. */
export function preflightHeaders(policy: CorsPolicy, headers: RequestHeaders): Record<string, string> {
  const origin = single(headers.origin);
  const method = single(headers['access-control-request-method'])?.trim().toUpperCase() ?? '';
  const requested = (single(headers['access-control-request-headers']) ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const allowedHeaders = new Set(policy.definition.allowHeaders.map((name) => name.toLowerCase()));
  const ok =
    originAllowed(policy, origin) &&
    policy.definition.allowMethods.includes(method) &&
    requested.every((name) => allowedHeaders.has(name));
  if (!ok) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': policy.definition.allowMethods.join(','),
    'access-control-allow-headers': policy.definition.allowHeaders.join(','),
    'access-control-max-age': String(policy.definition.maxAgeSeconds),
  };
}

/** The response headers of an ordinary request: the integration's CORS headers dropped, the configured ones added. */
export function corsResponseHeaders(
  policy: CorsPolicy,
  headers: RequestHeaders,
  response: Readonly<Record<string, string>>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(response)) {
    if (!name.toLowerCase().startsWith('access-control-')) result[name] = value;
  }
  const origin = single(headers.origin);
  if (!originAllowed(policy, origin)) return result;
  result['access-control-allow-origin'] = origin;
  if (policy.definition.exposeHeaders.length > 0) {
    result['access-control-expose-headers'] = policy.definition.exposeHeaders.join(',');
  }
  return result;
}
