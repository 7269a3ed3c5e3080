/**
 * The single-table key design (docs/backend.md has the table). One partition per ATS and period holds its versions,
 * their reviews and the "current" pointer; the pointer alone carries GSI1 keys, so GSI1 lists the current version of
 * every ATS of a Region at a period in one Query.
 */

const pad = (version: number): string => String(version).padStart(10, '0');

export const keys = {
  submission: (ats: string, period: string) => `SUB#${ats}#${period}`,
  current: 'CURRENT',
  version: (version: number) => `V#${pad(version)}`,
  review: (version: number) => `V#${pad(version)}#REVIEW`,
  versionPrefix: 'V#',
  regionPeriod: (region: string, period: string) => `REGION#${region}#${period}`,
  atsSort: (ats: string) => `ATS#${ats}`,
  region: (region: string) => `REGION#${region}`,
  registration: (ats: string) => `ATS#${ats}`,
  audit: (ats: string) => `AUDIT#${ats}`,
  auditEvent: (at: string, unique: string) => `E#${at}#${unique}`,
  idempotency: (scope: string) => `IDEM#${scope}`,
  idempotencySort: 'IDEM',
  blob: (hash: string) => `BLOB#${hash}`,
  chunk: (index: number) => `C#${String(index).padStart(4, '0')}`,
} as const;
