import * as z from 'zod/mini';
import { type ErrorBody, errorBodySchema } from '../contract/api.ts';
import { API_ROUTES, type PathParams, type RouteId, routePath } from '../contract/routes.ts';
import { type BodyOf, ENDPOINTS, type ResponseOf } from './endpoints.ts';

/**
 * The one client of the HTTP API, for the task pane, the regional panel and the command line: paths and methods from
 * the route table (shared/contract/routes.ts), success bodies parsed with the contract's schemas
 * (shared/client/endpoints.ts), errors read from the contract's error body. How bytes travel is each channel's own
 * (`ApiTransport`: the webview's fetch with CompressionStream, or Node's fetch with zlib, retries and a timeout).
 *
 * Every call ends in a value, never an exception: "offline" is kept apart from every answer the server gave, because
 * only then does the task pane fall back to local checks and keep a submission in its outbox.
 */

/** Request headers a caller may add; every one is in the API's CORS list (shared/contract/cors.ts). */
export interface CallHeaders {
  readonly 'idempotency-key'?: string;
  readonly 'if-match'?: string;
}

export interface TransportRequest {
  readonly method: string;
  readonly url: string;
  /** Lower-case names, each allowed by API_CORS.allowHeaders. */
  readonly headers: Readonly<Record<string, string>>;
  /** A JSON value the transport serialises (and gzips when large), or nothing. */
  readonly json?: unknown;
}

export type TransportAnswer =
  | { readonly kind: 'answered'; readonly status: number; readonly json: unknown }
  /** The request never reached the API (network, DNS, TLS, timeout). */
  | { readonly kind: 'unreachable'; readonly message?: string }
  /** Not sent: over the contract's 5 MB of JSON (shared/contract/limits.ts), with the Italian message. */
  | { readonly kind: 'too-large'; readonly message: string };

export type ApiTransport = (request: TransportRequest) => Promise<TransportAnswer>;

export type ApiFailure =
  | { readonly kind: 'offline'; readonly status: number; readonly message: string }
  | { readonly kind: 'unauthorized'; readonly status: 401; readonly message: string }
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly code: string;
      readonly message: string;
      /** The contract's error body when the server sent one (issues, findings of a 422, requestId of a 500). */
      readonly body?: ErrorBody;
    };

export type ApiResult<T> = { readonly kind: 'ok'; readonly status: number; readonly body: T } | ApiFailure;

export interface ApiMessages {
  readonly offline: string;
  readonly unauthorized: string;
}

export const DEFAULT_MESSAGES: ApiMessages = {
  offline: 'Servizio non raggiungibile: verificare la connessione e riprovare.',
  unauthorized: 'Sessione scaduta o accesso non valido: accedere di nuovo.',
};

export const UNEXPECTED_BODY = 'Risposta del servizio non riconosciuta.';

export interface ApiClientOptions {
  /** Base URL of the API, without `/v1` (e.g. https://localhost:3000); empty for the page's own origin. */
  readonly baseUrl: string;
  /** A current access token; none sends no Authorization header. */
  readonly token: () => string | undefined | Promise<string | undefined>;
  readonly transport: ApiTransport;
  /** Sent as X-Client-Version for the audit trail (addin-1.0.0.0, cli-0.1.0). */
  readonly clientVersion?: string;
  readonly messages?: Partial<ApiMessages>;
  /** Whether 502–504 from a gateway count as "API not reached" (default true): the task pane then retries later. */
  readonly gatewayErrorsOffline?: boolean;
}

type QueryOf<Id extends RouteId> = Partial<Record<(typeof ENDPOINTS)[Id]['query'][number], string | number>>;

type ParamsArg<Id extends RouteId> = keyof PathParams<Id> extends never
  ? { readonly params?: undefined }
  : { readonly params: PathParams<Id> };

type BodyArg<Id extends RouteId> = [BodyOf<Id>] extends [undefined]
  ? { readonly body?: undefined }
  : { readonly body: BodyOf<Id> };

export type CallInput<Id extends RouteId> = ParamsArg<Id> &
  BodyArg<Id> & {
    readonly query?: QueryOf<Id>;
    readonly headers?: CallHeaders;
  };

export interface ApiClient {
  /** Calls a route of the table by id: its path filled from `params`, its answer parsed with its schema. */
  call<Id extends RouteId>(id: Id, input: CallInput<Id>): Promise<ApiResult<ResponseOf<Id>>>;
  /**
   * GET of a path the contract itself builds for the client (submissionDocumentPath, as the consolidated view's
   * `rowsFromDocument` asks): the stored JSON as it is, since it is hash-identical to what was sent.
   */
  getLink(path: string): Promise<ApiResult<unknown>>;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const messages: ApiMessages = { ...DEFAULT_MESSAGES, ...options.messages };
  const base = options.baseUrl.replace(/\/+$/, '');
  const gatewayOffline = options.gatewayErrorsOffline ?? true;

  async function send(method: string, path: string, json: unknown, extra: CallHeaders = {}) {
    const token = await options.token();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.clientVersion) headers['x-client-version'] = options.clientVersion;
    if (extra['idempotency-key'] !== undefined) headers['idempotency-key'] = extra['idempotency-key'];
    if (extra['if-match'] !== undefined) headers['if-match'] = extra['if-match'];
    return options.transport({ method, url: `${base}${path}`, headers, ...(json === undefined ? {} : { json }) });
  }

  function failure(answer: TransportAnswer): ApiFailure {
    if (answer.kind === 'unreachable')
      return { kind: 'offline', status: 0, message: answer.message ?? messages.offline };
    if (answer.kind === 'too-large') {
      // The API's own answer to such a body, given before sending it: the user learns it at once, offline too.
      return { kind: 'error', status: 413, code: 'PAYLOAD_TOO_LARGE', message: answer.message };
    }
    const { status, json } = answer;
    // A 401 is read from its status alone: in AWS it comes from API Gateway's JWT authorizer, whose body is its own
    // English `{"message":"Unauthorized"}` and cannot be customised (docs/backend.md, "Who answers").
    if (status === 401) return { kind: 'unauthorized', status: 401, message: messages.unauthorized };
    // A gateway's 502–504 means the API itself was not reached.
    if (gatewayOffline && (status === 502 || status === 503 || status === 504)) {
      return { kind: 'offline', status, message: messages.offline };
    }
    const parsed = errorBodySchema.safeParse(json);
    if (parsed.success) {
      return {
        kind: 'error',
        status,
        code: parsed.data.error.code,
        message: parsed.data.error.message,
        body: parsed.data,
      };
    }
    return { kind: 'error', status, code: 'HTTP', message: `Risposta inattesa dal servizio (HTTP ${status}).` };
  }

  async function parseSuccess<T>(answer: TransportAnswer, schema: z.ZodMiniType<T>): Promise<ApiResult<T>> {
    if (answer.kind !== 'answered' || answer.status < 200 || answer.status > 299) return failure(answer);
    const parsed = z.safeParse(schema, answer.json);
    return parsed.success
      ? { kind: 'ok', status: answer.status, body: parsed.data }
      : { kind: 'error', status: answer.status, code: 'UNEXPECTED_BODY', message: UNEXPECTED_BODY };
  }

  return {
    async call(id, input) {
      const route = API_ROUTES[id];
      const path = routePath(id, (input.params ?? {}) as Record<string, string>, input.query ?? {});
      const answer = await send(route.method, path, input.body, input.headers);
      return parseSuccess(answer, ENDPOINTS[id].response as z.ZodMiniType<ResponseOf<typeof id>>);
    },
    async getLink(path) {
      if (!path.startsWith('/v1/')) throw new Error(`Not an API path: ${path}`);
      return parseSuccess(await send('GET', path, undefined), z.unknown());
    },
  };
}

/** The Italian message of a failure, with the first issues of a 400 (path: message), for a terminal or a list. */
export function failureLines(failure: ApiFailure, maxIssues = 10): string[] {
  if (failure.kind !== 'error' || !failure.body?.error.issues) return [failure.message];
  return [
    failure.message,
    ...failure.body.error.issues.slice(0, maxIssues).map((issue) => `  ${issue.path}: ${issue.message}`),
  ];
}
