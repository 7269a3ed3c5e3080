import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ErrorBody, FindingBody } from '../../shared/contract/api.ts';
import type { SchemaIssue } from '../../shared/contract/submission.ts';

/** Responses in the contract's shape. Every error carries an Italian message; none carries internal detail. */

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 503;

/** A typed exception a data function or a parser throws to answer with a contract error. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: ErrorStatus,
    readonly code: string,
    message: string,
    readonly issues: readonly SchemaIssue[] = [],
    readonly findings?: readonly FindingBody[],
    /** Response headers the status calls for (`Allow` on a 405). */
    readonly headers: Readonly<Record<string, string>> = {},
    /** With `findings` on a 422: the full counts, the findings being bounded (contract v1.1). */
    readonly summary?: ErrorBody['summary'],
  ) {
    super(message);
  }
}

export function errorResponse(error: HttpError, requestId?: string): APIGatewayProxyStructuredResultV2 {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.issues.length > 0 ? { issues: [...error.issues] } : {}),
      ...(requestId ? { requestId } : {}),
    },
    ...(error.findings ? { findings: [...error.findings] } : {}),
    ...(error.summary ? { summary: error.summary } : {}),
  };
  return json(error.statusCode, body, { ...error.headers });
}

export const badRequest = (message: string, issues: readonly SchemaIssue[] = [], code = 'BAD_REQUEST'): HttpError =>
  new HttpError(400, code, message, issues);
export const unauthorized = (): HttpError =>
  new HttpError(401, 'UNAUTHORIZED', 'Accesso non autenticato: effettuare di nuovo l\u2019accesso.');
export const forbidden = (message: string): HttpError => new HttpError(403, 'FORBIDDEN', message);
export const notFound = (message: string): HttpError => new HttpError(404, 'NOT_FOUND', message);
/** A path the API has, asked with a method it does not take there (the catch-all route, functions/routes.ts). */
export const methodNotAllowed = (methods: readonly string[]): HttpError =>
  new HttpError(
    405,
    'METHOD_NOT_ALLOWED',
    `Metodo non previsto per questo indirizzo: usare ${methods.join(' o ')}.`,
    [],
    undefined,
    { allow: methods.join(', ') },
  );
export const conflict = (code: string, message: string): HttpError => new HttpError(409, code, message);
/** The contract's 5 MB of JSON (decompressed): below Lambda's 6 MB event, so this answer comes before AWS's own. */
export const tooLarge = (): HttpError =>
  new HttpError(
    413,
    'PAYLOAD_TOO_LARGE',
    'Contenuto troppo grande: il limite è di 5 MB di JSON (anche quando è inviato compresso con gzip).',
  );
export const unsupportedMediaType = (
  message = 'Tipo di contenuto non supportato: inviare JSON con Content-Type: application/json.',
): HttpError => new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', message);
export const internalError = (): HttpError =>
  new HttpError(
    500,
    'INTERNAL_ERROR',
    'Errore interno del servizio. Riprovare più tardi; se persiste, comunicare il codice della richiesta.',
  );
/** Seconds a client is asked to wait while the store cannot be reached: the local stack restarts it in about that. */
export const STORE_RETRY_AFTER_SECONDS = 5;
/** The store cannot be reached now (functions/lib/store-faults.ts): the request may succeed when repeated. */
export const storeUnavailable = (): HttpError =>
  new HttpError(
    503,
    'STORE_UNAVAILABLE',
    `L\u2019archivio dei dati non è raggiungibile in questo momento: riprovare tra ${STORE_RETRY_AFTER_SECONDS} secondi.`,
    [],
    undefined,
    { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
  );
