import type { Finding, RegisteredAts } from '../../shared/checks/types.ts';
import type { Receipt, SubmissionStatus } from '../../shared/contract/api.ts';
import type {
  AtsSummary,
  AuditEventRecord,
  RegionParametersEvent,
  RegionParametersRecord,
  ReviewRecord,
} from './records.ts';

export type {
  AtsSummary,
  AuditEventRecord,
  RegionParametersEvent,
  RegionParametersRecord,
  ReviewRecord,
} from './records.ts';

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

/**
 * The current pointer as the Region's partition holds it: metadata and review state only, never the body or the
 * findings (those stay with the ATS, in its version item), so a deadline day's writes to that partition stay small.
 * The sizes let the consolidated view plan its pages before reading any body.
 */
export type CurrentPointer = VersionMeta & {
  /** UTF-8 bytes of the canonical body. */
  readonly bodyBytes: number;
  /** UTF-8 bytes of the findings' JSON. */
  readonly findingsBytes: number;
};

/** One page of the version history: newest first, at most `limit` versions; `nextBefore` continues below it. */
export interface HistoryPage {
  readonly versions: readonly VersionMeta[];
  /** The version to continue from (exclusive) for older versions, or null when none are left. */
  readonly nextBefore: number | null;
}

export interface VersionKey {
  readonly ats: string;
  readonly period: string;
  readonly version: number;
}

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly receipt: Receipt;
  /** True when `receipt.findings` was left empty and the findings are the stored version's (bounded on replay). */
  readonly findingsInVersion?: boolean;
}

export interface CommitInput {
  readonly version: StoredVersion;
  /** The version If-Match named; null when the ATS has no version for the period yet. */
  readonly expectedVersion: number | null;
  readonly idempotency: {
    readonly scope: string;
    readonly requestHash: string;
    readonly receipt: Receipt;
    readonly findingsInVersion?: boolean;
  };
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
  /** Whether the Region's parameters are read (the checks run with them). */
  readonly withParameters?: boolean;
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
  /** The Region's parameters, when asked for (withParameters) and set. */
  readonly parameters?: RegionParametersRecord | undefined;
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
  /** A page of the history, newest first: versions below `before` (all when absent). */
  listHistory(ats: string, period: string, options: { limit: number; before?: number }): Promise<HistoryPage>;
  getIdempotency(scope: string): Promise<IdempotencyRecord | undefined>;
  commitVersion(input: CommitInput): Promise<CommitResult>;
  review(input: ReviewInput): Promise<ReviewResult>;
  /** Appends one event to an ATS's audit trail on its own (a refused review: nothing else changes). */
  recordAudit(event: AuditEventRecord): Promise<void>;
  listAudit(ats: string, options: { limit: number; nextToken?: string }): Promise<AuditPage>;
  putRegistration(
    region: string,
    registered: RegisteredAts,
    updatedBy: string,
  ): Promise<{ created: boolean; updatedAt: string }>;
  getRegistration(region: string, ats: string): Promise<RegisteredAts | undefined>;
  listRegistrations(region: string): Promise<Array<RegisteredAts & { updatedAt?: string }>>;
  listCurrentByRegion(region: string, period: string): Promise<CurrentPointer[]>;
  getRegionParameters(region: string): Promise<RegionParametersRecord | undefined>;
  /** The latest changes of the Region's parameters, newest first. */
  listRegionParameterChanges(region: string, limit: number): Promise<RegionParametersEvent[]>;
  /** Sets the Region's parameters if their version is still `expectedVersion` (0: none set yet), with the audit event. */
  putRegionParameters(input: RegionParametersInput): Promise<RegionParametersResult>;
  /** The stored versions named, bodies and findings included (missing ones left out), in as few requests as it can. */
  getVersions(
    wanted: readonly VersionKey[],
    /** Which versions' findings to decode (all when absent); the others come with an empty list. */
    withFindings?: (key: VersionKey) => boolean,
  ): Promise<StoredVersion[]>;
}

export interface RegionParametersInput {
  readonly record: RegionParametersRecord;
  readonly expectedVersion: number;
  readonly audit: RegionParametersEvent;
}

export type RegionParametersResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'stale' | 'conflict' };

/** A page token that this store did not hand out. */
export class InvalidPageTokenError extends Error {}

/**
 * Each route's slice of the Store. A handler's deps hold only its slice, built from the store modules that implement
 * it, so its bundle holds only the DynamoDB commands it sends (the IAM policy is derived from the bundle).
 */
export type ValidateStore = Pick<Store, 'getContext'>;
/** `getVersions` only for an idempotent replay, whose findings are read back from the version it stored. */
export type SubmissionStore = Pick<Store, 'getContext' | 'getIdempotency' | 'commitVersion' | 'getVersions'>;
export type ReadingStore = Pick<Store, 'getCurrent' | 'getVersion' | 'listHistory'>;
/** GET …/document: one version's stored body, current or by number. */
export type DocumentStore = Pick<Store, 'getCurrent' | 'getVersion'>;
export type ReviewStore = Pick<Store, 'getCurrent' | 'review' | 'recordAudit'>;
export type AuditStore = Pick<Store, 'listAudit'>;
export type RegistrationStore = Pick<Store, 'putRegistration'>;
export type RegistrationListStore = Pick<Store, 'listRegistrations'>;
export type RegionStore = Pick<
  Store,
  'listRegistrations' | 'listCurrentByRegion' | 'getVersions' | 'getRegionParameters'
>;
/** GET parameters: the item and its latest changes. */
export type RegionParametersReadStore = Pick<Store, 'getRegionParameters' | 'listRegionParameterChanges'>;
/** PUT parameters: reads them (the version to replace), writes them with their audit event, answers the changes. */
export type RegionParametersWriteStore = Pick<
  Store,
  'getRegionParameters' | 'listRegionParameterChanges' | 'putRegionParameters'
>;
