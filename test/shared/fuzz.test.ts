import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { DEMO_PERIOD, demoNow, generatePreviousPeriod, generateSubmission } from '../../shared/demo/generate.ts';
import {
  LEPS_ATS,
  LIMITS,
  parseSubmission,
  RULES_BY_ID,
  SHEET_IDS,
  type Submission,
  type ValidationOutcome,
  validateSubmission,
} from '../../shared/index.ts';

/**
 * Whatever arrives at the API, the checks answer with Italian schema issues or with findings: never an exception.
 * Runs thousands of generated inputs, from arbitrary JSON to small mutations of a valid submission.
 */

const comuni = loadComuni();
// A small ATS (few comuni, the floor of rows) keeps each of the thousands of runs in the low milliseconds.
const ats = syntheticRegion('05', comuni)[1];
if (!ats) throw new Error('No synthetic ATS');
const demo = { ats, regionCode: '05', comuni, period: DEMO_PERIOD, seed: 17 };
const base = generateSubmission(demo);
const previous = generatePreviousPeriod(demo);
const now = demoNow(DEMO_PERIOD);

/** English that zod would print if one of its default messages leaked through. */
const ENGLISH = /\b(Invalid|Expected|expected|received|Too (big|small)|Unrecognized|must be|characters)\b/;

function assertWellFormed(outcome: ValidationOutcome): void {
  if (!outcome.ok) {
    expect(outcome.issues.length).toBeGreaterThan(0);
    for (const issue of outcome.issues) {
      expect(typeof issue.path).toBe('string');
      expect(issue.message.length).toBeGreaterThan(0);
      expect(issue.message).not.toMatch(ENGLISH);
    }
    return;
  }
  for (const finding of outcome.findings) {
    expect(RULES_BY_ID.has(finding.rule)).toBe(true);
    expect(['error', 'warning']).toContain(finding.severity);
    expect(finding.sheet === null || (SHEET_IDS as readonly string[]).includes(finding.sheet)).toBe(true);
    expect(finding.row === null || (Number.isInteger(finding.row) && finding.row >= 1)).toBe(true);
    expect(finding.message.length).toBeGreaterThan(0);
    expect(finding.message).not.toMatch(ENGLISH);
  }
  expect(outcome.summary.errors + outcome.summary.warnings).toBe(outcome.findings.length);
}

/** Validates, and proves that the engine accepts exactly what the intake schema accepts. */
function validateAndCheck(input: unknown, withPrevious = false): ValidationOutcome {
  const outcome = validateSubmission(input, { comuni, now, ...(withPrevious ? { previous } : {}) });
  assertWellFormed(outcome);
  expect(outcome.ok).toBe(parseSubmission(input).ok);
  return outcome;
}

function isJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.getOwnPropertySymbols(value).length === 0 && Object.values(value).every(isJson);
  }
  return false;
}

describe('any JSON value', () => {
  it('yields issues or findings, never an exception (fc.jsonValue)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        validateAndCheck(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('yields issues or findings for fc.anything() restricted to JSON', () => {
    fc.assert(
      fc.property(fc.anything().filter(isJson), (value) => {
        validateAndCheck(value);
      }),
      { numRuns: 800 },
    );
  });

  it('survives JSON values in every envelope field and sheet', () => {
    const field = fc.constantFrom('template', 'templateVersion', 'ats', 'period', 'sheets', 'comment');
    fc.assert(
      fc.property(field, fc.jsonValue({ maxDepth: 3 }), (key, value) => {
        validateAndCheck({ ...base, [key]: value });
        validateAndCheck({ ...base, sheets: { ...base.sheets, T1: value } });
        validateAndCheck({ ...base, sheets: { T3: [value] } });
      }),
      { numRuns: 200 },
    );
  });

  it('survives deep nesting and strings at and over the limits', () => {
    let deepArray: unknown = 'fondo';
    let deepObject: unknown = 'fondo';
    for (let depth = 0; depth < 5000; depth++) {
      deepArray = [deepArray];
      deepObject = { livello: deepObject };
    }
    for (const deep of [deepArray, deepObject]) {
      validateAndCheck(deep);
      validateAndCheck({ ...base, comment: deep });
      validateAndCheck({ ...base, sheets: { T1: [{ COD_ATS: deep }] } });
    }
    const atLimit = 'x'.repeat(LIMITS.maxCellLength);
    const overLimit = `${atLimit}x`;
    const row = { ...base.sheets.T1?.[0], DENOMINAZIONE_ATS: atLimit, ENTE_GESTORE_DENOM: atLimit };
    const accepted = validateAndCheck({
      ...base,
      comment: atLimit.slice(0, LIMITS.maxCommentLength),
      sheets: { ...base.sheets, T1: [row] },
    });
    expect(accepted.ok).toBe(true);
    expect(validateAndCheck({ ...base, sheets: { ...base.sheets, T1: [{ ...row, PEC: overLimit }] } }).ok).toBe(false);
    expect(validateAndCheck({ ...base, comment: 'y'.repeat(LIMITS.maxCommentLength + 1) }).ok).toBe(false);
    const tooMany = Array.from({ length: LIMITS.maxRowsPerSheet + 1 }, () => ({}));
    expect(validateAndCheck({ ...base, sheets: { T6: tooMany } }).ok).toBe(false);
  });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Mutation =
  | { kind: 'cell'; sheet: string; row: number; column: string; value: unknown }
  | { kind: 'remove-column'; sheet: string; row: number; column: string }
  | { kind: 'extra-key'; where: 'envelope' | 'sheets' | 'row'; sheet: string; row: number; key: string; value: Json }
  | { kind: 'remove'; where: 'envelope' | 'sheet'; key: string }
  | { kind: 'envelope'; key: string; value: unknown };

const sheetId = fc.constantFrom(...SHEET_IDS);
const columnName = fc.oneof(
  fc.constantFrom(...LEPS_ATS.sheets.flatMap((sheet) => sheet.columns.map((column) => column.key))),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', ''),
);
/** Scalars of every type, including the text forms an Italian workbook produces. */
const anyScalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '1.234,56',
    '31/12/2025',
    '2025-02-30',
    ' S ',
    'conv',
    '025006',
    'ATS-05-001',
    '',
    '   ',
    '12,5',
    '1e3',
    'NaN',
    '-1',
    '€ 10',
    '00000000000',
    'INT_147_a',
  ),
);
const anyValue = fc.oneof({ weight: 5, arbitrary: anyScalar }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('cell' as const),
    sheet: sheetId,
    row: fc.nat(),
    column: columnName,
    value: anyValue,
  }),
  fc.record({ kind: fc.constant('remove-column' as const), sheet: sheetId, row: fc.nat(), column: columnName }),
  fc.record({
    kind: fc.constant('extra-key' as const),
    where: fc.constantFrom('envelope' as const, 'sheets' as const, 'row' as const),
    sheet: sheetId,
    row: fc.nat(),
    key: fc.string({ maxLength: 10 }),
    value: fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>,
  }),
  fc.record({
    kind: fc.constant('remove' as const),
    where: fc.constantFrom('envelope' as const, 'sheet' as const),
    key: fc.constantFrom('template', 'templateVersion', 'ats', 'period', 'sheets', 'comment', ...SHEET_IDS),
  }),
  fc.record({
    kind: fc.constant('envelope' as const),
    key: fc.constantFrom('template', 'templateVersion', 'ats', 'period', 'comment'),
    value: fc.oneof(
      anyScalar,
      fc.constantFrom('LEPS-ATS', '2025.1', '2024.9', 'ATS-05-002', 'ATS-5-1', '2025-08-31', '2025-06-30'),
    ),
  }),
);

function apply(submission: Submission, change: Mutation): void {
  const target = submission as unknown as Record<string, unknown>;
  const found = target.sheets;
  // An earlier mutation may have removed or replaced the sheets: later ones then change a detached object.
  const sheets = (typeof found === 'object' && found !== null ? found : {}) as Record<
    string,
    Array<Record<string, unknown>> | undefined
  >;
  switch (change.kind) {
    case 'cell':
    case 'remove-column': {
      const rows = sheets[change.sheet];
      const row = Array.isArray(rows) ? rows[change.row % Math.max(1, rows.length)] : undefined;
      if (typeof row !== 'object' || row === null) return;
      if (change.kind === 'cell') row[change.column] = change.value;
      else delete row[change.column];
      return;
    }
    case 'extra-key': {
      if (change.where === 'envelope') target[change.key] = change.value;
      else if (change.where === 'sheets') (sheets as Record<string, unknown>)[change.key] = change.value;
      else {
        const rows = sheets[change.sheet];
        const row = Array.isArray(rows) ? rows[change.row % Math.max(1, rows.length)] : undefined;
        if (typeof row === 'object' && row !== null) row[change.key] = change.value;
      }
      return;
    }
    case 'remove':
      if (change.where === 'envelope') delete target[change.key];
      else delete sheets[change.key];
      return;
    case 'envelope':
      target[change.key] = change.value;
  }
}

describe('mutations of a valid submission', () => {
  it('yield issues or findings, with and without the previous period', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (changes, withPrevious) => {
        const submission = structuredClone(base);
        for (const change of changes) apply(submission, change);
        validateAndCheck(submission, withPrevious);
      }),
      { numRuns: 600 },
    );
  });

  it('survive extreme numbers in every numeric column (years, amounts, counts), on every row at once', () => {
    const numericColumns = LEPS_ATS.sheets.flatMap((sheet) =>
      sheet.columns
        .filter((column) => column.type === 'integer' || column.type === 'decimal' || column.type === 'money')
        .map((column) => [sheet.id, column.key] as const),
    );
    // Year 275760 is the last one a JavaScript Date can hold: any date arithmetic on a typed year must survive it.
    const extremes = [1e300, -1e300, 275760, 300000, Number.MAX_SAFE_INTEGER, -1, 2.5];
    for (const [sheet, key] of numericColumns) {
      for (const value of extremes) {
        const submission = structuredClone(base);
        for (const row of (submission.sheets[sheet] ?? []) as Array<Record<string, unknown>>) row[key] = value;
        expect(validateAndCheck(submission, true).ok, `${sheet}.${key} = ${value}`).toBe(true);
      }
    }
  });

  it('report a changed cell on its own sheet and row when the envelope is intact', () => {
    fc.assert(
      fc.property(sheetId, fc.nat(), anyScalar.filter(isJson), (sheet, rowIndex, value) => {
        const submission = structuredClone(base);
        const rows = submission.sheets[sheet] ?? [];
        const row = rows[rowIndex % Math.max(1, rows.length)] as Record<string, unknown> | undefined;
        if (!row) return;
        const definition = LEPS_ATS.sheets.find((candidate) => candidate.id === sheet);
        const column = definition?.columns[rowIndex % (definition?.columns.length ?? 1)];
        if (!column) return;
        row[column.key] = value;
        const outcome = validateAndCheck(submission);
        // A JSON scalar in a known column is never a schema error: the checks read it and report on the cell.
        expect(outcome.ok).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
