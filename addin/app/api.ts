import { type ApiClient as ContractClient, createApiClient } from '../../shared/client/client.ts';
import type { FindingBody, FindingsBound, Receipt } from '../../shared/contract/api.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { fetchTransport } from './transport.ts';

/**
 * The task pane's calls, through the one API client (shared/client/): what each answer means for the pane. Each call
 * ends in a value that says what happened; "offline" is kept apart from every answer the server gave, because only
 * then does the task pane fall back to local checks and keep the submission in the outbox.
 */

export type ApiFailure =
  | { readonly kind: 'offline'; readonly message: string }
  | { readonly kind: 'unauthorized'; readonly message: string }
  | { readonly kind: 'error'; readonly status: number; readonly code: string; readonly message: string };

export type ValidateCall =
  | { readonly kind: 'ok'; readonly findings: readonly FindingBody[]; readonly bound?: FindingsBound }
  | ApiFailure;

export type PutCall =
  | { readonly kind: 'stored'; readonly receipt: Receipt }
  | {
      readonly kind: 'rejected';
      readonly message: string;
      readonly findings: readonly FindingBody[];
      readonly bound?: FindingsBound;
    }
  | { readonly kind: 'conflict'; readonly code: string; readonly message: string }
  | ApiFailure;

export type CurrentCall = { readonly kind: 'ok'; readonly version: number | null } | ApiFailure;

export interface ApiClientOptions {
  readonly baseUrl: string;
  readonly token: () => string | undefined;
  readonly fetch?: typeof fetch;
  /** Sent as X-Client-Version for the audit trail. */
  readonly clientVersion?: string;
  /** Gzip large bodies; default: when the webview has CompressionStream. */
  readonly compress?: boolean;
}

const OFFLINE = 'Il servizio non è raggiungibile: controlli eseguiti solo sul computer.';
const OFFLINE_QUEUED = 'Il servizio non è raggiungibile: l’invio resta in coda.';
export const SESSION_EXPIRED = 'Sessione scaduta o accesso non valido: accedere di nuovo.';

/** The pane's view of a failure: offline, unauthorized, or the server's Italian message with its code. */
function paneFailure(failure: { kind: string; status: number; message: string; code?: string }): ApiFailure {
  if (failure.kind === 'offline') return { kind: 'offline', message: failure.message };
  if (failure.kind === 'unauthorized') return { kind: 'unauthorized', message: failure.message };
  return { kind: 'error', status: failure.status, code: failure.code ?? 'HTTP', message: failure.message };
}

export class ApiClient {
  private readonly client: ContractClient;

  constructor(options: ApiClientOptions) {
    this.client = createApiClient({
      baseUrl: options.baseUrl,
      token: options.token,
      ...(options.clientVersion ? { clientVersion: options.clientVersion } : {}),
      transport: fetchTransport({
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.compress === undefined ? {} : { compress: options.compress }),
      }),
      messages: { offline: OFFLINE, unauthorized: SESSION_EXPIRED },
    });
  }

  async validate(submission: Submission): Promise<ValidateCall> {
    const result = await this.client.call('validate', { body: submission });
    if (result.kind !== 'ok') return paneFailure(result);
    const { countsByRule, truncated } = result.body.summary;
    return {
      kind: 'ok',
      findings: result.body.findings,
      ...(countsByRule ? { bound: { countsByRule, truncated: truncated ?? false } } : {}),
    };
  }

  async currentVersion(ats: string, period: string): Promise<CurrentCall> {
    const result = await this.client.call('getSubmission', { params: { ats, period } });
    if (result.kind === 'ok') return { kind: 'ok', version: result.body.currentVersion };
    // Offline whatever the reason the answer was not read: the outbox then asks again before sending.
    if (result.kind === 'offline') return { kind: 'offline', message: OFFLINE };
    if (result.status === 404) return { kind: 'ok', version: null };
    return paneFailure(result);
  }

  async putSubmission(submission: Submission, idempotencyKey: string, ifMatch: number | null): Promise<PutCall> {
    const result = await this.client.call('putSubmission', {
      params: { ats: submission.ats, period: submission.period },
      body: submission,
      headers: { 'idempotency-key': idempotencyKey, ...(ifMatch === null ? {} : { 'if-match': String(ifMatch) }) },
    });
    if (result.kind === 'ok') return { kind: 'stored', receipt: result.body.receipt };
    if (result.kind === 'offline' && result.status === 0) return { kind: 'offline', message: OFFLINE_QUEUED };
    if (result.kind === 'error' && result.status === 422) {
      const error = result.body;
      return {
        kind: 'rejected',
        message: error ? error.error.message : 'Invio respinto: ci sono errori da correggere.',
        findings: error?.findings ?? [],
        ...(error?.summary
          ? { bound: { countsByRule: error.summary.countsByRule, truncated: error.summary.truncated } }
          : {}),
      };
    }
    if (result.kind === 'error' && result.status === 409) {
      return {
        kind: 'conflict',
        code: result.body ? result.code : 'CONFLICT',
        message: result.body ? result.message : 'Conflitto di versione.',
      };
    }
    return paneFailure(result);
  }
}
