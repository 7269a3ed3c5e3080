import { describe, expect, it } from 'vitest';
import { type Finding, validateRegion, withParams } from '../../shared/index.ts';
import { check, fund, funds, spending, spendingRows, validSubmission, withRow, withRule } from '../support/builders.ts';

/** T5 — Spesa_LEPS_Interventi (domain.md §4.6). Each check: data that passes it, data that fails it. */

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
  sheet: string = 'T5',
) => ({ rule, severity, sheet, row, column });

const T5 = (rows: Row[]) => validSubmission({ T5: rows });

/** An FNPS annualità in T4 and its breakdown by area in T5 (liquidato per area). */
function fnpsSubmission(byArea: Record<string, number>, ats?: string) {
  const total = Object.values(byArea).reduce((sum, value) => sum + value, 0);
  const code = ats ?? 'ATS-05-001';
  const t4 = fund({
    COD_ATS: code,
    FONDO: 'FNPS',
    QUOTA: 'UNICA',
    ANNUALITA: 2025,
    ATTO_ASSEGNAZIONE: 'DGR riparto FNPS 2025',
    IMPORTO_ASSEGNATO: total,
    IMPORTO_INCASSATO: total,
    IMPORTO_IMPEGNATO: total,
    IMPORTO_LIQUIDATO: total,
    IMPORTO_PAGATO: total,
    IMPORTO_RENDICONTATO: null,
    MOTIVAZIONE_NON_IMPEGNATO: null,
    DATA_PREVISTA_IMPEGNO: null,
  });
  const t5 = Object.entries(byArea).map(([area, amount]) =>
    spending({
      COD_ATS: code,
      FONDO: 'FNPS',
      QUOTA: 'UNICA',
      ANNUALITA: 2025,
      COD_LEPS: 'NON_LEPS',
      COD_INTERVENTO: 'FNPS_DOM',
      AREA: area,
      IMPEGNATO: amount,
      LIQUIDATO: amount,
      DI_CUI_PERSONALE: null,
    }),
  );
  return validSubmission({ T4: [...funds(), t4], T5: [...spendingRows(), ...t5] }, ats ? { ats } : {});
}

describe('T5.1 — liquidato ≤ impegnato, personale ≤ liquidato', () => {
  it('passes the valid rows (equal values included)', () => {
    expect(withRule(check(validSubmission()), 'T5.1')).toEqual([]);
  });
  it('fails on liquidato over impegnato', () => {
    const findings = check(T5(withRow(spendingRows(), 1, { LIQUIDATO: 250000 })));
    expect(located(findings, 'T5.1')).toEqual([at('T5.1', 'error', 1, 'LIQUIDATO')]);
  });
  it('fails on personale over liquidato', () => {
    const findings = check(T5(withRow(spendingRows(), 1, { DI_CUI_PERSONALE: 160000.02 })));
    expect(located(findings, 'T5.1')).toEqual([at('T5.1', 'error', 1, 'DI_CUI_PERSONALE')]);
  });
});

describe('T5.2 — T5 sums equal T4 by fund, quota, annualità and date', () => {
  it('passes within the euro tolerance', () => {
    expect(withRule(check(T5(withRow(spendingRows(), 1, { IMPEGNATO: 240000.9 }))), 'T5.2')).toEqual([]);
  });
  it('reports the T4 row whose impegnato does not match, with both sums', () => {
    const findings = check(T5(withRow(spendingRows(), 1, { IMPEGNATO: 230000 })));
    expect(located(findings, 'T5.2')).toEqual([at('T5.2', 'error', 1, 'IMPORTO_IMPEGNATO', 'T4')]);
    expect(withRule(findings, 'T5.2')[0]?.message).toBe(
      'La ripartizione per LEPS/interventi non quadra con il quadro finanziario del fondo (FP QSFP 2024 al 31/12/2025): impegnato 400.000,00 € nel quadro finanziario, 390.000,00 € nella spesa per LEPS.',
    );
  });
  it('reports liquidato on its own column', () => {
    const findings = check(T5(withRow(spendingRows(), 3, { LIQUIDATO: 390000 })));
    expect(located(findings, 'T5.2')).toEqual([at('T5.2', 'error', 2, 'IMPORTO_LIQUIDATO', 'T4')]);
  });
  it('reports a T5 group that has no T4 row on its first T5 row', () => {
    const stray = spending({ ANNUALITA: 2022, IMPEGNATO: 1000, LIQUIDATO: 1000, DI_CUI_PERSONALE: null });
    const findings = check(T5([...spendingRows(), stray, { ...stray, COD_LEPS: 'LEPS_PIS' }]));
    expect(located(findings, 'T5.2')).toEqual([at('T5.2', 'error', 4, 'FONDO')]);
    expect(withRule(findings, 'T5.2')[0]?.message).toContain('FP QSFP 2022');
  });
  it('sums several T4 rows of one group (one per CUP)', () => {
    const project = (cup: string, amount: number) =>
      fund({
        FONDO: 'PNRR',
        QUOTA: 'M5C2_1.2',
        ANNUALITA: 2024,
        CUP: cup,
        LINEA_PNRR: '1.2',
        IMPORTO_ASSEGNATO: amount,
        IMPORTO_INCASSATO: amount,
        IMPORTO_IMPEGNATO: amount,
        IMPORTO_LIQUIDATO: amount,
        IMPORTO_PAGATO: amount,
        IMPORTO_RENDICONTATO: null,
        MOTIVAZIONE_NON_IMPEGNATO: null,
        DATA_PREVISTA_IMPEGNO: null,
        TARGET_PROGRAMMATO: 1,
        TARGET_REALIZZATO: 0,
      });
    const breakdown = (amount: number) =>
      spending({
        FONDO: 'PNRR',
        QUOTA: 'M5C2_1.2',
        COD_LEPS: 'LEPS_DDN',
        COD_INTERVENTO: 'ALTRO',
        AREA: 'DIS_NA',
        IMPEGNATO: amount,
        LIQUIDATO: amount,
        DI_CUI_PERSONALE: null,
      });
    const t4 = [...funds(), project('B31H22000280006', 100000), project('B31H22000290006', 50000)];
    expect(withRule(check(validSubmission({ T4: t4, T5: [...spendingRows(), breakdown(150000)] })), 'T5.2')).toEqual(
      [],
    );
    const findings = check(validSubmission({ T4: t4, T5: [...spendingRows(), breakdown(100000)] }));
    expect(located(findings, 'T5.2')).toEqual([
      at('T5.2', 'error', 3, 'IMPORTO_IMPEGNATO', 'T4'),
      at('T5.2', 'error', 3, 'IMPORTO_LIQUIDATO', 'T4'),
      at('T5.2', 'error', 4, 'IMPORTO_IMPEGNATO', 'T4'),
      at('T5.2', 'error', 4, 'IMPORTO_LIQUIDATO', 'T4'),
    ]);
  });
  it('skips when there is no breakdown at all', () => {
    expect(withRule(check(T5([])), 'T5.2')).toEqual([]);
  });
});

describe('T5.3 — Quota Servizi: eligible interventions and LEPS', () => {
  it('passes art. 7 interventions on admitted LEPS (LEPS_SUP included by default)', () => {
    expect(withRule(check(T5(withRow(spendingRows(), 2, { COD_LEPS: 'LEPS_SUP' }))), 'T5.3')).toEqual([]);
  });
  it('rejects an intervention outside art. 7 c. 1 a–h', () => {
    const findings = check(T5(withRow(spendingRows(), 1, { COD_INTERVENTO: 'FNPS_DOM' })));
    expect(located(findings, 'T5.3')).toEqual([at('T5.3', 'error', 1, 'COD_INTERVENTO')]);
  });
  it('rejects a LEPS not admitted, following the parameter', () => {
    const findings = check(T5(withRow(spendingRows(), 2, { COD_LEPS: 'LEPS_DIM' })));
    expect(located(findings, 'T5.3')).toEqual([at('T5.3', 'error', 2, 'COD_LEPS')]);
    const params = withParams({ qsfpAllowedLeps: ['LEPS_ADI', 'LEPS_PIS', 'LEPS_SSP'] });
    const strict = check(T5(withRow(spendingRows(), 2, { COD_LEPS: 'LEPS_SUP' })), { params });
    expect(located(strict, 'T5.3')).toEqual([at('T5.3', 'error', 2, 'COD_LEPS')]);
  });
});

describe('T5.4 — Quota Povertà Estrema: area POV and LEPS PIS/RES/grave emarginazione', () => {
  const qpe = (overrides: Row) =>
    spending({ QUOTA: 'QPE', COD_LEPS: 'LEPS_RES', AREA: 'POV', DI_CUI_PERSONALE: null, ...overrides });

  it('passes POV with LEPS_RES or NON_LEPS', () => {
    expect(withRule(check(T5([...spendingRows(), qpe({}), qpe({ COD_LEPS: 'NON_LEPS' })])), 'T5.4')).toEqual([]);
  });
  it('rejects another area and another LEPS, each on its cell', () => {
    const findings = check(T5([...spendingRows(), qpe({ AREA: 'MIN_FAM', COD_LEPS: 'LEPS_ADI' })]));
    expect(located(findings, 'T5.4')).toEqual([at('T5.4', 'error', 4, 'COD_LEPS'), at('T5.4', 'error', 4, 'AREA')]);
  });
});

describe('T5.5 — FNA: non autosufficienza LEPS or area DIS_NA', () => {
  const fna = (overrides: Row) =>
    spending({ FONDO: 'FNA', QUOTA: 'UNICA', COD_INTERVENTO: 'ALTRO', DI_CUI_PERSONALE: null, ...overrides });

  it('passes a NA LEPS in any area, or any LEPS in area DIS_NA', () => {
    const rows = [fna({ COD_LEPS: 'LEPS_NA_DOM', AREA: 'ANZ' }), fna({ COD_LEPS: 'LEPS_PIS', AREA: 'DIS_NA' })];
    expect(withRule(check(T5([...spendingRows(), ...rows])), 'T5.5')).toEqual([]);
  });
  it('rejects other LEPS outside DIS_NA', () => {
    const findings = check(T5([...spendingRows(), fna({ COD_LEPS: 'LEPS_PIS', AREA: 'POV' })]));
    expect(located(findings, 'T5.5')).toEqual([at('T5.5', 'error', 4, 'COD_LEPS')]);
  });
});

describe('T5.6 — PNRR: LEPS consistent with the project line', () => {
  const cup = 'B31H22000280006';
  const t4 = [
    ...funds(),
    fund({
      FONDO: 'PNRR',
      QUOTA: 'M5C2_1.1.3',
      CUP: cup,
      LINEA_PNRR: '1.1.3',
      IMPORTO_ASSEGNATO: 330000,
      TARGET_PROGRAMMATO: 10,
      TARGET_REALIZZATO: 2,
    }),
  ];
  const pnrr = (overrides: Row) =>
    spending({ FONDO: 'PNRR', COD_INTERVENTO: 'ALTRO', DI_CUI_PERSONALE: null, ...overrides });
  const run = (row: Row) => check(validSubmission({ T4: t4, T5: [...spendingRows(), row] }));

  it('takes the line from the T4 row with the same CUP', () => {
    expect(withRule(run(pnrr({ QUOTA: 'UNICA', CUP: cup, COD_LEPS: 'LEPS_DIM' })), 'T5.6')).toEqual([]);
    const findings = run(pnrr({ QUOTA: 'UNICA', CUP: cup, COD_LEPS: 'LEPS_PIPPI' }));
    expect(located(findings, 'T5.6')).toEqual([at('T5.6', 'error', 4, 'COD_LEPS')]);
    expect(withRule(findings, 'T5.6')[0]?.message).toContain('linea 1.1.3');
  });
  it('else from the quota (1.2 → LEPS_DDN; 1.1.2 → the non autosufficienza LEPS)', () => {
    expect(withRule(run(pnrr({ QUOTA: 'M5C2_1.2', COD_LEPS: 'LEPS_DDN' })), 'T5.6')).toEqual([]);
    expect(withRule(run(pnrr({ QUOTA: 'M5C2_1.1.2', COD_LEPS: 'LEPS_NA_DOM' })), 'T5.6')).toEqual([]);
    expect(located(run(pnrr({ QUOTA: 'M5C2_1.2', COD_LEPS: 'LEPS_RES' })), 'T5.6')).toEqual([
      at('T5.6', 'error', 4, 'COD_LEPS'),
    ]);
    expect(located(run(pnrr({ QUOTA: 'M5C2_1.3.2', COD_LEPS: 'LEPS_PIS' })), 'T5.6')).toEqual([
      at('T5.6', 'error', 4, 'COD_LEPS'),
    ]);
  });
});

describe('T5.7 — FNPS infanzia/adolescenza share', () => {
  it('passes at 50% for the ATS', () => {
    expect(withRule(check(fnpsSubmission({ MIN_FAM: 50000, DIS_NA: 50000 })), 'T5.7')).toEqual([]);
  });
  it('warns below 50% at ATS level, on the sheet', () => {
    const findings = check(fnpsSubmission({ MIN_FAM: 40000, DIS_NA: 60000 }));
    expect(located(findings, 'T5.7')).toEqual([at('T5.7', 'warning', null, null)]);
    expect(withRule(findings, 'T5.7')[0]?.message).toBe(
      'Quota FNPS per infanzia e adolescenza inferiore al 50%: 40.000,00 € su 100.000,00 € liquidati (40%).',
    );
  });
  it('is an error for the Region when the regional share is below 50%', () => {
    const run = (first: Record<string, number>, second: Record<string, number>) =>
      validateRegion({
        region: '05',
        period: '2025-12-31',
        submissions: [fnpsSubmission(first, 'ATS-05-001'), fnpsSubmission(second, 'ATS-05-002')],
        registered: [],
      });
    const below = run({ MIN_FAM: 30000, DIS_NA: 70000 }, { MIN_FAM: 60000, DIS_NA: 40000 });
    expect(located(below, 'T5.7')).toEqual([at('T5.7', 'error', null, null)]);
    expect(withRule(below, 'T5.7')[0]?.ats).toBeUndefined();
    expect(withRule(below, 'T5.7')[0]?.message).toContain('90.000,00 € su 200.000,00 €');
    expect(withRule(run({ MIN_FAM: 40000, DIS_NA: 60000 }, { MIN_FAM: 70000, DIS_NA: 30000 }), 'T5.7')).toEqual([]);
  });
  it('skips without FNPS spending', () => {
    expect(withRule(check(validSubmission()), 'T5.7')).toEqual([]);
  });
});

describe('T5.8 — earmarked FNPS quota without spending', () => {
  const pippi = (year: number) =>
    fund({
      FONDO: 'FNPS',
      QUOTA: 'FNPS_PIPPI',
      ANNUALITA: year,
      ATTO_ASSEGNAZIONE: 'DGR FNPS',
      IMPORTO_ASSEGNATO: 62500,
      IMPORTO_INCASSATO: 62500,
      IMPORTO_IMPEGNATO: 0,
      IMPORTO_LIQUIDATO: 0,
      IMPORTO_PAGATO: null,
      IMPORTO_RENDICONTATO: null,
    });

  it('warns on the T4 row 12 months after the annualità started', () => {
    const findings = check(validSubmission({ T4: [...funds(), pippi(2024)] }));
    expect(located(findings, 'T5.8')).toEqual([at('T5.8', 'warning', 3, 'IMPORTO_LIQUIDATO', 'T4')]);
    expect(withRule(findings, 'T5.8')[0]?.message).toContain('LEPS_PIPPI');
  });
  it('waits 12 months (parameter) from 1 January of the annualità', () => {
    expect(withRule(check(validSubmission({ T4: [...funds(), pippi(2025)] })), 'T5.8')).toEqual([]);
    const params = withParams({ fnpsEarmarkedMonths: 6 });
    expect(withRule(check(validSubmission({ T4: [...funds(), pippi(2025)] }), { params }), 'T5.8')).toHaveLength(1);
  });
  it('passes when T5 shows spending on the quota', () => {
    const spent = spending({
      FONDO: 'FNPS',
      QUOTA: 'FNPS_PIPPI',
      COD_LEPS: 'LEPS_PIPPI',
      COD_INTERVENTO: 'FNPS_PIC',
      AREA: 'MIN_FAM',
      IMPEGNATO: 10000,
      LIQUIDATO: 10000,
      DI_CUI_PERSONALE: null,
    });
    expect(
      withRule(check(validSubmission({ T4: [...funds(), pippi(2024)], T5: [...spendingRows(), spent] })), 'T5.8'),
    ).toEqual([]);
  });
});

describe('T5.9 — transfers to other entities over 50% of a fund', () => {
  it('passes at 37,5% (FP)', () => {
    const rows = withRow(withRow(spendingRows(), 1, { MODALITA: 'TRASF_ENTE' }), 2, { MODALITA: 'TRASF_ENTE' });
    expect(withRule(check(T5(rows)), 'T5.9')).toEqual([]);
  });
  it('warns above the share, naming the fund', () => {
    const findings = check(T5(withRow(spendingRows(), 3, { MODALITA: 'TRASF_ENTE' })));
    expect(located(findings, 'T5.9')).toEqual([at('T5.9', 'warning', null, null)]);
    expect(withRule(findings, 'T5.9')[0]?.message).toContain(
      'fondo FP: 400.000,00 € su 640.000,00 € liquidati, 62,5%)',
    );
  });
});
