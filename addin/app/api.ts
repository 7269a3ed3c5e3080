import * as z from 'zod/mini';
import {
  errorBodySchema,
  type FindingBody,
  type FindingsBound,
  getSubmissionResponseSchema,
  putSubmissionResponseSchema,
  type Receipt,
  validateResponseSchema,
} from '../../shared/contract/api.ts';
import { tooLargeMessage } from '../../shared/contract/limits.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { prepareJsonBody } from './compress.ts';

/**
 * The add-in's HTTP client, parsing every body with the contract's schemas (shared/contract/api.ts). Each call ends
 * in a value that says what happened; "offline" is kept apart from every answer the server gave, because only then
 * does the task pane fall back to local checks and keep the submission in the outbox.
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
export const SESSION_EXPIRED = 'Sessione scaduta o accesso non valido: accedere di nuovo.';

/** The API's own answer to such a body, given before sending it. */
const tooLarge = (message: string): ApiFailure => ({ kind: 'error', status: 413, code: 'PAYLOAD_TOO_LARGE', message });

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  private async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const token = this.options.token();
    const doFetch = this.options.fetch ?? fetch.bind(globalThis);
    const prepared = body === undefined ? undefined : await prepareJsonBody(body, this.options.compress);
    // Refused here, in Italian, rather than by the API after the upload: the user learns it at once and offline too.
    if (prepared?.kind === 'too-large') return { ok: 'too-large' as const, message: tooLargeMessage(prepared.bytes) };
    try {
      const response = await doFetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(prepared ? prepared.headers : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(this.options.clientVersion ? { 'x-client-version': this.options.clientVersion } : {}),
          ...headers,
        },
        ...(prepared ? { body: prepared.body } : {}),
      });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { ok: true as const, status: response.status, json };
    } catch {
      return { ok: false as const };
    }
  }

  private failure(status: number, json: unknown): ApiFailure {
    // A 401 is read from its status alone: in AWS it comes from API Gateway's JWT authorizer, whose body is its own
    // English `{"message":"Unauthorized"}` and cannot be customised (docs/backend.md, "Who answers").
    if (status === 401) return { kind: 'unauthorized', message: SESSION_EXPIRED };
    const parsed = errorBodySchema.safeParse(json);
    const message = parsed.success ? parsed.data.error.message : `Risposta inattesa dal servizio (HTTP ${status}).`;
    // A gateway that answers 502–504 means the API itself was not reached: treat it as offline, retry later.
    if (status === 502 || status === 503 || status === 504) return { kind: 'offline', message: OFFLINE };
    return { kind: 'error', status, code: parsed.success ? parsed.data.error.code : 'HTTP', message };
  }

  async validate(submission: Submission): Promise<ValidateCall> {
    const result = await this.call('POST', '/v1/validate', submission);
    if (result.ok === 'too-large') return tooLarge(result.message);
    if (!result.ok) return { kind: 'offline', message: OFFLINE };
    if (result.status === 200) {
      const parsed = validateResponseSchema.safeParse(result.json);
      if (parsed.success) {
        const { countsByRule, truncated } = parsed.data.summary;
        return {
          kind: 'ok',
          findings: parsed.data.findings,
          ...(countsByRule ? { bound: { countsByRule, truncated: truncated ?? false } } : {}),
        };
      }
    }
    return this.failure(result.status, result.json);
  }

  async currentVersion(ats: string, period: string): Promise<CurrentCall> {
    const result = await this.call(
      'GET',
      `/v1/ats/${encodeURIComponent(ats)}/submissions/${encodeURIComponent(period)}`,
    );
    if (result.ok !== true) return { kind: 'offline', message: OFFLINE };
    if (result.status === 404) return { kind: 'ok', version: null };
    if (result.status === 200) {
      const parsed = getSubmissionResponseSchema.safeParse(result.json);
      if (parsed.success) return { kind: 'ok', version: parsed.data.currentVersion };
    }
    return this.failure(result.status, result.json);
  }

  async putSubmission(submission: Submission, idempotencyKey: string, ifMatch: number | null): Promise<PutCall> {
    const path = `/v1/ats/${encodeURIComponent(submission.ats)}/submissions/${encodeURIComponent(submission.period)}`;
    const headers: Record<string, string> = { 'idempotency-key': idempotencyKey };
    if (ifMatch !== null) headers['if-match'] = String(ifMatch);
    const result = await this.call('PUT', path, submission, headers);
    if (result.ok === 'too-large') return tooLarge(result.message);
    if (!result.ok) return { kind: 'offline', message: 'Il servizio non è raggiungibile: l’invio resta in coda.' };
    if (result.status === 201 || result.status === 200) {
      const parsed = putSubmissionResponseSchema.safeParse(result.json);
      if (parsed.success) return { kind: 'stored', receipt: parsed.data.receipt };
    }
    const error = errorBodySchema.safeParse(result.json);
    if (result.status === 422) {
      return {
        kind: 'rejected',
        message: error.success ? error.data.error.message : 'Invio respinto: ci sono errori da correggere.',
        findings: error.success ? (error.data.findings ?? []) : [],
        ...(error.success && error.data.summary
          ? { bound: { countsByRule: error.data.summary.countsByRule, truncated: error.data.summary.truncated } }
          : {}),
      };
    }
    if (result.status === 409) {
      return {
        kind: 'conflict',
        code: error.success ? error.data.error.code : 'CONFLICT',
        message: error.success ? error.data.error.message : 'Conflitto di versione.',
      };
    }
    return this.failure(result.status, result.json);
  }
}

/** The claims the task pane shows (never verified here: the API verifies every call). */
export const tokenClaimsSchema = z.object({
  sub: z.string(),
  exp: z.optional(z.number()),
  'cognito:groups': z.optional(z.array(z.string())),
  groups: z.optional(z.array(z.string())),
  'custom:ats': z.optional(z.string()),
  ats: z.optional(z.string()),
  'custom:region': z.optional(z.string()),
  region: z.optional(z.string()),
});

export interface SignedInUser {
  readonly sub: string;
  readonly groups: readonly string[];
  readonly ats: string | undefined;
  readonly region: string | undefined;
  readonly expiresAt: number | undefined;
}

export function readToken(token: string): SignedInUser | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    const parsed = tokenClaimsSchema.safeParse(json);
    if (!parsed.success) return null;
    const claims = parsed.data;
    return {
      sub: claims.sub,
      groups: claims['cognito:groups'] ?? claims.groups ?? [],
      ats: claims['custom:ats'] ?? claims.ats,
      region: claims['custom:region'] ?? claims.region,
      expiresAt: claims.exp,
    };
  } catch {
    return null;
  }
}
