import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HTTP_API_PAYLOAD_BYTES, isBinaryBody, LAMBDA_PAYLOAD_BYTES, serialisedBytes } from '../lib/lambda-limits.ts';
import type { Event } from '../lib/request.ts';

/**
 * What API Gateway (HTTP API, payload format 2.0) does between the client and the function: read the body within its
 * quota, build the event as AWS builds it, and refuse what Lambda would refuse, with the answers AWS gives.
 */

/**
 * API Gateway's own answers, in its English and its `{message}` shape, never this API's contract error: a client
 * that meets one of these locally meets it in AWS too. When the Lambda invocation fails (an event or a result over
 * Lambda's 6 MB), an HTTP API answers `500 {"message":"Internal Server Error"}` ("Troubleshooting issues with HTTP API
 * Lambda integrations", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html).
 * No `404 {"message":"Not Found"}` here: the API has a `$default` route (functions/routes.ts), so every request that
 * reaches routing is answered by a function.
 */
export const AWS_ANSWERS = {
  lambdaPayloadTooLarge: { statusCode: 500, body: '{"message":"Internal Server Error"}' },
  requestTooLarge: { statusCode: 413, body: '{"message":"Request Entity Too Large"}' },
  unauthorized: { statusCode: 401, body: '{"message":"Unauthorized"}' },
} as const;

export function awsAnswer(
  answer: { statusCode: number; body: string },
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: answer.statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: answer.body,
  };
}

/**
 * The HTTP API JWT authorizer's refusal, which API Gateway sends itself and HTTP APIs cannot customise (they have no
 * gateway responses, a REST API feature): `401 {"message":"Unauthorized"}`, with a `www-authenticate` header saying
 * why for a token it rejected ("Troubleshooting issues with HTTP API JWT authorizers",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html). Clients therefore
 * read a 401 by its status alone. AWS adds an `error_description` whose wording per failure is documented only for a
 * wrong audience, so none is imitated here; no client reads the header.
 */
export function unauthorizedAnswer(error?: 'invalid_token'): APIGatewayProxyStructuredResultV2 {
  return awsAnswer(AWS_ANSWERS.unauthorized, error ? { 'www-authenticate': `Bearer scope="" error="${error}"` } : {});
}

/**
 * The token the JWT authorizer reads from `Authorization` (its identity source): "only the token, or the token
 * prefixed with `Bearer `" ("Control access to HTTP APIs with JWT authorizers",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html). Undefined when absent.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  const value = authorization?.trim() ?? '';
  if (value === '') return undefined;
  const token = /^Bearer\s+(.*)$/i.exec(value)?.[1]?.trim() ?? value;
  return token === '' ? undefined : token;
}

export class RequestTooLarge extends Error {}

/** The whole body, up to the HTTP API's payload quota; past it the rest is drained (so the client reads the 413). */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > 4 * HTTP_API_PAYLOAD_BYTES) request.destroy();
    if (size <= HTTP_API_PAYLOAD_BYTES) chunks.push(buffer);
  }
  if (size > HTTP_API_PAYLOAD_BYTES) throw new RequestTooLarge();
  return Buffer.concat(chunks);
}

function singleValues(params: URLSearchParams): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  for (const key of new Set(params.keys())) result[key] = params.getAll(key).join(',');
  return Object.keys(result).length > 0 ? result : undefined;
}

function flatHeaders(request: EventRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) headers[name] = value.join(',');
    else if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** What an event takes from the HTTP request: the local stack's, or one a test describes (test/infra/route-events.ts). */
export type EventRequest = Pick<IncomingMessage, 'method' | 'headers' | 'httpVersion'> & {
  readonly socket: { readonly remoteAddress?: string | undefined };
};

export interface EventInput {
  readonly request: EventRequest;
  readonly url: URL;
  readonly routeKey: string;
  /** None for the `$default` route, as in AWS. */
  readonly pathParameters: Record<string, string> | undefined;
  readonly body: Buffer;
  readonly claims: Record<string, string | number | boolean | string[]> | undefined;
}

/** The event the deployed function would receive; the body base64-encoded when API Gateway treats it as binary. */
export function buildEvent(input: EventInput): Event {
  const { request, url, routeKey, pathParameters, body, claims } = input;
  const now = new Date();
  const headers = flatHeaders(request);
  const binary = isBinaryBody(headers['content-type'], headers['content-encoding']);
  const hasBody = body.byteLength > 0;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: singleValues(url.searchParams),
    pathParameters,
    body: hasBody ? body.toString(binary ? 'base64' : 'utf8') : undefined,
    isBase64Encoded: hasBody && binary,
    stageVariables: undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.hostname,
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
    },
  } as Event;
}

/**
 * Whether Lambda would refuse this event or result: its JSON serialisation over 6 MB. JSON escaping grows a string
 * at most sixfold (a control character becomes `\u00XX`), so a small body is known to fit without serialising it.
 */
export function exceedsLambdaPayload(payload: { readonly body?: string | undefined }): boolean {
  const bodyLength = payload.body?.length ?? 0;
  if (bodyLength * 6 + 256 * 1024 < LAMBDA_PAYLOAD_BYTES) return false;
  return serialisedBytes(payload) > LAMBDA_PAYLOAD_BYTES;
}
