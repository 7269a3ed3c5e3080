import {
  type ApiClient,
  type ApiFailure,
  type ApiResult as ClientResult,
  createApiClient,
} from '../../shared/client/client.ts';
import { followConsolidatedPages } from '../../shared/consolidation/pages.ts';
import type { ConsolidatedResponse, RegionAtsBody, ReviewBody } from '../../shared/contract/api.ts';
import { fetchTransport } from '../app/transport.ts';

/**
 * The four routes the Region's panel calls, behind an interface so the panel is tested with the real local stack or
 * with a stub, and the task pane can hand over its own authenticated client. The calls go through the one API client
 * (shared/client/): every answer is parsed with the shared contract, a body that does not match is an error value.
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

const NETWORK_ERROR = 'Servizio non raggiungibile: verificare la connessione e riprovare.';
export const SESSION_EXPIRED = 'Sessione scaduta o accesso non valido: accedere di nuovo dal pannello.';

/** The panel's shape of an answer: the server's Italian message and code, or null when it sent no contract error. */
function panelResult<T>(result: ClientResult<T>): ApiResult<T> {
  if (result.kind === 'ok') return { ok: true, status: result.status, body: result.body };
  return panelFailure(result);
}

function panelFailure(failure: ApiFailure): { ok: false; status: number; message: string | null; code?: string } {
  if (failure.kind !== 'error') return { ok: false, status: failure.status, message: failure.message };
  if (failure.code === 'UNEXPECTED_BODY') return { ok: false, status: failure.status, message: failure.message };
  return failure.body
    ? { ok: false, status: failure.status, message: failure.message, code: failure.code }
    : { ok: false, status: failure.status, message: null };
}

/** The panel's one API client: its sections (review, registrations, parameters) all call through it. */
export function regionalApiClient(options: FetchApiOptions): ApiClient {
  return createApiClient({
    baseUrl: options.baseUrl,
    token: options.token,
    ...(options.clientVersion ? { clientVersion: options.clientVersion } : {}),
    transport: fetchTransport(options.fetch ? { fetch: options.fetch } : {}),
    messages: { offline: NETWORK_ERROR, unauthorized: SESSION_EXPIRED },
    // The panel says what the gateway answered; it keeps no queue to retry from.
    gatewayErrorsOffline: false,
  });
}

export function fetchRegionalApi(options: FetchApiOptions): RegionalApi {
  const client = regionalApiClient(options);
  return {
    // v1.1: the view comes in pages of whole ATS; all of them are fetched and merged into one response, with the rows
    // of an ATS too large for a page read from its stored document (`rowsFromDocument`).
    consolidated: async (region, period) =>
      followConsolidatedPages<ApiResult<ConsolidatedResponse>>(
        async (pageToken) =>
          panelResult(await client.call('consolidated', { params: { region }, query: { period, pageToken } })),
        (failure) => ({ ok: false, status: failure.status, message: failure.message }),
        async (path) => panelResult(await client.getLink(path)),
      ),
    review: async (ats, period, body) =>
      panelResult(await client.call('reviewSubmission', { params: { ats, period }, body })),
    listAts: async (region) => {
      const result = await client.call('listRegionAts', { params: { region } });
      return result.kind === 'ok' ? { ok: true, status: result.status, body: result.body.ats } : panelFailure(result);
    },
    putAts: async (region, ats, body) =>
      panelResult(await client.call('putRegionAts', { params: { region, ats }, body })),
  };
}
