import type { Finding, RegisteredAts } from '../../shared/checks/types.ts';
import type { Receipt, SubmissionStatus } from '../../shared/contract/api.ts';
import type { AtsSummary, AuditEventRecord, ReviewRecord } from './records.ts';

export type { AtsSummary, AuditEventRecord, ReviewRecord } from './records.ts';

/** One immutable version of an ATS's submission for a period. `body` is the canonical JSON the sha256 is over. */
export interface StoredVersion {
  readonly ats: string;
  readonly period: string;
  readonly version: number;
  readonly sha256: string;
  readonly receivedAt: string;
  readonly template: string;
  readonly templateVersion: string;
  readonly findings: readonly Finding[];
  readonly errors: number;
  readonly warnings: number;
  readonly comment: string | null;
  readonly submittedBy: string;
  readonly clientVersion: string | null;
  readonly summary: AtsSummary | null;
  readonly body: string;
}

/** The current version of an ATS at a period, with its review state (the only mutable part). */
export interface CurrentVersion extends StoredVersion {
  readonly status: SubmissionStatus;
  readonly review: ReviewRecord | null;
}

export type VersionMeta = Omit<StoredVersion, 'body' | 'findings'> & {
  readonly status: SubmissionStatus;
  readonly review: ReviewRecord | null;
};

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly receipt: Receipt;
}

export interface CommitInput {
  readonly version: StoredVersion;
  /** The version If-Match named; null when the ATS has no version for the period yet. */
  readonly expectedVersion: number | null;
  readonly idempotency: { readonly scope: string; readonly requestHash: string; readonly receipt: Receipt };
  readonly audit: AuditEventRecord;
}

export type CommitResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'stale' | 'idempotency' | 'conflict' };

export interface ReviewInput {
  readonly ats: string;
  readonly period: string;
  readonly version: number;
  readonly review: ReviewRecord;
  readonly audit: AuditEventRecord;
}

export type ReviewResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'stale' | 'conflict' };

/** Which items PUT and validate read before checking, in one round trip. */
export interface SubmissionContextQuery {
  readonly ats: string;
  readonly period: string;
  /** The previous annual return (year-on-year checks). */
  readonly previousPeriod: string | null;
  /** The same year's interim snapshot before an annual return (cumulative checks). */
  readonly interimPeriod?: string | null;
  readonly region: string;
  readonly withRegistration: boolean;
  readonly idempotencyScope?: string;
  /**
   * Whether the current version's body is read. Only S.4 needs it, for a re-submission without a reason; a large
   * body is gzipped over several chunk items, which would otherwise be fetched and inflated on every PUT.
   */
  readonly currentBody: boolean;
}

/** The current version as PUT and validate read it: its body only when the query asked for it (currentBody). */
export type CurrentForChecks = VersionMeta & { readonly body: string | undefined };

/** What PUT and validate read before checking: one round trip for all three. */
export interface SubmissionContext {
  readonly current: CurrentForChecks | undefined;
  readonly previous: CurrentVersion | undefined;
  /** The current version of the interim snapshot asked for (interimPeriod), if stored. */
  readonly interim: CurrentVersion | undefined;
  readonly registered: RegisteredAts | undefined;
  /** The idempotency record of the scope asked for, if any and not expired. */
  readonly idempotency?: IdempotencyRecord | undefined;
}

export interface AuditPage {
  readonly events: readonly AuditEventRecord[];
  readonly nextToken: string | null;
}

/**
 * The storage the functions need, by access pattern. The DynamoDB adapter implements it; domain code depends only on
 * this, so it is tested against an in-memory implementation too.
 */
export interface Store {
  getContext(input: SubmissionContextQuery): Promise<SubmissionContext>;
  getCurrent(ats: string, period: string): Promise<CurrentVersion | undefined>;
  getVersion(
    ats: string,
    period: string,
    version: number,
  ): Promise<(StoredVersion & { review: ReviewRecord | null }) | undefined>;
  listVersions(ats: string, period: string): Promise<VersionMeta[]>;
  getIdempotency(scope: string): Promise<IdempotencyRecord | undefined>;
  commitVersion(input: CommitInput): Promise<CommitResult>;
  review(input: ReviewInput): Promise<ReviewResult>;
  listAudit(ats: string, options: { limit: number; nextToken?: string }): Promise<AuditPage>;
  putRegistration(
    region: string,
    registered: RegisteredAts,
    updatedBy: string,
  ): Promise<{ created: boolean; updatedAt: string }>;
  getRegistration(region: string, ats: string): Promise<RegisteredAts | undefined>;
  listRegistrations(region: string): Promise<Array<RegisteredAts & { updatedAt?: string }>>;
  listCurrentByRegion(region: string, period: string): Promise<CurrentVersion[]>;
}

/** A page token that this store did not hand out. */
export class InvalidPageTokenError extends Error {}

/** What validate and PUT need: a narrower store, so their bundles leave the rest out. */
export type SubmissionStore = Pick<Store, 'getContext' | 'getCurrent' | 'getIdempotency' | 'commitVersion'>;
