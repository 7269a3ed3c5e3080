import { describe, expect, it } from 'vitest';
import { type Finding, validateRegion, withParams } from '../../shared/index.ts';
import {
  check,
  fund,
  funds,
  indicator,
  indicators,
  spendingRows,
  validSubmission,
  withRow,
  withRule,
} from '../support/builders.ts';

/** T6 — Indicatori_LEPS (domain.md §4.7). Each check: data that passes it, data that fails it. */

type Row = Record<string, string | number | boolean | null>;

const located = (findings: readonly Finding[], rule: string) =>
  withRule(findings, rule).map(({ severity, sheet, row, column, ats }) => ({
    rule,
    severity,
    sheet,
    row,
    column,
    ...(ats ? { ats } : {}),
  }));

const at = (
  rule: string,
  severity: 'error' | 'warning',
  row: number | null,
  column: string | null,
  sheet: string = 'T6',
) => ({ rule, severity, sheet, row, column });

const T6 = (rows: Row[]) => validSubmission({ T6: rows });

/** indicators() rows: 1 PIS_H24, 2 PIS_ORE_COPERTURA_SETT, 3 PIS_SEGNALAZIONI, 4 PIS_PERSONE, 5 ADI_NUCLEI, 6 ADI_PAIS. */

describe('T6.1 — admitted values', () => {
  it('passes whole counts, decimal hours and values within the maximum', () => {
    const rows = [...indicators(), indicator('LEPS_NA_DOM', 'NA_DOM_ORE', 12.5)];
    expect(withRule(check(T6(rows)), 'T6.1')).toEqual([]);
  });
  it('rejects a fractional count', () => {
    const findings = check(T6(withRow(indicators(), 3, { VALORE: 40.5 })));
    expect(located(findings, 'T6.1')).toEqual([at('T6.1', 'error', 3, 'VALORE')]);
    expect(withRule(findings, 'T6.1')[0]?.message).toContain("per l'indicatore PIS_SEGNALAZIONI");
  });
  it('rejects values above the indicator maximum (168 weekly hours, h24 as 1/0)', () => {
    const findings = check(T6(withRow(withRow(indicators(), 1, { VALORE: 2 }), 2, { VALORE: 170 })));
    expect(located(findings, 'T6.1')).toEqual([at('T6.1', 'error', 1, 'VALORE'), at('T6.1', 'error', 2, 'VALORE')]);
  });
  it('rejects a negative value once (while reading the cell)', () => {
    const findings = check(T6(withRow(indicators(), 4, { VALORE: -1 })));
    expect(located(findings, 'T6.1')).toEqual([at('T6.1', 'error', 4, 'VALORE')]);
  });
  it('rejects an indicator filed under another LEPS', () => {
    const findings = check(T6(withRow(indicators(), 5, { COD_LEPS: 'LEPS_PIS' })));
    expect(located(findings, 'T6.1')).toEqual([at('T6.1', 'error', 5, 'COD_INDICATORE')]);
  });
});

describe('T6.2 — linked indicators', () => {
  it('passes equal values', () => {
    expect(withRule(check(T6(withRow(indicators(), 6, { VALORE: 210 }))), 'T6.2')).toEqual([]);
  });
  it('rejects PaIS above the nuclei assigned, on the PaIS row', () => {
    const findings = check(T6(withRow(indicators(), 6, { VALORE: 250 })));
    expect(located(findings, 'T6.2')).toEqual([at('T6.2', 'error', 6, 'VALORE')]);
    expect(withRule(findings, 'T6.2')[0]?.message).toBe(
      'Incoerenza tra indicatori collegati (ADI_PAIS_SOTTOSCRITTI 250 > ADI_NUCLEI_ASSEGNATI 210).',
    );
  });
  it('checks every pair of the spec', () => {
    const rows = [
      indicator('LEPS_SUP', 'SUP_OPERATORI_TOT', 10),
      indicator('LEPS_SUP', 'SUP_OPERATORI_SUPERVISIONATI', 12),
      indicator('LEPS_DIM', 'DIM_PERSONE', 5),
      indicator('LEPS_DIM', 'DIM_PAI', 6),
      indicator('LEPS_PUA', 'UVM_VALUTAZIONI', 7),
      indicator('LEPS_PUA', 'PAI_REDATTI', 8),
    ];
    const findings = check(validSubmission({ T6: [...indicators(), ...rows] }));
    expect(located(findings, 'T6.2')).toEqual([
      at('T6.2', 'error', 8, 'VALORE'),
      at('T6.2', 'error', 10, 'VALORE'),
      at('T6.2', 'error', 12, 'VALORE'),
    ]);
  });
});

describe('T6.3 — pronto intervento sociale h24', () => {
  it('passes h24 and 168 hours', () => {
    expect(withRule(check(validSubmission()), 'T6.3')).toEqual([]);
  });
  it('warns on h24 = 0 and on fewer than 168 weekly hours', () => {
    const findings = check(T6(withRow(withRow(indicators(), 1, { VALORE: 0 }), 2, { VALORE: 120 })));
    expect(located(findings, 'T6.3')).toEqual([at('T6.3', 'warning', 1, 'VALORE'), at('T6.3', 'warning', 2, 'VALORE')]);
  });
});

describe('T6.4 — spending without users, users without spending', () => {
  it('passes spending with users (SSP is measured by T3 and never flagged)', () => {
    expect(withRule(check(validSubmission()), 'T6.4')).toEqual([]);
  });
  it('warns on spending for a LEPS whose output indicators are all 0', () => {
    const rows = withRow(withRow(indicators(), 3, { VALORE: 0 }), 4, { VALORE: 0 });
    const findings = check(T6(rows));
    expect(located(findings, 'T6.4')).toEqual([at('T6.4', 'warning', 2, 'LIQUIDATO', 'T5')]);
    expect(withRule(findings, 'T6.4')[0]?.message).toContain('LEPS_PIS');
  });
  it('warns on users for a LEPS without spending', () => {
    const findings = check(T6([...indicators(), indicator('LEPS_DIM', 'DIM_PERSONE', 12)]));
    expect(located(findings, 'T6.4')).toEqual([at('T6.4', 'warning', 7, 'VALORE')]);
  });
  it('skips when the indicator sheet is empty', () => {
    expect(withRule(check(T6([])), 'T6.4')).toEqual([]);
  });
});

describe('T6.5 — SSP FTE from the staff sheet', () => {
  it('accepts the values T3 gives (9,5 FTE; 42.818 / 9,5 inhabitants, rounded or not)', () => {
    const rows = [
      ...indicators(),
      indicator('LEPS_SSP', 'SSP_FTE_AS', 9.5),
      indicator('LEPS_SSP', 'SSP_ABITANTI_PER_AS', 4507),
    ];
    expect(withRule(check(T6(rows)), 'T6.5')).toEqual([]);
    const precise = withRow(rows, 8, { VALORE: 4507.16 });
    expect(withRule(check(T6(precise)), 'T6.5')).toEqual([]);
  });
  it('rejects typed values that differ from T3', () => {
    const rows = [
      ...indicators(),
      indicator('LEPS_SSP', 'SSP_FTE_AS', 10),
      indicator('LEPS_SSP', 'SSP_ABITANTI_PER_AS', 4000),
    ];
    const findings = check(T6(rows));
    expect(located(findings, 'T6.5')).toEqual([at('T6.5', 'error', 7, 'VALORE'), at('T6.5', 'error', 8, 'VALORE')]);
    expect(withRule(findings, 'T6.5')[0]?.message).toBe(
      'Dato FTE da compilare nel foglio Personale: indicati 10 FTE, dal foglio Personale risultano 9,5 FTE.',
    );
  });
  it('skips without staff data', () => {
    const rows = [...indicators(), indicator('LEPS_SSP', 'SSP_FTE_AS', 10)];
    expect(withRule(check(validSubmission({ T3: [], T6: rows })), 'T6.5')).toEqual([]);
  });
});

describe('T6.6 — P.I.P.P.I. funded without target families', () => {
  const pippi = fund({
    FONDO: 'FNPS',
    QUOTA: 'FNPS_PIPPI',
    ANNUALITA: 2025,
    ATTO_ASSEGNAZIONE: 'DGR FNPS',
    IMPORTO_ASSEGNATO: 62500,
    IMPORTO_INCASSATO: 62500,
    IMPORTO_IMPEGNATO: 0,
    IMPORTO_LIQUIDATO: 0,
    IMPORTO_PAGATO: null,
    IMPORTO_RENDICONTATO: null,
  });
  const run = (t6: Row[]) => check(validSubmission({ T4: [...funds(), pippi], T6: t6 }));

  it('passes with target families, or without P.I.P.P.I. funding', () => {
    expect(withRule(run([...indicators(), indicator('LEPS_PIPPI', 'PIPPI_FFTT', 10)]), 'T6.6')).toEqual([]);
    expect(withRule(check(T6([...indicators(), indicator('LEPS_PIPPI', 'PIPPI_FFTT', 0)])), 'T6.6')).toEqual([]);
  });
  it('warns on PIPPI_FFTT = 0, on its row', () => {
    const findings = run([...indicators(), indicator('LEPS_PIPPI', 'PIPPI_FFTT', 0)]);
    expect(located(findings, 'T6.6')).toEqual([at('T6.6', 'warning', 7, 'VALORE')]);
  });
  it('warns on the sheet when PIPPI_FFTT is missing', () => {
    expect(located(run(indicators()), 'T6.6')).toEqual([at('T6.6', 'warning', null, null)]);
  });
  it('counts PNRR line 1.1.1 as P.I.P.P.I. funding', () => {
    const project = fund({
      FONDO: 'PNRR',
      QUOTA: 'M5C2_1.1.1',
      CUP: 'B31H22000280006',
      LINEA_PNRR: '1.1.1',
      IMPORTO_ASSEGNATO: 200000,
      TARGET_PROGRAMMATO: 10,
      TARGET_REALIZZATO: 2,
    });
    const findings = check(validSubmission({ T4: [...funds(), project] }));
    expect(located(findings, 'T6.6')).toEqual([at('T6.6', 'warning', null, null)]);
  });
});

describe('T6.7 — anomalous change from the previous year', () => {
  const previous = (value: number) =>
    validSubmission(
      { T6: withRow(indicators(), 3, { VALORE: value }).map((row) => ({ ...row, ANNO_RIF: 2024 })) },
      { period: '2024-12-31' },
    );

  it('passes changes within 50%, and small counts whatever the change', () => {
    expect(withRule(check(validSubmission(), { previous: previous(30) }), 'T6.7')).toEqual([]);
    expect(withRule(check(validSubmission(), { previous: previous(20) }), 'T6.7')).toEqual([]);
  });
  it('warns on a change over 50% from a count over 20', () => {
    const findings = check(validSubmission(), { previous: previous(100) });
    expect(located(findings, 'T6.7')).toEqual([at('T6.7', 'warning', 3, 'VALORE')]);
    expect(withRule(findings, 'T6.7')[0]?.message).toBe(
      "Variazione anomala rispetto all'anno precedente per PIS_SEGNALAZIONI: 100 → 40 (−60%).",
    );
    expect(located(check(validSubmission(), { previous: previous(25) }), 'T6.7')).toEqual([
      at('T6.7', 'warning', 3, 'VALORE'),
    ]);
  });
  it('follows the parameters', () => {
    const params = withParams({ indicatorChangeWarning: 0.7 });
    expect(withRule(check(validSubmission(), { previous: previous(100), params }), 'T6.7')).toEqual([]);
  });
});

describe('T6.8 — regional unit cost band', () => {
  /** An ATS whose P.I.P.P.I.-free PIS spending (80.000 € liquidated) served `persons` people. */
  const ats = (number: number, persons: number) => {
    const code = `ATS-05-${String(number).padStart(3, '0')}`;
    return validSubmission(
      {
        T5: spendingRows().map((row) => ({ ...row, COD_ATS: code })),
        T6: withRow(indicators(), 4, { VALORE: persons }).map((row) => ({ ...row, COD_ATS: code })),
      },
      { ats: code },
    );
  };
  const region = (persons: readonly number[]) =>
    validateRegion({
      region: '05',
      period: '2025-12-31',
      submissions: persons.map((count, index) => ats(index + 1, count)),
      registered: [],
    });

  it('flags the ATS outside the P10–P90 band, with the ATS code', () => {
    const findings = region([30, 31, 32, 33, 34, 35, 36, 37, 38, 3, 300]);
    expect(located(findings, 'T6.8')).toEqual([
      { ...at('T6.8', 'warning', 4, 'VALORE'), ats: 'ATS-05-010' },
      { ...at('T6.8', 'warning', 4, 'VALORE'), ats: 'ATS-05-011' },
    ]);
    const high = withRule(findings, 'T6.8').find((finding) => finding.ats === 'ATS-05-010');
    expect(high?.message).toContain('LEPS_PIS: 26.666,67 € per unità di PIS_PERSONE');
  });
  it('passes ATS inside the band (PERCENTILE.INC, as in Excel)', () => {
    expect(withRule(region([29, 29, 30, 30, 30, 30, 30, 30, 30, 31, 31]), 'T6.8')).toEqual([]);
  });
  it('needs at least five ATS', () => {
    expect(withRule(region([30, 3, 300, 31]), 'T6.8')).toEqual([]);
    expect(withRule(region([30, 3, 300, 31, 32]), 'T6.8').map((finding) => finding.ats)).toEqual([
      'ATS-05-002',
      'ATS-05-003',
    ]);
  });
});
