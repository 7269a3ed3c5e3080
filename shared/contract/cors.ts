/**
 * The API's CORS configuration, as data: the CDK stack (infra/constructs/api.ts) turns it into the HTTP API's
 * `corsPreflight`, and the local stack (functions/local/cors.ts) answers preflights and decorates responses from it,
 * so a header a client sends and this list does not allow fails locally exactly as it would in AWS.
 *
 * The one allowed origin is not here because it is not a constant: in AWS it is the add-in's CloudFront origin,
 * locally the add-in's origin on https://localhost:<PORT>.
 *
 * API Gateway compares header names case-insensitively and answers preflights itself, even without an OPTIONS route
 * ("Configure CORS for HTTP APIs in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html). Names are lower case here.
 */

export interface CorsDefinition {
  readonly allowMethods: readonly string[];
  /** Every request header any client sets (task pane, regional panel, outbox, sign-in page, command line). */
  readonly allowHeaders: readonly string[];
  /** Response headers a script may read. */
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

export const API_CORS: CorsDefinition = {
  allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
  allowHeaders: [
    'accept',
    'authorization',
    'content-type',
    // Large workbooks are sent gzipped (contract v1.1, "Request body").
    'content-encoding',
    'idempotency-key',
    'if-match',
    // addin/1.2.0, cli/…: goes into the audit trail.
    'x-client-version',
    // The command line names itself; browsers ignore a script's user-agent, so allowing it opens nothing.
    'user-agent',
  ],
  exposeHeaders: ['etag', 'location', 'idempotent-replayed', 'content-encoding'],
  // One hour: a browser repeats the preflight at most this often (Chromium caps it at two hours anyway).
  maxAgeSeconds: 3600,
};
