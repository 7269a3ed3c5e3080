import type { FindingBody, FindingsBound, Receipt } from '../../shared/contract/api.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import type { ApiClient } from './api.ts';

/**
 * Submissions waiting to be stored. An entry leaves the outbox only when the API returns its receipt, or when the
 * user dismisses it after the API refused it (errors, a version conflict): it is never dropped silently. Every retry
 * reuses the entry's Idempotency-Key, so a request that was stored but whose answer was lost is not stored twice.
 */

export type OutboxState = 'pending' | 'rejected' | 'conflict';

export interface OutboxEntry {
  /** Also the Idempotency-Key. */
  readonly id: string;
  readonly ats: string;
  readonly period: string;
  readonly createdAt: string;
  readonly submission: Submission;
  /** The version this submission replaces; "unknown" when it was queued offline. */
  readonly ifMatch: number | null | 'unknown';
  readonly attempts: number;
  readonly state: OutboxState;
  readonly message: string | null;
  /** What the API found when it refused the entry (422). */
  readonly findings?: readonly FindingBody[];
  /** Their full counts per rule, the findings being bounded (contract v1.1). */
  readonly bound?: FindingsBound;
}

export interface OutboxStorage {
  load(): OutboxEntry[];
  save(entries: readonly OutboxEntry[]): void;
}

export function localStorageOutbox(storage: Storage, key = 'rendiconta-leps.outbox'): OutboxStorage {
  return {
    load() {
      try {
        const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
        return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
      } catch {
        return [];
      }
    },
    save(entries) {
      storage.setItem(key, JSON.stringify(entries));
    },
  };
}

export function memoryOutbox(initial: OutboxEntry[] = []): OutboxStorage {
  let entries = initial;
  return {
    load: () => entries.map((entry) => ({ ...entry })),
    save: (next) => {
      entries = next.map((entry) => ({ ...entry }));
    },
  };
}

/** A v4 UUID; crypto.randomUUID is missing from older Office webviews. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type FlushEvent =
  | { readonly kind: 'stored'; readonly entry: OutboxEntry; readonly receipt: Receipt }
  | { readonly kind: 'waiting'; readonly message: string }
  | { readonly kind: 'refused'; readonly entry: OutboxEntry };

export class Outbox {
  private flushing: Promise<FlushEvent[]> | null = null;

  constructor(
    private readonly storage: OutboxStorage,
    private readonly newId: () => string = uuid,
    private readonly now: () => Date = () => new Date(),
  ) {}

  entries(): OutboxEntry[] {
    return this.storage.load();
  }

  enqueue(submission: Submission, ifMatch: number | null | 'unknown'): OutboxEntry {
    const entry: OutboxEntry = {
      id: this.newId(),
      ats: submission.ats,
      period: submission.period,
      createdAt: this.now().toISOString(),
      submission,
      ifMatch,
      attempts: 0,
      state: 'pending',
      message: null,
    };
    this.storage.save([...this.storage.load(), entry]);
    return entry;
  }

  /** Only entries the API refused may be dismissed: a pending one must still reach the server. */
  dismiss(id: string): boolean {
    const entries = this.storage.load();
    const entry = entries.find((candidate) => candidate.id === id);
    if (!entry || entry.state === 'pending') return false;
    this.storage.save(entries.filter((candidate) => candidate.id !== id));
    return true;
  }

  /** Sends a refused-for-conflict entry again against the version now current (same key). */
  retryReplacing(id: string): void {
    this.update(id, { state: 'pending', ifMatch: 'unknown', message: null });
  }

  private update(id: string, change: Partial<OutboxEntry>): void {
    this.storage.save(this.storage.load().map((entry) => (entry.id === id ? { ...entry, ...change } : entry)));
  }

  private remove(id: string): void {
    this.storage.save(this.storage.load().filter((entry) => entry.id !== id));
  }

  /** Tries every pending entry in order; stops at the first that cannot reach the API. One flush at a time. */
  flush(api: ApiClient): Promise<FlushEvent[]> {
    this.flushing ??= this.run(api).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async run(api: ApiClient): Promise<FlushEvent[]> {
    const events: FlushEvent[] = [];
    for (const entry of this.storage.load().filter((candidate) => candidate.state === 'pending')) {
      let ifMatch = entry.ifMatch;
      if (ifMatch === 'unknown') {
        const current = await api.currentVersion(entry.ats, entry.period);
        if (current.kind !== 'ok') {
          this.update(entry.id, { attempts: entry.attempts + 1, message: current.message });
          events.push({ kind: 'waiting', message: current.message });
          return events;
        }
        ifMatch = current.version;
        this.update(entry.id, { ifMatch });
      }
      const result = await api.putSubmission(entry.submission, entry.id, ifMatch);
      switch (result.kind) {
        case 'stored':
          this.remove(entry.id);
          events.push({ kind: 'stored', entry, receipt: result.receipt });
          break;
        case 'offline':
        case 'unauthorized':
          this.update(entry.id, { attempts: entry.attempts + 1, message: result.message });
          events.push({ kind: 'waiting', message: result.message });
          return events;
        case 'conflict': {
          this.update(entry.id, { attempts: entry.attempts + 1, state: 'conflict', message: result.message });
          const refused = this.storage.load().find((candidate) => candidate.id === entry.id);
          if (refused) events.push({ kind: 'refused', entry: refused });
          break;
        }
        case 'rejected':
        case 'error': {
          this.update(entry.id, {
            attempts: entry.attempts + 1,
            state: 'rejected',
            message: result.message,
            ...(result.kind === 'rejected'
              ? { findings: result.findings, ...(result.bound ? { bound: result.bound } : {}) }
              : {}),
          });
          const refused = this.storage.load().find((candidate) => candidate.id === entry.id);
          if (refused) events.push({ kind: 'refused', entry: refused });
          break;
        }
      }
    }
    return events;
  }
}
