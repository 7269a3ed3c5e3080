import type { RegisteredAts } from '../../shared/checks/types.ts';
import {
  type AuditEventRecord,
  type AuditPage,
  type CommitInput,
  type CommitResult,
  type CurrentPointer,
  type CurrentVersion,
  type HistoryPage,
  type IdempotencyRecord,
  InvalidPageTokenError,
  type RegionParametersEvent,
  type RegionParametersInput,
  type RegionParametersRecord,
  type RegionParametersResult,
  type ReviewInput,
  type ReviewRecord,
  type ReviewResult,
  type Store,
  type StoredVersion,
  type SubmissionContext,
  type SubmissionContextQuery,
  type VersionKey,
  type VersionMeta,
} from './types.ts';

/**
 * Store in memory, with the same conditions as the DynamoDB adapter (immutable versions, the current pointer moved
 * only from the expected version, one idempotency record per scope, one review per version). For tests of the data
 * functions without a database, and for nothing in production.
 */
export class MemoryStore implements Store {
  private readonly versions = new Map<string, StoredVersion[]>();
  private readonly reviews = new Map<string, ReviewRecord>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly audit = new Map<string, AuditEventRecord[]>();
  private readonly registrations = new Map<string, Map<string, RegisteredAts & { updatedAt: string }>>();
  private readonly parameters = new Map<string, RegionParametersRecord>();
  private readonly parameterChanges = new Map<string, RegionParametersEvent[]>();

  private static key(ats: string, period: string): string {
    return `${ats}|${period}`;
  }

  private withReview(version: StoredVersion): CurrentVersion {
    const review = this.reviews.get(`${MemoryStore.key(version.ats, version.period)}|${version.version}`) ?? null;
    return {
      ...version,
      review,
      status: review === null ? 'SUBMITTED' : review.decision === 'approve' ? 'APPROVED' : 'REJECTED',
    };
  }

  async getContext(input: SubmissionContextQuery): Promise<SubmissionContext> {
    const current = await this.getCurrent(input.ats, input.period);
    return {
      current: current && { ...current, body: input.currentBody ? current.body : undefined },
      previous: input.previousPeriod ? await this.getCurrent(input.ats, input.previousPeriod) : undefined,
      interim: input.interimPeriod ? await this.getCurrent(input.ats, input.interimPeriod) : undefined,
      registered: input.withRegistration ? await this.getRegistration(input.region, input.ats) : undefined,
      parameters: input.withParameters ? this.parameters.get(input.region) : undefined,
      idempotency: input.idempotencyScope ? this.idempotency.get(input.idempotencyScope) : undefined,
    };
  }

  async getCurrent(ats: string, period: string): Promise<CurrentVersion | undefined> {
    const list = this.versions.get(MemoryStore.key(ats, period)) ?? [];
    const last = list[list.length - 1];
    return last ? this.withReview(last) : undefined;
  }

  async getVersion(ats: string, period: string, version: number) {
    const found = (this.versions.get(MemoryStore.key(ats, period)) ?? []).find((entry) => entry.version === version);
    return found ? { ...found, review: this.withReview(found).review } : undefined;
  }

  private meta(entry: StoredVersion): VersionMeta {
    const { body: _body, findings: _findings, ...meta } = this.withReview(entry);
    return meta;
  }

  async listHistory(ats: string, period: string, options: { limit: number; before?: number }): Promise<HistoryPage> {
    const below = (this.versions.get(MemoryStore.key(ats, period)) ?? [])
      .filter((entry) => options.before === undefined || entry.version < options.before)
      .reverse();
    const page = below.slice(0, options.limit);
    const oldest = page[page.length - 1];
    return {
      versions: page.map((entry) => this.meta(entry)),
      nextBefore: below.length > options.limit && oldest ? oldest.version : null,
    };
  }

  async getIdempotency(scope: string): Promise<IdempotencyRecord | undefined> {
    return this.idempotency.get(scope);
  }

  async commitVersion(input: CommitInput): Promise<CommitResult> {
    if (this.idempotency.has(input.idempotency.scope)) return { ok: false, reason: 'idempotency' };
    const key = MemoryStore.key(input.version.ats, input.version.period);
    const list = this.versions.get(key) ?? [];
    const currentVersion = list[list.length - 1]?.version ?? null;
    if (currentVersion !== input.expectedVersion || list.some((entry) => entry.version === input.version.version)) {
      return { ok: false, reason: 'stale' };
    }
    this.versions.set(key, [...list, input.version]);
    this.idempotency.set(input.idempotency.scope, {
      requestHash: input.idempotency.requestHash,
      receipt: input.idempotency.receipt,
      ...(input.idempotency.findingsInVersion ? { findingsInVersion: true } : {}),
    });
    this.appendAudit(input.audit);
    return { ok: true };
  }

  async recordAudit(event: AuditEventRecord): Promise<void> {
    this.appendAudit(event);
  }

  private appendAudit(event: AuditEventRecord): void {
    this.audit.set(event.ats, [...(this.audit.get(event.ats) ?? []), event]);
  }

  async review(input: ReviewInput): Promise<ReviewResult> {
    const current = await this.getCurrent(input.ats, input.period);
    if (!current || current.version !== input.version || current.review !== null) return { ok: false, reason: 'stale' };
    this.reviews.set(`${MemoryStore.key(input.ats, input.period)}|${input.version}`, input.review);
    this.appendAudit(input.audit);
    return { ok: true };
  }

  async listAudit(ats: string, options: { limit: number; nextToken?: string }): Promise<AuditPage> {
    const start = options.nextToken === undefined ? 0 : Number(options.nextToken);
    if (!Number.isInteger(start) || start < 0) throw new InvalidPageTokenError();
    const events = this.audit.get(ats) ?? [];
    const page = events.slice(start, start + options.limit);
    return { events: page, nextToken: start + options.limit < events.length ? String(start + options.limit) : null };
  }

  async putRegistration(region: string, registered: RegisteredAts) {
    const regionMap = this.registrations.get(region) ?? new Map();
    const created = !regionMap.has(registered.ats);
    const updatedAt = new Date().toISOString();
    regionMap.set(registered.ats, { ...registered, updatedAt });
    this.registrations.set(region, regionMap);
    return { created, updatedAt };
  }

  async getRegistration(region: string, ats: string): Promise<RegisteredAts | undefined> {
    const found = this.registrations.get(region)?.get(ats);
    if (!found) return undefined;
    const { updatedAt: _updatedAt, ...registered } = found;
    return registered;
  }

  async listRegistrations(region: string) {
    return [...(this.registrations.get(region)?.values() ?? [])].sort((left, right) =>
      left.ats.localeCompare(right.ats),
    );
  }

  async getRegionParameters(region: string): Promise<RegionParametersRecord | undefined> {
    return this.parameters.get(region);
  }

  async listRegionParameterChanges(region: string, limit: number): Promise<RegionParametersEvent[]> {
    return [...(this.parameterChanges.get(region) ?? [])].reverse().slice(0, limit);
  }

  async putRegionParameters(input: RegionParametersInput): Promise<RegionParametersResult> {
    if ((this.parameters.get(input.record.region)?.version ?? 0) !== input.expectedVersion) {
      return { ok: false, reason: 'stale' };
    }
    this.parameters.set(input.record.region, input.record);
    this.parameterChanges.set(input.record.region, [
      ...(this.parameterChanges.get(input.record.region) ?? []),
      input.audit,
    ]);
    return { ok: true };
  }

  async listCurrentByRegion(region: string, period: string): Promise<CurrentPointer[]> {
    const result: CurrentPointer[] = [];
    for (const list of this.versions.values()) {
      const last = list[list.length - 1];
      if (last && last.period === period && last.ats.slice(4, 6) === region) {
        result.push({
          ...this.meta(last),
          bodyBytes: Buffer.byteLength(last.body),
          findingsBytes: Buffer.byteLength(JSON.stringify(last.findings)),
        });
      }
    }
    return result.sort((left, right) => left.ats.localeCompare(right.ats));
  }

  async getVersions(
    wanted: readonly VersionKey[],
    withFindings: (key: VersionKey) => boolean = () => true,
  ): Promise<StoredVersion[]> {
    return wanted.flatMap((key) => {
      const found = (this.versions.get(MemoryStore.key(key.ats, key.period)) ?? []).find(
        (entry) => entry.version === key.version,
      );
      if (!found) return [];
      return [withFindings(key) ? found : { ...found, findings: [] }];
    });
  }
}
