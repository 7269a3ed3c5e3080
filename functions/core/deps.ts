import type { ComuniIndex } from '../../shared/reference/comuni.ts';
import { loadComuni } from '../lib/reference-data.ts';
import { DynamoStore, DynamoSubmissionStore } from '../store/dynamo.ts';
import type { Store, SubmissionStore } from '../store/types.ts';

/** What a data function needs from the outside world, injected so tests can pass their own. */
export interface Deps {
  readonly store: Store;
  readonly comuni: () => ComuniIndex;
  readonly now: () => Date;
}

/** What validate and PUT need. */
export interface SubmissionDeps extends Omit<Deps, 'store'> {
  readonly store: SubmissionStore;
}

let defaults: Deps | undefined;
let submissionDefaults: SubmissionDeps | undefined;

/** The deployed wiring: the DynamoDB store, the bundled ISTAT list, the clock. Built once per warm container. */
export function defaultDeps(): Deps {
  defaults ??= { store: new DynamoStore(), comuni: loadComuni, now: () => new Date() };
  return defaults;
}

/** The same wiring with the narrower store: the submitting functions' bundles leave the rest of the store out. */
export function defaultSubmissionDeps(): SubmissionDeps {
  submissionDefaults ??= { store: new DynamoSubmissionStore(), comuni: loadComuni, now: () => new Date() };
  return submissionDefaults;
}

/** Drops the cached wiring (the local stack, after pointing the environment at another DynamoDB Local). */
export function resetDefaultDeps(): void {
  defaults = undefined;
  submissionDefaults = undefined;
}
