import {
  ATS_CODE,
  intakeColumns,
  LIMITS,
  type ParseResult,
  PERIOD,
  parseSubmission,
  type SchemaIssue,
  type Submission,
  type SubmissionRow,
} from '../contract/submission.ts';
import type { ComuniIndex } from '../reference/comuni.ts';
import { findTemplate, latestTemplate, supersededBy, templateToCheck } from '../template/index.ts';
import { SHEET_IDS, type SheetId, type TemplateDef } from '../template/types.ts';
import type { RuleCounts } from './bound.ts';
import { compareRuleIds, ruleDef } from './catalogue.ts';
import { FindingCollector } from './collector.ts';
import { normalizeSubmission, plainObjectsListOwnKeysOnly } from './normalize.ts';
import { type CheckParams, DEFAULT_PARAMS } from './params.ts';
import { REGIONAL_RULES, SUBMISSION_RULES } from './rules/index.ts';
import type {
  CheckContext,
  Finding,
  FindingInput,
  NormalizedSubmission,
  RegionalContext,
  RegisteredAts,
} from './types.ts';

export interface ValidateOptions {
  readonly comuni?: ComuniIndex;
  /** The current version of the previous snapshot, as stored (raw) or already normalised. */
  readonly previous?: Submission | NormalizedSubmission;
  /** The previous annual return; defaults to `previous` when that is an annual (31/12) return. */
  readonly previousAnnual?: Submission | NormalizedSubmission;
  /**
   * An earlier version of the same period (S.4), or a function that loads it: only S.4 of a re-submission without a
   * comment reads it, so a caller that has it stored (the API) need not decode it for every PUT.
   */
  readonly earlierVersion?: Submission | NormalizedSubmission | (() => Submission | undefined);
  readonly registered?: RegisteredAts;
  readonly params?: CheckParams;
  readonly now?: Date;
  /**
   * Keep only the first this many errors and warnings of each rule (in the stable order) while counting all of them
   * (`countsByRule`): enough for boundFindings, and memory bounded by the rules rather than the rows. The API passes
   * FINDINGS_PER_RULE; without it every finding is kept.
   */
  readonly keepPerRule?: number;
}

export interface ValidationSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly rows: number;
  readonly template: string;
  readonly templateVersion: string;
}

export type ValidationOutcome =
  | {
      readonly ok: true;
      readonly findings: readonly Finding[];
      readonly summary: ValidationSummary;
      /** Every rule with findings and its full counts, kept findings or not (keepPerRule). */
      readonly countsByRule: Record<string, RuleCounts>;
      readonly submission: NormalizedSubmission;
    }
  | { readonly ok: false; readonly issues: readonly SchemaIssue[] };

function finalize(rule: string, input: FindingInput, params: CheckParams): Finding {
  const definition = ruleDef(rule);
  const severity = params.severityOverrides[rule] ?? input.severity ?? definition.severity;
  return {
    rule,
    severity,
    sheet: input.sheet,
    row: input.row,
    column: input.column,
    message: input.message,
    ref: definition.ref,
    ...(input.ats ? { ats: input.ats } : {}),
  };
}

const SHEET_ORDER: Record<string, number> = Object.fromEntries(SHEET_IDS.map((id, index) => [id, index]));

function columnOrder(template: TemplateDef): Map<string, number> {
  const order = new Map<string, number>();
  for (const sheet of template.sheets) {
    sheet.columns.forEach((column, index) => {
      order.set(`${sheet.id}|${column.key}`, index);
    });
  }
  return order;
}

/**
 * ATS codes (ATS-RR-NNN) in code-unit order, which for codes of one ASCII shape is the order localeCompare gave,
 * without the ICU collator whose first use costs a cold start 10–15 ms.
 */
const compareCodes = (left: string, right: string): number => (left < right ? -1 : left > right ? 1 : 0);

/**
 * Stable order: submission-level findings first, then by sheet, row, column (template order), rule and message, so
 * two runs over the same data list the same findings in the same order.
 */
export function sortFindings(findings: Finding[], template: TemplateDef = latestTemplate()): Finding[] {
  return findings.sort(findingOrder(template));
}

/** The comparator of the stable order (sortFindings). */
export function findingOrder(template: TemplateDef = latestTemplate()): (left: Finding, right: Finding) => number {
  const columns = columnOrder(template);
  const sheetRank = (sheet: string | null): number => (sheet === null ? -1 : (SHEET_ORDER[sheet] ?? 99));
  return (left, right) =>
    compareCodes(left.ats ?? '', right.ats ?? '') ||
    sheetRank(left.sheet) - sheetRank(right.sheet) ||
    (left.row ?? 0) - (right.row ?? 0) ||
    (left.column === null ? -1 : (columns.get(`${left.sheet}|${left.column}`) ?? 999)) -
      (right.column === null ? -1 : (columns.get(`${right.sheet}|${right.column}`) ?? 999)) ||
    compareRuleIds(left.rule, right.rule) ||
    (left.message < right.message ? -1 : left.message > right.message ? 1 : 0);
}

function isNormalized(value: Submission | NormalizedSubmission): value is NormalizedSubmission {
  return typeof (value as NormalizedSubmission).template === 'object';
}

/** Reads a stored submission (raw or normalised) for use as context; undefined when it does not parse. */
export function toNormalized(value: Submission | NormalizedSubmission | undefined): NormalizedSubmission | undefined {
  if (value === undefined) return undefined;
  if (isNormalized(value)) return value;
  return normalizeSubmission(templateToCheck(value.template, value.templateVersion), value).submission;
}

const isPlainRecord = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * A row the intake schema surely accepts as it is: own string keys only, each a column of the sheet (so no
 * "__proto__", which the schema refuses), and JSON scalar cells within the length limit. Non-enumerable properties need no test: the schema skips them, and so
 * does the reading of cells (normalize.ts walks a row with for…in), so both see the same cells. `ownKeysOnly` says
 * that for…in over a plain record lists its own keys only (plainObjectsListOwnKeysOnly), so no key needs a hasOwn test.
 */
function isPlainRow(row: unknown, columns: ReadonlySet<string>, ownKeysOnly: boolean): row is SubmissionRow {
  if (!isPlainRecord(row) || Object.getOwnPropertySymbols(row).length > 0) return false;
  const maxCellLength = LIMITS.maxCellLength;
  for (const key in row) {
    if ((!ownKeysOnly && !Object.hasOwn(row, key)) || !columns.has(key)) return false;
    const cell = row[key];
    switch (typeof cell) {
      case 'string':
        if (cell.length > maxCellLength) return false;
        break;
      case 'number':
        if (!Number.isFinite(cell)) return false;
        break;
      case 'boolean':
        break;
      default:
        if (cell !== null) return false;
    }
  }
  return true;
}

const SHEET_KEYS: ReadonlySet<PropertyKey> = new Set<PropertyKey>(SHEET_IDS);
const ENVELOPE_KEYS: ReadonlySet<PropertyKey> = new Set<PropertyKey>([
  'template',
  'templateVersion',
  'ats',
  'period',
  'sheets',
  'comment',
]);

/**
 * The intake schema's answer for the common case, without building a copy of every row: a plain JSON submission that
 * the schema surely accepts is taken as it is. Anything unusual (or wrong) returns undefined and goes through zod,
 * which reports the issues. Accepting here implies the schema accepts, and the fields read later are the same.
 */
function parsePlainSubmission(input: unknown): Submission | undefined {
  if (!isPlainRecord(input)) return undefined;
  for (const key of Reflect.ownKeys(input)) if (!ENVELOPE_KEYS.has(key)) return undefined;
  const { template, templateVersion, ats, period, sheets, comment } = input;
  if (typeof template !== 'string' || template.length < 1 || typeof templateVersion !== 'string') return undefined;
  if (typeof ats !== 'string' || !ATS_CODE.test(ats) || typeof period !== 'string' || !PERIOD.test(period)) {
    return undefined;
  }
  if (
    comment !== undefined &&
    comment !== null &&
    (typeof comment !== 'string' || comment.length > LIMITS.maxCommentLength)
  ) {
    return undefined;
  }
  if (!isPlainRecord(sheets)) return undefined;
  const ownKeysOnly = plainObjectsListOwnKeysOnly();
  const parsedSheets: Record<string, SubmissionRow[]> = {};
  for (const key of Reflect.ownKeys(sheets)) {
    if (!SHEET_KEYS.has(key) || typeof key !== 'string') return undefined;
    const columns = intakeColumns(key as SheetId);
    const rows = sheets[key];
    if (rows === undefined) continue;
    if (!Array.isArray(rows) || rows.length > LIMITS.maxRowsPerSheet) return undefined;
    for (let index = 0; index < rows.length; index++) {
      if (!isPlainRow(rows[index], columns, ownKeysOnly)) return undefined;
    }
    parsedSheets[key] = rows;
  }
  return {
    template,
    templateVersion,
    ats,
    period,
    sheets: parsedSheets,
    ...(comment === undefined ? {} : { comment }),
  };
}

/**
 * The intake schema's verdict on a submission, as validateSubmission reads it: plain JSON that the schema surely
 * accepts is taken as it is, anything else goes through zod, which reports the issues. For callers that need the
 * envelope (ATS, period) before validating, without paying for a second, copying parse.
 */
export function parseIntake(input: unknown): ParseResult {
  const plain = parsePlainSubmission(input);
  return plain ? { ok: true, submission: plain } : parseSubmission(input);
}

/**
 * S.2's word on the template a return names, or null when it is the latest published version: a version superseded by
 * a newer one (the return is still checked against its own), a version never published, or an unknown template.
 */
function templateVersionMessage(raw: Submission): string | null {
  const exact = findTemplate(raw.template, raw.templateVersion);
  if (exact) {
    const newer = supersededBy(exact);
    return newer
      ? `Modello ${exact.id} versione ${exact.version}: è disponibile la versione ${newer.version}. I dati sono controllati sulla versione ${exact.version}; scaricare la versione ${newer.version} e copiarvi i dati.`
      : null;
  }
  const latest = findTemplate(raw.template);
  if (latest) {
    return `Modello non aggiornato: la versione "${raw.templateVersion.slice(0, 40)}" non è pubblicata, scaricare la versione ${latest.version}.`;
  }
  const current = latestTemplate();
  return `Modello "${raw.template.slice(0, 40)}" sconosciuto: usare il modello ${current.id} versione ${current.version}.`;
}

/**
 * Runs every check that the given context allows on one submission. Any JSON value is accepted: what is not a
 * submission yields schema issues, never an exception.
 */
export function validateSubmission(input: unknown, options: ValidateOptions = {}): ValidationOutcome {
  const parsed = parseIntake(input);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const params = options.params ?? DEFAULT_PARAMS;
  const raw = parsed.submission;

  // Checked against its own version when that is published (its columns, headers and code lists), else the latest.
  const template = templateToCheck(raw.template, raw.templateVersion);
  const findings = new FindingCollector(findingOrder(template), options.keepPerRule);
  const outdated = templateVersionMessage(raw);
  if (outdated) findings.push(finalize('S.2', { sheet: null, row: null, column: null, message: outdated }, params));

  // Column findings are the ones a body can have millions of (every required cell of every empty row): each is
  // built into a Finding only when the collector could keep it.
  const probe: { -readonly [K in keyof Finding]: Finding[K] } = {
    rule: '',
    severity: 'error',
    sheet: null,
    row: null,
    column: null,
    message: '',
    ref: '',
  };
  const normalized = normalizeSubmission(template, raw, {
    push: (finding) => {
      const severity = params.severityOverrides[finding.rule] ?? finding.severity ?? ruleDef(finding.rule).severity;
      probe.rule = finding.rule;
      probe.severity = severity;
      probe.sheet = finding.sheet;
      probe.row = finding.row;
      probe.column = finding.column;
      probe.message = finding.message;
      if (findings.wouldKeep(probe)) findings.push(finalize(finding.rule, finding, params));
      else findings.countOnly(finding.rule, severity);
    },
  });

  const previous = toNormalized(options.previous);
  const earlier = options.earlierVersion;
  let earlierVersion: { readonly value: NormalizedSubmission | undefined } | undefined;
  const context: CheckContext = {
    submission: normalized.submission,
    previous,
    previousAnnual:
      toNormalized(options.previousAnnual) ?? (previous?.period.endsWith('-12-31') ? previous : undefined),
    // Read (and normalised) on first use only.
    get earlierVersion() {
      earlierVersion ??= { value: toNormalized(typeof earlier === 'function' ? earlier() : earlier) };
      return earlierVersion.value;
    },
    registered: options.registered,
    comuni: options.comuni,
    params,
    now: options.now ?? new Date(),
  };
  for (const rule of SUBMISSION_RULES) {
    rule.run(context, (finding) => findings.push(finalize(rule.id, finding, params)));
  }

  const kept = sortFindings(findings.kept(), template);
  const rows = SHEET_IDS.reduce((total, sheet) => total + normalized.submission.sheets[sheet].length, 0);
  return {
    ok: true,
    findings: kept,
    countsByRule: findings.countsByRule(),
    summary: {
      errors: findings.errors,
      warnings: findings.warnings,
      rows,
      template: template.id,
      templateVersion: template.version,
    },
    submission: normalized.submission,
  };
}

export interface RegionalOptions {
  readonly region: string;
  readonly period: string;
  readonly submissions: ReadonlyArray<Submission | NormalizedSubmission>;
  readonly registered: readonly RegisteredAts[];
  readonly comuni?: ComuniIndex;
  readonly params?: CheckParams;
}

/** The region-level checks (T2.5, T2.6, the regional form of T5.7, T6.8) over every current submission of a Region. */
export function validateRegion(options: RegionalOptions): Finding[] {
  const params = options.params ?? DEFAULT_PARAMS;
  const context: RegionalContext = {
    region: options.region,
    period: options.period,
    submissions: options.submissions
      .map((submission) => toNormalized(submission))
      .filter((value) => value !== undefined),
    registered: options.registered,
    comuni: options.comuni,
    params,
  };
  const findings: Finding[] = [];
  for (const rule of REGIONAL_RULES) {
    rule.run(context, (finding) => findings.push(finalize(rule.id, finding, params)));
  }
  return sortFindings(findings);
}
