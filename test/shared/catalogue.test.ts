import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLUMN_LEVEL_RULES, REGIONAL_RULES, SUBMISSION_RULES } from '../../shared/checks/rules/index.ts';
import {
  compareRuleIds,
  type Finding,
  LEPS_ATS,
  RULES,
  RULES_BY_ID,
  SHEET_IDS,
  sortFindings,
  validateRegion,
  validateSubmission,
} from '../../shared/index.ts';
import {
  anagrafica,
  check,
  comuni,
  fund,
  funds,
  indicator,
  indicators,
  spending,
  spendingRows,
  staffRows,
  validSubmission,
  withRow,
} from '../support/builders.ts';

/** The catalogue (catalogue.ts) and the implementations (rules/*.ts) describe the same set of checks. */

const implemented = new Set([
  ...SUBMISSION_RULES.map((rule) => rule.id),
  ...REGIONAL_RULES.map((rule) => rule.id),
  ...COLUMN_LEVEL_RULES,
]);

describe('the rule catalogue', () => {
  it('has an implementation for every rule', () => {
    const missing = RULES.map((rule) => rule.id).filter((id) => !implemented.has(id));
    expect(missing).toEqual([]);
  });

  it('lists every implemented rule', () => {
    const unknown = [...implemented].filter((id) => !RULES_BY_ID.has(id));
    expect(unknown).toEqual([]);
  });

  it('runs each regional rule of the catalogue at Region level', () => {
    const regional = RULES.filter((rule) => rule.scope === 'regional').map((rule) => rule.id);
    expect(regional.filter((id) => !REGIONAL_RULES.some((rule) => rule.id === id))).toEqual([]);
  });

  it('has unique IDs, in natural order, each with an Italian title and a reference', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort(compareRuleIds)).toEqual(ids);
    for (const rule of RULES) {
      expect(rule.title.length, rule.id).toBeGreaterThan(5);
      expect(rule.ref.length, rule.id).toBeGreaterThan(3);
    }
  });

  it('runs the rules in ID order with the catalogue metadata', () => {
    const ids = SUBMISSION_RULES.map((rule) => rule.id);
    expect([...ids].sort(compareRuleIds)).toEqual(ids);
    for (const rule of [...SUBMISSION_RULES, ...REGIONAL_RULES]) {
      const definition = RULES_BY_ID.get(rule.id);
      expect(rule.severity, rule.id).toBe(definition?.severity);
      expect(rule.ref, rule.id).toBe(definition?.ref);
    }
  });
});

describe('the valid submission of the builders', () => {
  it('yields no finding with every check running', () => {
    expect(check(validSubmission())).toEqual([]);
  });

  it('yields no finding against a consistent previous snapshot (31/08/2025) or an identical earlier version', () => {
    const previous = validSubmission(
      {
        T4: funds().map((row, index) => ({
          ...row,
          DATA_RIF: '2025-08-31',
          ...(index === 0 ? { IMPORTO_IMPEGNATO: 380000, IMPORTO_LIQUIDATO: 200000, IMPORTO_PAGATO: 200000 } : {}),
        })),
      },
      { period: '2025-08-31' },
    );
    expect(check(validSubmission(), { previous })).toEqual([]);
    const corrected = validSubmission({}, { comment: 'Rettifica richiesta dalla Regione.' });
    expect(check(corrected, { earlierVersion: validSubmission() })).toEqual([]);
  });
});

/** A submission that trips checks on several sheets, rows, columns and rules at once. */
function troubled() {
  return validSubmission({
    T1: [anagrafica({ POPOLAZIONE_TOT: 40000, UDP_FTE_TOT: 0.5, UDP_FTE_AMM: 0.5, UDP_FTE_CONT: 0 })],
    T2: withRow(comuni(), 2, { COD_ATS: 'ATS-05-002' }),
    T3: withRow(staffRows(), 3, { ORE_SETT: '36,0' }),
    T4: [
      ...withRow(funds(), 1, { IMPORTO_IMPEGNATO: '500.000,00', IMPORTO_PAGATO: 250000 }),
      fund({
        FONDO: 'PNRR',
        QUOTA: 'M5C2_1.1.1',
        CUP: 'B31H27000280106',
        LINEA_PNRR: '1.2',
        IMPORTO_ASSEGNATO: 900000,
        TARGET_PROGRAMMATO: 10,
        TARGET_REALIZZATO: 2,
        DATA_FINE_SPESA_PROGRAMMATA: '2025-06-30',
      }),
    ],
    T5: [
      ...withRow(spendingRows(), 2, { COD_LEPS: 'LEPS_DIM', LIQUIDATO: 170000, MODALITA: 'TRASF_ENTE' }),
      spending({ QUOTA: 'QPE', AREA: 'MIN_FAM', COD_LEPS: 'LEPS_ADI', DI_CUI_PERSONALE: null }),
    ],
    T6: [
      ...withRow(indicators(), 1, { VALORE: 0 }),
      indicator('LEPS_SSP', 'SSP_FTE_AS', 12),
      indicator('LEPS_PIS', 'ADI_PAIS_SOTTOSCRITTI', 1.5),
    ],
  });
}

const SHEET_RANK = new Map<string | null, number>([[null, -1], ...SHEET_IDS.map((id, index) => [id, index] as const)]);

function columnRank(finding: Finding): number {
  if (finding.column === null || finding.sheet === null) return -1;
  const sheet = LEPS_ATS.sheets.find((candidate) => candidate.id === finding.sheet);
  return sheet?.columns.findIndex((column) => column.key === finding.column) ?? 999;
}

/** Sheet (submission-level first), row, column in template order, rule in natural order. */
function inOrder(left: Finding, right: Finding): boolean {
  const keys = (finding: Finding) => [SHEET_RANK.get(finding.sheet) ?? 99, finding.row ?? 0, columnRank(finding)];
  const [a, b] = [keys(left), keys(right)];
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference < 0;
  }
  return compareRuleIds(left.rule, right.rule) <= 0;
}

describe('the order of findings', () => {
  const first = check(troubled());

  it('is the same for the same input', () => {
    expect(first.length).toBeGreaterThan(20);
    expect(check(troubled())).toEqual(first);
  });

  it('goes by sheet, row, column and rule', () => {
    const sheets = new Set(first.map((finding) => finding.sheet));
    expect(sheets.size).toBeGreaterThanOrEqual(6);
    first.slice(1).forEach((finding, index) => {
      const previous = first[index];
      if (previous)
        expect(inOrder(previous, finding), `${JSON.stringify(previous)} before ${JSON.stringify(finding)}`).toBe(true);
    });
  });

  it('does not depend on the order the findings were produced in', () => {
    expect(sortFindings([...first].reverse())).toEqual(first);
  });

  it('is stable for the Region as well', () => {
    const region = () =>
      validateRegion({
        region: '05',
        period: '2025-12-31',
        submissions: [troubled(), validSubmission({}, { ats: 'ATS-05-002' })],
        registered: [],
      });
    const once = region();
    expect(once.length).toBeGreaterThan(0);
    expect(region()).toEqual(once);
    expect(sortFindings([...once].reverse())).toEqual(once);
  });
});

/** Any mix of plausible and implausible cells in the financial sheets: the checks report, they never throw. */
describe('the checks of T4–T6 on arbitrary cells', () => {
  const cell = fc.oneof(
    fc.constant(null),
    fc.integer({ min: -5, max: 600000 }),
    fc.double({ min: -1, max: 1e7, noNaN: true }),
    fc.constantFrom(
      '500.000,00',
      '31/12/2025',
      '2025-06-30',
      'PNRR',
      'FP',
      'FNPS',
      'FNA',
      'QSFP',
      'QPE',
      'FNPS_PIPPI',
      'M5C2_1.1.1',
      '1.1.2',
      'B31H22000280006',
      'LEPS_PIS',
      'LEPS_SSP',
      'PIS_PERSONE',
      'SSP_FTE_AS',
      'TRASF_ENTE',
      'MIN_FAM',
      'S',
      '',
      'x',
    ),
  );
  const row = (keys: readonly string[]) => fc.record(Object.fromEntries(keys.map((key) => [key, cell])));
  const keysOf = (sheet: 'T4' | 'T5' | 'T6') =>
    LEPS_ATS.sheets.find((candidate) => candidate.id === sheet)?.columns.map((column) => column.key) ?? [];
  const sheets = fc.record({
    T4: fc.array(row(keysOf('T4')), { maxLength: 4 }),
    T5: fc.array(row(keysOf('T5')), { maxLength: 4 }),
    T6: fc.array(row(keysOf('T6')), { maxLength: 4 }),
  });

  it('yields findings with a known rule and a valid place', () => {
    fc.assert(
      fc.property(sheets, sheets, (current, before) => {
        const outcome = validateSubmission(validSubmission(current), {
          previous: validSubmission(before, { period: '2025-08-31' }),
          now: new Date('2026-03-15T00:00:00Z'),
        });
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        for (const finding of outcome.findings) {
          expect(RULES_BY_ID.has(finding.rule)).toBe(true);
          expect(typeof finding.message).toBe('string');
          if (finding.row !== null && finding.sheet !== null) {
            expect(finding.row).toBeGreaterThanOrEqual(1);
            expect(finding.row).toBeLessThanOrEqual(outcome.submission.sheets[finding.sheet].length);
          }
        }
        const region = validateRegion({
          region: '05',
          period: '2025-12-31',
          submissions: [validSubmission(current), validSubmission(before, { ats: 'ATS-05-002' })],
          registered: [],
        });
        for (const finding of region) expect(RULES_BY_ID.has(finding.rule)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
