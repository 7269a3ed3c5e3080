/**
 * Which failures of a DynamoDB call mean "the store cannot be reached now" rather than "our code is wrong": the
 * connection refused or cut (DynamoDB Local stopped, a network fault), the SDK's own timeout, and the errors DynamoDB
 * documents as retryable server-side conditions: throttling (ThrottlingException,
 * ProvisionedThroughputExceededException, RequestLimitExceeded) and its 5xx (InternalServerError,
 * ServiceUnavailable) — "Error handling with DynamoDB", developer guide. The API answers these with 503 and
 * Retry-After (functions/lib/request.ts), never with a 500 that blames the service's code.
 */

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const UNAVAILABLE_ERROR_NAMES = new Set([
  'TimeoutError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);

export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (UNAVAILABLE_ERROR_NAMES.has(error.name)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}
