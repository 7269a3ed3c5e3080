/**
 * Lambda's payload limit and API Gateway's choice between text and base64, as AWS applies them to this API. The
 * local stack enforces them on every request and response; the handlers use them to answer with this API's own 413
 * before AWS would refuse.
 */

/**
 * "For synchronous invocations, the maximum payload size is 6 MB" — for the event and for the serialised result alike
 * (Lambda API reference, Invoke: https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html; Lambda quotas:
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). MB here is MiB: the runtime's refusal
 * reads "Exceeded maximum allowed payload size (6291556 bytes)", 6 MiB plus a small envelope allowance, which we do
 * not count on.
 */
export const LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * HTTP API quota "Payload size: 10 MB" (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html):
 * above it API Gateway refuses the request before any Lambda is involved.
 */
export const HTTP_API_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** Media types an HTTP API hands to Lambda as a UTF-8 string; every other request body arrives base64-encoded. */
const TEXT_MEDIA_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

/**
 * Whether API Gateway passes a request body to Lambda base64-encoded (payload format 2.0, `isBase64Encoded: true`).
 *
 * The HTTP API's Lambda page says only "If the content type of the request is binary, the body is base64-encoded"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html) and does
 * not list the types. Measured against real HTTP APIs (ministack's pull request 766 records the matrix): text for
 * `text/*`, `application/json`, `application/xml`, `application/javascript`; base64 for everything else, including a
 * missing Content-Type and `application/x-www-form-urlencoded`. A body with a Content-Encoding (gzip) is bytes, not
 * UTF-8 text, whatever its media type says, so we count it as binary: the handlers accept it either way, and the size
 * counted is the larger of the two.
 */
export function isBinaryBody(contentType: string | undefined, contentEncoding: string | undefined): boolean {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return true;
  if (contentType === undefined) return true;
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return !(essence.startsWith('text/') || TEXT_MEDIA_TYPES.has(essence));
}

/** The bytes Lambda counts: the event (or result) serialised as JSON, the body escaped inside it. */
export function serialisedBytes(payload: unknown): number {
  return Buffer.byteLength(JSON.stringify(payload), 'utf8');
}

/**
 * Contract v1.1: "every response body is at most 5 MB before compression" — MiB, as the request limit counts
 * (shared/contract/limits.ts). No response may depend on gzip to fit, so this and Lambda's 6 MiB result are checked
 * on the uncompressed body.
 */
export const MAX_RESPONSE_BODY_BYTES = 5 * 1024 * 1024;

/**
 * What a route designs its responses to: the result's envelope (status, headers, `isBase64Encoded`, the body's own
 * quotes) is far below this, so a body whose escaped form fits `LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES` fits
 * the result whatever headers the route and the wrapper add.
 */
export const RESULT_ENVELOPE_BYTES = 64 * 1024;

/**
 * The bytes a JSON text takes once written as a JSON string inside Lambda's result (without the two enclosing
 * quotes): every `"` and `\` doubled, control characters as `\n` or `\u00XX`. Exact, and additive over
 * concatenation, so a response's parts can be measured one by one.
 */
export function escapedBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
}

/** The sizes of a response body made of `parts` (concatenated): as sent, and escaped into Lambda's result. */
export interface ResponseSize {
  readonly bytes: number;
  readonly escapedBytes: number;
}

/**
 * Whether a JSON response body made of `parts` (concatenated) stays within this API's bound: at most 5 MiB, and its
 * result (the body escaped, plus the envelope's reserve) within Lambda's 6 MiB. The parts are JSON texts or pieces of
 * one written by JSON.stringify or the canonical writer, so they hold no raw control character and escaping at most
 * doubles them: the escaped size is computed only when that bound does not already settle it.
 */
export function responseFits(parts: readonly string[]): boolean {
  const escapedLimit = LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES;
  let length = 0;
  for (const part of parts) length += part.length;
  // A UTF-16 code unit is at most 3 bytes of UTF-8, doubled when escaped.
  if (length * 6 <= escapedLimit && length * 3 <= MAX_RESPONSE_BODY_BYTES) return true;
  let bytes = 0;
  for (const part of parts) bytes += Buffer.byteLength(part, 'utf8');
  if (bytes > MAX_RESPONSE_BODY_BYTES) return false;
  if (bytes * 2 <= escapedLimit) return true;
  let escaped = 0;
  for (const part of parts) escaped += escapedBytes(part);
  return escaped <= escapedLimit;
}

/**
 * What the route wrapper enforces on every result a handler returns, before any compression: the body at most
 * `MAX_RESPONSE_BODY_BYTES` (decoded, when it is base64) and the serialised result at most `LAMBDA_PAYLOAD_BYTES`.
 * Undefined when it fits; otherwise the sizes, for the log.
 */
export function responseOverLimits(result: {
  readonly body?: string | undefined;
  readonly isBase64Encoded?: boolean | undefined;
}): { bodyBytes: number; resultBytes: number } | undefined {
  const body = result.body ?? '';
  // Escaping grows a string at most sixfold (a control character becomes `\u00XX`); the envelope is small.
  if (body.length * 6 + RESULT_ENVELOPE_BYTES <= LAMBDA_PAYLOAD_BYTES && body.length * 3 <= MAX_RESPONSE_BODY_BYTES) {
    return undefined;
  }
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  const bodyBytes = result.isBase64Encoded
    ? Math.floor((body.length * 3) / 4) - padding
    : Buffer.byteLength(body, 'utf8');
  const resultBytes = serialisedBytes(result);
  return bodyBytes > MAX_RESPONSE_BODY_BYTES || resultBytes > LAMBDA_PAYLOAD_BYTES
    ? { bodyBytes, resultBytes }
    : undefined;
}
