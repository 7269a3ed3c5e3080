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
