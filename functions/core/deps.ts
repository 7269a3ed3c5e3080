import type { ComuniIndex } from '../../shared/reference/comuni.ts';
import { loadComuni } from '../lib/reference-data.ts';
import { DynamoStore } from '../store/dynamo.ts';
import { DynamoAuditStore } from '../store/dynamo-audit.ts';
import { DynamoReadingStore } from '../store/dynamo-history.ts';
import { DynamoParametersReadStore, DynamoParametersWriteStore } from '../store/dynamo-parameters.ts';
import { DynamoRegionStore } from '../store/dynamo-region.ts';
import { DynamoRegistrationListStore, DynamoRegistrationStore } from '../store/dynamo-registrations.ts';
import { DynamoReviewStore } from '../store/dynamo-review.ts';
import { DynamoContextStore, DynamoSubmissionStore } from '../store/dynamo-submit.ts';
import type {
  AuditStore,
  DocumentStore,
  ReadingStore,
  RegionParametersReadStore,
  RegionParametersWriteStore,
  RegionStore,
  RegistrationListStore,
  RegistrationStore,
  ReviewStore,
  Store,
  SubmissionStore,
  ValidateStore,
} from '../store/types.ts';

/**
 * What a data function needs from the outside world, injected so tests can pass their own (a whole Store fits every
 * slice). Each handler calls the builder of its own slice: esbuild drops the builders, and the store modules, that
 * a handler does not call, so each bundle holds only the DynamoDB commands its route sends — the IAM actions derived
 * from the bundles are exactly those.
 */
export interface Deps<S = Store> {
  readonly store: S;
  readonly comuni: () => ComuniIndex;
  readonly now: () => Date;
}

export type ValidateDeps = Deps<ValidateStore>;
export type SubmissionDeps = Deps<SubmissionStore>;
export type ReadingDeps = Deps<ReadingStore>;
export type DocumentDeps = Deps<DocumentStore>;
export type ReviewDeps = Deps<ReviewStore>;
export type AuditDeps = Deps<AuditStore>;
export type RegistrationDeps = Deps<RegistrationStore>;
export type RegistrationListDeps = Deps<RegistrationListStore>;
export type RegionDeps = Deps<RegionStore>;
export type RegionParametersDeps = Deps<RegionParametersReadStore>;
export type RegionParametersWriteDeps = Deps<RegionParametersWriteStore>;

const cache = new Map<string, Deps<unknown>>();

/** Built once per warm container. */
function cached<S>(name: string, store: () => S): Deps<S> {
  let deps = cache.get(name) as Deps<S> | undefined;
  if (!deps) {
    deps = { store: store(), comuni: loadComuni, now: () => new Date() };
    cache.set(name, deps);
  }
  return deps;
}

/** validate: reads its context (BatchGetItem, Query), writes nothing. */
export const validateDeps = (): ValidateDeps => cached('validate', () => new DynamoContextStore());
/** PUT: reads the context, commits a version (PutItem for chunks, a transaction of Puts); GetItem on a race. */
export const submissionDeps = (): SubmissionDeps => cached('submission', () => new DynamoSubmissionStore());
/** GET submission: Queries and BatchGetItem only. */
export const readingDeps = (): ReadingDeps => cached('reading', () => new DynamoReadingStore());
/**
 * GET submission's document: the current version or version N, with its body (Query, BatchGetItem for chunks). The
 * reading store's own commands and partitions; its history page is never called.
 */
export const documentDeps = (): DocumentDeps => cached('document', () => new DynamoReadingStore());
/** POST review: one Query, one transaction (Update, Put, Update, Put). */
export const reviewDeps = (): ReviewDeps => cached('review', () => new DynamoReviewStore());
/** GET audit: Query only. */
export const auditDeps = (): AuditDeps => cached('audit', () => new DynamoAuditStore());
/** PUT registration: PutItem. */
export const registrationDeps = (): RegistrationDeps => cached('registration', () => new DynamoRegistrationStore());
/** GET registrations: Query. */
export const registrationListDeps = (): RegistrationListDeps =>
  cached('registrationList', () => new DynamoRegistrationListStore());
/** The consolidated view: Queries and BatchGetItem, and a GetItem of the Region's parameters. */
export const regionDeps = (): RegionDeps => cached('region', () => new DynamoRegionStore());

/** GET the Region's parameters: GetItem and Query. */
export const regionParametersDeps = (): RegionParametersDeps =>
  cached('regionParameters', () => new DynamoParametersReadStore());
/** PUT the Region's parameters: GetItem, Query, and a transaction of two Puts. */
export const regionParametersWriteDeps = (): RegionParametersWriteDeps =>
  cached('regionParametersWrite', () => new DynamoParametersWriteStore());

/** The whole store: the local stack's seeding (a handler takes its own slice above). */
export const defaultDeps = (): Deps => cached('all', () => new DynamoStore());

/** Drops the cached wiring (the local stack, after pointing the environment at another DynamoDB Local). */
export function resetDefaultDeps(): void {
  cache.clear();
}
