import { regionOfAts } from '../lib/claims.ts';

/**
 * The single-table key design (docs/backend.md has the table). One partition per ATS and period holds its versions
 * and their reviews. The "current" pointers of all ATS of a Region at a period share one partition, so a single
 * Query (strongly consistent, paginated) lists them for the consolidated read, with no index to keep in step.
 */

const pad = (version: number): string => String(version).padStart(10, '0');
const regionPeriod = (region: string, period: string): string => `REGION#${region}#${period}`;

export const keys = {
  submission: (ats: string, period: string) => `SUB#${ats}#${period}`,
  /** The current pointer of an ATS at a period, in its Region's partition for that period. */
  current: (ats: string, period: string) => ({ PK: regionPeriod(regionOfAts(ats), period), SK: `ATS#${ats}` }),
  regionPeriod,
  currentPrefix: 'ATS#',
  version: (version: number) => `V#${pad(version)}`,
  review: (version: number) => `V#${pad(version)}#REVIEW`,
  versionPrefix: 'V#',
  /** A version's small history entry (metadata and review), so the history reads no body. */
  history: (version: number) => `H#${pad(version)}`,
  historyPrefix: 'H#',
  /** The table's layout version, written once an upgrade (or a new table) is at today's key design. */
  layout: { PK: 'TABLE#LAYOUT', SK: 'LAYOUT' },
  region: (region: string) => `REGION#${region}`,
  registration: (ats: string) => `ATS#${ats}`,
  /** The Region's overrides of the check parameters, one item in the Region's partition beside its registrations. */
  regionParameters: 'PARAMETERS',
  /** The audit trail of the Region's parameters (an ATS code is ATS-RR-NNN, so it never meets an ATS's trail). */
  regionAudit: (region: string) => `AUDIT#REGION#${region}`,
  audit: (ats: string) => `AUDIT#${ats}`,
  auditEvent: (at: string, unique: string) => `E#${at}#${unique}`,
  idempotency: (scope: string) => `IDEM#${scope}`,
  idempotencySort: 'IDEM',
  blob: (hash: string) => `BLOB#${hash}`,
  chunk: (index: number) => `C#${String(index).padStart(4, '0')}`,
} as const;
