import { followConsolidatedPages } from '../../shared/consolidation/pages.ts';
import {
  type ConsolidatedResponse,
  consolidatedResponseSchema,
  errorBodySchema,
  listRegionAtsResponseSchema,
  type RegionAtsBody,
  type ReviewBody,
} from '../../shared/contract/api.ts';

/**
 * The four routes the Region's panel calls, behind an interface so the panel is tested with the real local stack or
 * with a stub, and the task pane can hand over its own authenticated client. Every answer is parsed with the shared
 * contract: a body that does not match is an error value, never trusted.
 */

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly body: T }
  | { readonly ok: false; readonly status: number; readonly message: string | null; readonly code?: string };

export interface RegisteredAtsEntry {
  readonly ats: string;
  readonly name: string;
  readonly comuni: readonly string[];
  readonly enteGestoreCf?: string;
}

export interface RegionalApi {
  consolidated(region: string, period: string): Promise<ApiResult<ConsolidatedResponse>>;
  review(ats: string, period: string, body: ReviewBody): Promise<ApiResult<unknown>>;
  listAts(region: string): Promise<ApiResult<readonly RegisteredAtsEntry[]>>;
  putAts(region: string, ats: string, body: RegionAtsBody): Promise<ApiResult<unknown>>;
}

export interface FetchApiOptions {
  /** Base URL of the API, without `/v1` (e.g. https://localhost:3000). */
  readonly baseUrl: string;
  /** A current access token (the task pane refreshes it). */
  readonly token: () => string | Promise<string>;
  readonly fetch?: typeof fetch;
  /** Sent as X-Client-Version, as the task pane's client does, for the audit trail of decisions. */
  readonly clientVersion?: string;
}

interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

const NETWORK_ERROR = 'Servizio non raggiungibile: verificare la connessione e riprovare.';
const UNEXPECTED_BODY = 'Risposta del servizio non riconosciuta.';
export const SESSION_EXPIRED = 'Sessione scaduta o accesso non valido: accedere di nuovo dal pannello.';

export function fetchRegionalApi(options: FetchApiOptions): RegionalApi {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call<T>(
    method: string,
    path: string,
    parser: Parser<T> | null,
    body?: unknown,
  ): Promise<ApiResult<T>> {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${await options.token()}`,
          ...(options.clientVersion ? { 'X-Client-Version': options.clientVersion } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      return { ok: false, status: 0, message: NETWORK_ERROR };
    }
    const json: unknown = await response.json().catch(() => null);
    // A 401 is read from its status alone: in AWS it comes from API Gateway's JWT authorizer, whose body is its own
    // English `{"message":"Unauthorized"}`, not the contract's error (docs/backend.md, "Who answers").
    if (response.status === 401) return { ok: false, status: 401, message: SESSION_EXPIRED };
    if (!response.ok) {
      const error = errorBodySchema.safeParse(json);
      return error.success
        ? { ok: false, status: response.status, message: error.data.error.message, code: error.data.error.code }
        : { ok: false, status: response.status, message: null };
    }
    if (parser === null) return { ok: true, status: response.status, body: json as T };
    const parsed = parser.safeParse(json);
    return parsed.success
      ? { ok: true, status: response.status, body: parsed.data }
      : { ok: false, status: response.status, message: UNEXPECTED_BODY };
  }

  const segment = encodeURIComponent;
  return {
    // v1.1: the view comes in pages of whole ATS; all of them are fetched and merged into one response, with the rows
    // of an ATS too large for a page read from its stored document (`rowsFromDocument`).
    consolidated: (region, period) =>
      followConsolidatedPages<ApiResult<ConsolidatedResponse>>(
        (pageToken) =>
          call(
            'GET',
            `/v1/regions/${segment(region)}/consolidated?period=${segment(period)}${pageToken === undefined ? '' : `&pageToken=${segment(pageToken)}`}`,
            consolidatedResponseSchema as Parser<ConsolidatedResponse>,
          ),
        (failure) => ({ ok: false, status: failure.status, message: failure.message }),
        (path) => call('GET', path, null),
      ),
    review: (ats, period, body) =>
      call('POST', `/v1/ats/${segment(ats)}/submissions/${segment(period)}/review`, null, body),
    listAts: async (region) => {
      const result = await call('GET', `/v1/regions/${segment(region)}/ats`, listRegionAtsResponseSchema);
      return result.ok ? { ok: true, status: result.status, body: result.body.ats } : result;
    },
    putAts: (region, ats, body) => call('PUT', `/v1/regions/${segment(region)}/ats/${segment(ats)}`, null, body),
  };
}
