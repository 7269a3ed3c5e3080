import * as z from 'zod/mini';
import { ATS_CODE, PERIOD } from './codes.ts';

export { ISTAT_COMUNE } from './codes.ts';
export { type RegionAtsBody, regionAtsBodySchema } from './region-ats-body.ts';
export { type ReviewBody, reviewBodySchema } from './review-body.ts';

/**
 * Every HTTP body of contract.md as a zod/mini schema: the functions build their responses from these types and the
 * add-in and the CLI parse what they receive with them, so both sides speak one contract. Fields beyond the contract
 * are optional and only ever added.
 */

export const GROUPS = ['ats-operator', 'region-reviewer', 'national-admin'] as const;
export type Group = (typeof GROUPS)[number];

export const REGION_CODE = /^\d{2}$/;

export const SUBMISSION_STATUSES = ['SUBMITTED', 'APPROVED', 'REJECTED'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export const findingSchema = z.object({
  rule: z.string(),
  severity: z.enum(['error', 'warning']),
  sheet: z.nullable(z.enum(['T1', 'T2', 'T3', 'T4', 'T5', 'T6'])),
  row: z.nullable(z.number()),
  column: z.nullable(z.string()),
  message: z.string(),
  ref: z.string(),
  ats: z.optional(z.string()),
});
export type FindingBody = z.infer<typeof findingSchema>;

/**
 * v1.1 "Bounded findings": the full counts of each rule's findings and whether some were left out of the list beside
 * them (at most 1,000 per rule, 10,000 in all: shared/checks/bound.ts). Optional for v1 servers.
 */
export const ruleCountsSchema = z.object({ errors: z.number(), warnings: z.number() });
export const findingsBoundSchema = z.object({
  countsByRule: z.record(z.string(), ruleCountsSchema),
  truncated: z.boolean(),
});
export type FindingsBound = z.infer<typeof findingsBoundSchema>;

export const issueSchema = z.object({ path: z.string(), message: z.string() });

/** The error body of every 4xx and 5xx. `findings` only on 422; `requestId` only on 500. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.optional(z.array(issueSchema)),
    requestId: z.optional(z.string()),
  }),
  findings: z.optional(z.array(findingSchema)),
  /** v1.1, with `findings` on 422: the full counts (findings are bounded). */
  summary: z.optional(
    z.object({
      errors: z.number(),
      warnings: z.number(),
      countsByRule: z.record(z.string(), ruleCountsSchema),
      truncated: z.boolean(),
    }),
  ),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const receiptSchema = z.object({
  ats: z.string().check(z.regex(ATS_CODE)),
  period: z.string().check(z.regex(PERIOD)),
  template: z.string(),
  templateVersion: z.string(),
  version: z.number().check(z.int(), z.gte(1)),
  /** Lower-case hex sha256 of the canonical serialisation (shared/contract/canonical.ts). */
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  receivedAt: z.string(),
  status: z.enum(SUBMISSION_STATUSES),
  /** v1.1: bounded (at most 1,000 per rule, 10,000 in all); `findingsBound` has the full counts. */
  findings: z.array(findingSchema),
  findingsBound: z.optional(findingsBoundSchema),
});
export type Receipt = z.infer<typeof receiptSchema>;

/** PUT /v1/ats/{ats}/submissions/{period} → 201. */
export const putSubmissionResponseSchema = z.object({ receipt: receiptSchema });

export const validationSummarySchema = z.object({
  errors: z.number(),
  warnings: z.number(),
  rows: z.number(),
  template: z.string(),
  templateVersion: z.string(),
  /** v1.1: full counts per rule; `findings` are bounded and `truncated` says some were left out. */
  countsByRule: z.optional(z.record(z.string(), ruleCountsSchema)),
  truncated: z.optional(z.boolean()),
});

/** POST /v1/validate → 200. `previousPeriod` says whether the cross-period checks ran against a stored version. */
export const validateResponseSchema = z.object({
  findings: z.array(findingSchema),
  summary: validationSummarySchema,
  previousPeriod: z.optional(z.nullable(z.object({ period: z.string(), version: z.number() }))),
});
export type ValidateResponse = z.infer<typeof validateResponseSchema>;

export const reviewSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.nullable(z.string()),
  reviewer: z.string(),
  at: z.string(),
});

export const versionSummarySchema = z.object({
  version: z.number(),
  sha256: z.string(),
  receivedAt: z.string(),
  status: z.enum(SUBMISSION_STATUSES),
  templateVersion: z.string(),
  errors: z.number(),
  warnings: z.number(),
  comment: z.nullable(z.string()),
});
export type VersionSummary = z.infer<typeof versionSummarySchema>;

/**
 * GET /v1/ats/{ats}/submissions/{period}[?version=N&historyLimit=&historyPageToken=] → 200. `submission` is the
 * stored JSON, hash-identical, when the whole response fits the contract's 5 MB (and Lambda's 6 MB once escaped);
 * otherwise `submissionInline` is false, `submission` null, and the document is read from
 * `GET …/submissions/{period}/document?version=N` (submissionDocumentPath). `versions` is one page of the history:
 * the newest `historyLimit` versions (default 100) or those below `historyPageToken`, oldest first;
 * `historyNextToken` (v1.1) is passed back as `?historyPageToken=` for older ones, null when none are left.
 */
export const getSubmissionResponseSchema = z.object({
  receipt: receiptSchema,
  status: z.enum(SUBMISSION_STATUSES),
  findings: z.array(findingSchema),
  current: z.boolean(),
  currentVersion: z.number(),
  review: z.nullable(reviewSchema),
  versions: z.array(versionSummarySchema),
  historyNextToken: z.optional(z.nullable(z.string())),
  /** v1.1: false when the document was left out to keep the response within 5 MB; absent from v1 servers (inline). */
  submissionInline: z.optional(z.boolean()),
  submission: z.unknown(),
});
export type GetSubmissionResponse = z.infer<typeof getSubmissionResponseSchema>;

/**
 * Where the stored document of a version is read when GET submission leaves it out: the route answers exactly the
 * canonical JSON that was stored (its sha256 is the receipt's), never over 5 MB (PUT refuses what would not fit).
 */
export function submissionDocumentPath(ats: string, period: string, version: number): string {
  return `/v1/ats/${encodeURIComponent(ats)}/submissions/${encodeURIComponent(period)}/document?version=${version}`;
}

/** POST …/review → 200. */
export const reviewResponseSchema = z.object({ receipt: receiptSchema, review: reviewSchema });

export const auditEventSchema = z.object({
  at: z.string(),
  /** The caller's `sub`: a pseudonymous id, never a name. */
  who: z.string(),
  groups: z.array(z.string()),
  /** REVIEW_REFUSED: a reviewer tried to approve or reject a version they had submitted themselves (refused, 403). */
  what: z.enum(['SUBMIT', 'APPROVE', 'REJECT', 'REVIEW_REFUSED']),
  period: z.string(),
  version: z.number(),
  sha256: z.string(),
  clientVersion: z.nullable(z.string()),
  comment: z.optional(z.nullable(z.string())),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** GET /v1/ats/{ats}/audit → 200, oldest first; pass `nextToken` back as `?nextToken=` for the next page. */
export const auditResponseSchema = z.object({
  ats: z.string(),
  events: z.array(auditEventSchema),
  nextToken: z.nullable(z.string()),
});

export const registeredAtsSchema = z.object({
  ats: z.string(),
  name: z.string(),
  comuni: z.array(z.string()),
  enteGestoreCf: z.optional(z.string()),
  updatedAt: z.optional(z.string()),
});

/** PUT /v1/regions/{region}/ats/{ats} → 200 (updated) or 201 (new). */
export const putRegionAtsResponseSchema = z.object({ region: z.string(), registered: registeredAtsSchema });

/** GET /v1/regions/{region}/ats → 200. */
export const listRegionAtsResponseSchema = z.object({ region: z.string(), ats: z.array(registeredAtsSchema) });

/** Numbers for the Region's "Sintesi", computed from each current submission. */
export const atsSummarySchema = z.object({
  population: z.number(),
  fteAsTi: z.number(),
  contribution: z.number(),
  rows: z.number(),
});

export const consolidatedAtsSchema = z.object({
  ats: z.string(),
  name: z.nullable(z.string()),
  registered: z.boolean(),
  submitted: z.boolean(),
  status: z.nullable(z.enum(SUBMISSION_STATUSES)),
  version: z.nullable(z.number()),
  receipt: z.nullable(receiptSchema),
  errors: z.number(),
  warnings: z.number(),
  summary: z.nullable(atsSummarySchema),
});
export type ConsolidatedAts = z.infer<typeof consolidatedAtsSchema>;

/**
 * GET /v1/regions/{region}/consolidated?period=&pageToken= → 200, one page (contract v1.1: whole ATS per page, each
 * body at most 5 MB of JSON). The first page has the status of every ATS, `missing` and the region-level findings;
 * later pages have `ats` entries only for their own ATS, and empty `missing` and `findings`. A page's `pageAts` are
 * the ATS whose rows it carries: their entries there are complete, while the first page's entries of ATS on later
 * pages have `receipt.findings` empty. Pass `nextPageToken` back as `?pageToken=` until it is absent
 * (`shared/consolidation/pages.ts` merges the pages, reading the documents of `rowsFromDocument`).
 */
export const consolidatedResponseSchema = z.object({
  region: z.string(),
  period: z.string(),
  ats: z.array(consolidatedAtsSchema),
  /** Registered ATS with no submission for the period. */
  missing: z.array(z.string()),
  /** Rows of this page's ATS (all current submissions when there is one page), sheet by sheet, each with COD_ATS. */
  rows: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  /** Region-level findings (T2.5, T2.6, T5.7, T6.8), each with its `ats`; bounded (v1.1). */
  findings: z.array(findingSchema),
  /** v1.1: the full counts of the region-level findings. */
  findingsBound: z.optional(findingsBoundSchema),
  pageAts: z.optional(z.array(z.string())),
  /**
   * v1.1: ATS whose submission alone would not fit a page (its rows, status entry and the page's envelope over 5 MB,
   * or over 6 MiB once escaped into Lambda's result): the page has their status entry (complete) but not their rows,
   * which the client reads from the stored document of that version (submissionDocumentPath) and adds with COD_ATS as
   * the server would. Absent when none.
   */
  rowsFromDocument: z.optional(z.array(z.object({ ats: z.string(), version: z.number() }))),
  nextPageToken: z.optional(z.string()),
});
export type ConsolidatedResponse = z.infer<typeof consolidatedResponseSchema>;

export const templateSummarySchema = z.object({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  sheets: z.array(z.object({ id: z.string(), name: z.string(), title: z.string() })),
});

/** GET /v1/templates → 200. */
export const listTemplatesResponseSchema = z.object({ templates: z.array(templateSummarySchema) });

/** GET /v1/templates/{id}/{version} → 200 (the `.xlsx` form answers with the workbook instead). */
export const getTemplateResponseSchema = z.object({
  template: z.record(z.string(), z.unknown()),
  jsonSchema: z.record(z.string(), z.unknown()),
});

/** 200 with `ok` when the function and its table answer; 503 with `unavailable` (and Retry-After) when the table does not. */
export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  version: z.string(),
  store: z.enum(['ok', 'unavailable']),
});

/** POST /dev/token (local stack only). */
export const devTokenRequestSchema = z.strictObject({
  sub: z
    .string({ error: 'Indicare l\u2019identificativo utente (sub).' })
    .check(z.minLength(1, 'Indicare l\u2019identificativo utente (sub).'), z.maxLength(128)),
  groups: z.array(z.enum(GROUPS, { error: 'Gruppo non valido: ats-operator, region-reviewer o national-admin.' })),
  ats: z.optional(z.string().check(z.regex(ATS_CODE, 'Codice Ambito non valido: atteso ATS-RR-NNN.'))),
  region: z.optional(z.string().check(z.regex(REGION_CODE, 'Codice Regione non valido: attese 2 cifre.'))),
});
export type DevTokenRequest = z.infer<typeof devTokenRequestSchema>;
export const devTokenResponseSchema = z.object({ token: z.string() });
