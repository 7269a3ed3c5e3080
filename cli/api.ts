import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as z from 'zod/mini';
import {
  type ApiClient,
  type ApiFailure,
  type ApiResult,
  type ApiTransport,
  createApiClient,
  failureLines,
} from '../shared/client/client.ts';
import { errorBodySchema } from '../shared/contract/api.ts';
import { COMPRESS_REQUEST_ABOVE_BYTES, MAX_REQUEST_JSON_BYTES, tooLargeMessage } from '../shared/contract/limits.ts';
import { CliError } from './errors.ts';

/**
 * The command line's way of reaching the HTTP API (contract.md): the one API client (shared/client/) over Node's
 * fetch, with a timeout per request, zlib for large bodies, and retries on network errors and 5xx for requests that
 * are safe to repeat (GETs, and PUTs carrying an Idempotency-Key).
 */

export interface ApiOptions {
  /** Base URL without /v1, e.g. https://localhost:3000. */
  readonly base: string;
  readonly token: string;
  readonly timeoutMs?: number;
  /** Attempts for a repeatable request (first try included). */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

export function tokenFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const token = env.RENDICONTA_TOKEN?.trim();
  if (!token) {
    throw new CliError("Manca il token di accesso: impostare la variabile d'ambiente RENDICONTA_TOKEN.");
  }
  return token;
}

export function apiBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`Indirizzo dell'API non valido: "${url.slice(0, 100)}".`);
  }
  if (
    parsed.protocol !== 'https:' &&
    !(parsed.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(parsed.hostname))
  ) {
    // The token must never travel in clear text, except to a server on this machine.
    throw new CliError("L'API deve essere raggiunta in https.");
  }
  return parsed.href.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** OpenSSL's verification failures (SELF_SIGNED_CERT_IN_CHAIN, UNABLE_TO_GET_ISSUER_CERT, …) and Node's host check. */
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/;

/** fetch wraps the TLS failure in `cause`. */
function isCertificateError(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' && CERTIFICATE_ERROR.test(cause.code);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A JSON body per contract v1.1: gzipped (level 6) above a few tens of KB, so a large workbook travels as a small
 * event; over 5 MB of JSON it is not sent at all, since the API would refuse it, and the user reads why in Italian.
 */
export function jsonRequestBody(value: unknown): {
  body: string | Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
} {
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_REQUEST_JSON_BYTES) throw new CliError(tooLargeMessage(bytes));
  if (bytes <= COMPRESS_REQUEST_ABOVE_BYTES) return { body: text, headers: { 'content-type': 'application/json' } };
  return {
    body: new Uint8Array(gzipSync(text)),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  };
}

async function parseBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function apiRequest(
  options: ApiOptions,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; repeatable: boolean },
): Promise<ApiResponse> {
  const attempts = init.repeatable ? (options.attempts ?? 3) : 1;
  const prepared = init.body !== undefined ? jsonRequestBody(init.body) : undefined;
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/json',
    'user-agent': 'rendiconta-cli/0.1',
    ...prepared?.headers,
    ...init.headers,
  };
  const body = prepared?.body;
  let lastProblem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(`${options.base}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      if (response.status >= 500 && attempt < attempts) {
        lastProblem = `risposta ${response.status}`;
        await response.body?.cancel();
      } else {
        return { status: response.status, body: await parseBody(response) };
      }
    } catch (error) {
      if (isCertificateError(error)) {
        // Retrying cannot help, and the user needs to know what to set.
        throw new CliError(
          "Certificato del server non attendibile. Per lo stack locale indicare il suo certificato CA nella variabile d'ambiente NODE_EXTRA_CA_CERTS.",
        );
      }
      lastProblem =
        error instanceof Error && error.name === 'TimeoutError' ? 'tempo scaduto' : 'rete non raggiungibile';
      if (attempt === attempts) break;
    }
    await sleep((options.retryDelayMs ?? 500) * attempt);
  }
  throw new CliError(`API non raggiungibile (${lastProblem}) dopo ${attempts} tentativi: ${options.base}`);
}

/**
 * A 401, whatever its body: in AWS it comes from API Gateway's JWT authorizer, whose body is its own English
 * `{"message":"Unauthorized"}` and cannot be customised (docs/backend.md, "Who answers"), so it is read by status.
 */
export const UNAUTHORIZED_MESSAGE =
  'Accesso non autorizzato: token mancante, scaduto o non valido. Eseguire `rendiconta accedi` (o rinnovare RENDICONTA_TOKEN) e riprovare.';

/** The Italian message of an error body, or a generic one by status; a 401 always by status. */
export function errorMessage(response: ApiResponse): string {
  if (response.status === 401) return UNAUTHORIZED_MESSAGE;
  const parsed = errorBodySchema.safeParse(response.body);
  if (parsed.success) {
    const issues = (parsed.data.error.issues ?? []).slice(0, 10).map((issue) => `  ${issue.path}: ${issue.message}`);
    return [parsed.data.error.message, ...issues].join('\n');
  }
  switch (response.status) {
    case 403:
      return 'Operazione non consentita a questo utente.';
    case 404:
      return 'Risorsa non trovata.';
    default:
      return `Risposta inattesa dal server (${response.status}).`;
  }
}

/** Parses a success body with the contract's schema; a body that does not match is the server's fault, said so. */
export function expectBody<T>(schema: z.ZodMiniType<T>, response: ApiResponse): T {
  const parsed = z.safeParse(schema, response.body);
  if (!parsed.success) throw new CliError('Risposta del server non conforme al contratto v1.');
  return parsed.data;
}

export const newIdempotencyKey = (): string => randomUUID();

/** Goes into the audit trail with each submission (functions/lib/parse.ts accepts `cli/…`). */
export const CLI_CLIENT_VERSION = 'cli/0.1';

/**
 * The client's transport for the command line: apiRequest, so retries, the timeout and the Italian certificate
 * message are the same for every command; a body over 5 MB is refused before sending, with the API's own message.
 */
export function cliTransport(options: Omit<ApiOptions, 'token'>): ApiTransport {
  return async (request) => {
    const method = request.method as 'GET' | 'PUT' | 'POST';
    // Safe to repeat: a GET, or a request the API deduplicates by its Idempotency-Key.
    const repeatable = method === 'GET' || request.headers['idempotency-key'] !== undefined;
    if (request.json !== undefined) {
      const bytes = Buffer.byteLength(JSON.stringify(request.json), 'utf8');
      if (bytes > MAX_REQUEST_JSON_BYTES) return { kind: 'too-large', message: tooLargeMessage(bytes) };
    }
    try {
      const { authorization: _authorization, ...headers } = request.headers;
      const response = await apiRequest(
        { ...options, token: request.headers.authorization?.replace(/^Bearer /, '') ?? '' },
        method,
        request.url.slice(options.base.length),
        { ...(request.json === undefined ? {} : { body: request.json }), headers, repeatable },
      );
      return { kind: 'answered', status: response.status, json: response.body };
    } catch (error) {
      // Unreachable after every attempt, or a certificate it cannot trust: apiRequest's Italian message says which.
      if (!(error instanceof CliError)) throw error;
      return { kind: 'unreachable', message: error.message };
    }
  };
}

/** The one API client, as the command line uses it: its token, its transport, failures as the CLI words them. */
export function cliApiClient(options: ApiOptions): ApiClient {
  return createApiClient({
    baseUrl: options.base,
    token: () => options.token,
    clientVersion: CLI_CLIENT_VERSION,
    transport: cliTransport(options),
    messages: { unauthorized: UNAUTHORIZED_MESSAGE },
    // Retries already happened in the transport: what is left is the server's answer, said as it is.
    gatewayErrorsOffline: false,
  });
}

/** The failure's Italian message (the first issues of a 400 included), for a CliError. */
export function failureMessage(failure: ApiFailure): string {
  if (failure.kind === 'error' && !failure.body) {
    if (failure.status === 403) return 'Operazione non consentita a questo utente.';
    if (failure.status === 404) return 'Risorsa non trovata.';
    if (failure.code === 'HTTP') return `Risposta inattesa dal server (${failure.status}).`;
  }
  if (failure.kind === 'error' && failure.code === 'UNEXPECTED_BODY') {
    return 'Risposta del server non conforme al contratto v1.';
  }
  return failureLines(failure).join('\n');
}

/** The body of a success, or a CliError with the failure's Italian message. */
export function okBody<T>(result: ApiResult<T>): T {
  if (result.kind !== 'ok') throw new CliError(failureMessage(result));
  return result.body;
}
