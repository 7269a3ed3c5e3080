import { describe, expect, it } from 'vitest';
import { type Finding, withParams } from '../../shared/index.ts';
import {
  ATS,
  check,
  fund,
  funds,
  indicator,
  indicators,
  PERIOD,
  spending,
  spendingRows,
  validSubmission,
  withRow,
  withRule,
} from '../support/builders.ts';

/** T4 — Quadro_Finanziario_Fondi (domain.md §4.5). Each check: data that passes it, data that fails it. */

type Row = Record<string, string | number | boolean | null>;

/** What a test asserts about a finding: where it points and how severe it is. */
const located = (findings: readonly Finding[], rule: string) =>
  withRule(findings, rule).map(({ severity, sheet, row, column }) => ({ rule, severity, sheet, row, column }));

const at = (rule: string, severity: 'error' | 'warning', row: number | null, column: string | null) => ({
  rule,
  severity,
  sheet: 'T4',
  row,
  column,
});

/** A PNRR M5C2 1.1.1 project (P.I.P.P.I.) within its ceiling. */
function project(overrides: Row = {}): Row {
  return fund({
    FONDO: 'PNRR',
    QUOTA: 'M5C2_1.1.1',
    ANNUALITA: 2024,
    ATTO_ASSEGNAZIONE: 'Avviso 1/2022',
    CUP: 'B31H22000280006',
    LINEA_PNRR: '1.1.1',
    IMPORTO_ASSEGNATO: 211500,
    IMPORTO_INCASSATO: 211500,
    IMPORTO_IMPEGNATO: 200000,
    IMPORTO_LIQUIDATO: 100000,
    IMPORTO_PAGATO: 100000,
    IMPORTO_RENDICONTATO: 50000,
    TARGET_PROGRAMMATO: 10,
    TARGET_REALIZZATO: 4,
    DATA_FINE_SPESA_PROGRAMMATA: '2026-06-30',
    ...overrides,
  });
}

/** The previous snapshot (31/08/2025) of the valid submission, with some rows changed. */
function previousSnapshot(rows: Row[] = funds()) {
  return validSubmission(
    { T4: rows.map((row) => ({ ...row, DATA_RIF: '2025-08-31' })), T5: [], T6: [] },
    { period: '2025-08-31' },
  );
}

const T4 = (rows: Row[]) => validSubmission({ T4: rows });

describe('T4.0 — typed non-impegnato equals assegnato − impegnato', () => {
  it('accepts the computed value typed in', () => {
    expect(withRule(check(T4(withRow(funds(), 1, { IMPORTO_NON_IMPEGNATO: 80000 }))), 'T4.0')).toEqual([]);
  });
  it('rejects a typed value that differs', () => {
    const findings = check(T4(withRow(funds(), 1, { IMPORTO_NON_IMPEGNATO: 50000 })));
    expect(located(findings, 'T4.0')).toEqual([at('T4.0', 'error', 1, 'IMPORTO_NON_IMPEGNATO')]);
    expect(withRule(findings, 'T4.0')[0]?.message).toContain('80.000,00 €');
  });
});

describe('T4.1 — impegnato ≤ assegnato', () => {
  it('passes when impegnato equals assegnato', () => {
    const rows = withRow(funds(), 1, { IMPORTO_IMPEGNATO: 480000, MOTIVAZIONE_NON_IMPEGNATO: null });
    expect(withRule(check(T4(rows)), 'T4.1')).toEqual([]);
  });
  it('fails when impegnato exceeds assegnato, naming both amounts', () => {
    const findings = check(T4(withRow(funds(), 1, { IMPORTO_IMPEGNATO: 500000 })));
    expect(located(findings, 'T4.1')).toEqual([at('T4.1', 'error', 1, 'IMPORTO_IMPEGNATO')]);
    expect(withRule(findings, 'T4.1')[0]?.message).toBe(
      "L'impegnato supera l'importo assegnato: impegnato 500.000,00 €, assegnato 480.000,00 €.",
    );
  });
  it('reads "500.000,00" typed as text: S.3 on the cell, and T4.1 on the value it means', () => {
    const findings = check(T4(withRow(funds(), 1, { IMPORTO_IMPEGNATO: '500.000,00' })));
    expect(located(findings, 'S.3')).toEqual([
      { rule: 'S.3', severity: 'error', sheet: 'T4', row: 1, column: 'IMPORTO_IMPEGNATO' },
    ]);
    expect(located(findings, 'T4.1')).toEqual([at('T4.1', 'error', 1, 'IMPORTO_IMPEGNATO')]);
    expect(withRule(findings, 'T4.1')[0]?.message).toContain('500.000,00 €');
  });
});

describe('T4.2 — liquidato ≤ impegnato', () => {
  it('passes the valid rows', () => {
    expect(withRule(check(validSubmission()), 'T4.2')).toEqual([]);
  });
  it('fails when liquidato exceeds impegnato', () => {
    const findings = check(T4(withRow(funds(), 1, { IMPORTO_LIQUIDATO: 410000 })));
    expect(located(findings, 'T4.2')).toEqual([at('T4.2', 'error', 1, 'IMPORTO_LIQUIDATO')]);
  });
});

describe('T4.3 — pagato ≤ liquidato', () => {
  it('passes when pagato is empty (optional)', () => {
    expect(withRule(check(T4(withRow(funds(), 1, { IMPORTO_PAGATO: null }))), 'T4.3')).toEqual([]);
  });
  it('fails when pagato exceeds liquidato', () => {
    const findings = check(T4(withRow(funds(), 1, { IMPORTO_PAGATO: 250000 })));
    expect(located(findings, 'T4.3')).toEqual([at('T4.3', 'error', 1, 'IMPORTO_PAGATO')]);
  });
});

describe('T4.4 — rendicontato ≤ liquidato', () => {
  it('passes when rendicontato equals liquidato', () => {
    expect(withRule(check(T4(withRow(funds(), 1, { IMPORTO_RENDICONTATO: 240000 }))), 'T4.4')).toEqual([]);
  });
  it('fails when rendicontato exceeds liquidato', () => {
    const findings = check(T4(withRow(funds(), 2, { IMPORTO_RENDICONTATO: 400000.5 })));
    expect(located(findings, 'T4.4')).toEqual([at('T4.4', 'error', 2, 'IMPORTO_RENDICONTATO')]);
  });
});

describe('T4.5 — reason and date for non-committed sums', () => {
  it('passes a fully committed row without reason or date', () => {
    expect(withRule(check(validSubmission()), 'T4.5')).toEqual([]);
  });
  it('requires both when assegnato − impegnato > 0 (reported once per cell)', () => {
    const findings = check(T4(withRow(funds(), 1, { MOTIVAZIONE_NON_IMPEGNATO: null, DATA_PREVISTA_IMPEGNO: null })));
    expect(located(findings, 'T4.5')).toEqual([
      at('T4.5', 'error', 1, 'MOTIVAZIONE_NON_IMPEGNATO'),
      at('T4.5', 'error', 1, 'DATA_PREVISTA_IMPEGNO'),
    ]);
  });
  it('still requires them when a typed non-impegnato of 0 hides the non-committed sums', () => {
    const rows = withRow(funds(), 1, {
      IMPORTO_NON_IMPEGNATO: 0,
      MOTIVAZIONE_NON_IMPEGNATO: null,
      DATA_PREVISTA_IMPEGNO: null,
    });
    const findings = check(T4(rows));
    expect(located(findings, 'T4.5')).toEqual([
      at('T4.5', 'error', 1, 'MOTIVAZIONE_NON_IMPEGNATO'),
      at('T4.5', 'error', 1, 'DATA_PREVISTA_IMPEGNO'),
    ]);
    expect(located(findings, 'T4.0')).toEqual([at('T4.0', 'error', 1, 'IMPORTO_NON_IMPEGNATO')]);
  });
});

describe('T4.6 — planned dates not before the reference date', () => {
  it('accepts dates on the reference date', () => {
    const rows = withRow(funds(), 1, { DATA_PREVISTA_IMPEGNO: PERIOD, DATA_FINE_SPESA_PROGRAMMATA: PERIOD });
    expect(withRule(check(T4(rows)), 'T4.6')).toEqual([]);
  });
  it('rejects a planned commitment date before the reference date', () => {
    const findings = check(T4(withRow(funds(), 1, { DATA_PREVISTA_IMPEGNO: '2025-06-30' })));
    expect(located(findings, 'T4.6')).toEqual([at('T4.6', 'error', 1, 'DATA_PREVISTA_IMPEGNO')]);
    expect(withRule(findings, 'T4.6')[0]?.message).toContain('30/06/2025');
  });
  it('rejects a past end of spending while sums are still to be liquidated', () => {
    const findings = check(T4(withRow(funds(), 2, { DATA_FINE_SPESA_PROGRAMMATA: '2025-06-30' })));
    expect(located(findings, 'T4.6')).toEqual([at('T4.6', 'error', 2, 'DATA_FINE_SPESA_PROGRAMMATA')]);
  });
  it('accepts a past end of spending once everything is liquidated', () => {
    const rows = withRow(funds(), 2, {
      IMPORTO_LIQUIDATO: 440000,
      IMPORTO_PAGATO: 440000,
      DATA_FINE_SPESA_PROGRAMMATA: '2025-06-30',
    });
    expect(withRule(check(T4(rows)), 'T4.6')).toEqual([]);
  });
});

describe('T4.7 — cumulative values do not decrease', () => {
  const before = previousSnapshot(withRow(funds(), 1, { IMPORTO_IMPEGNATO: 420000, IMPORTO_LIQUIDATO: 250000 }));

  it('passes when the values grow', () => {
    const previous = previousSnapshot(withRow(funds(), 1, { IMPORTO_IMPEGNATO: 380000, IMPORTO_LIQUIDATO: 200000 }));
    expect(withRule(check(validSubmission(), { previous }), 'T4.7')).toEqual([]);
  });
  it('fails on both impegnato and liquidato lower than before', () => {
    const findings = check(validSubmission(), { previous: before });
    expect(located(findings, 'T4.7')).toEqual([
      at('T4.7', 'error', 1, 'IMPORTO_IMPEGNATO'),
      at('T4.7', 'error', 1, 'IMPORTO_LIQUIDATO'),
    ]);
    expect(withRule(findings, 'T4.7')[0]?.message).toContain('420.000,00 €');
    expect(withRule(findings, 'T4.7')[0]?.message).toContain('31/08/2025');
  });
  it('accepts a decrease with a disimpegno in the period', () => {
    const rows = withRow(funds(), 1, { DISIMPEGNO_PERIODO: 20000 });
    expect(withRule(check(T4(rows), { previous: before }), 'T4.7')).toEqual([]);
  });
  it('accepts a decrease declared as errore materiale with a reason, not without one', () => {
    const declared = withRow(funds(), 1, { FLAG_ERRORE_MATERIALE: 'S', MOTIVAZIONE_RETTIFICA: 'Doppia registrazione' });
    expect(withRule(check(T4(declared), { previous: before }), 'T4.7')).toEqual([]);
    const bare = withRow(funds(), 1, { FLAG_ERRORE_MATERIALE: 'S' });
    expect(withRule(check(T4(bare), { previous: before }), 'T4.7')).toHaveLength(2);
  });
  it('skips without a previous snapshot', () => {
    expect(withRule(check(validSubmission()), 'T4.7')).toEqual([]);
  });
});

describe('T4.8 — cumulative = previous + movements', () => {
  const previous = previousSnapshot(withRow(funds(), 1, { IMPORTO_IMPEGNATO: 350000 }));

  it('passes when impegnato = previous + new commitments − disimpegni', () => {
    expect(withRule(check(T4(withRow(funds(), 1, { NUOVI_IMPEGNI_PERIODO: 50000 })), { previous }), 'T4.8')).toEqual(
      [],
    );
    const withRelease = withRow(funds(), 1, { NUOVI_IMPEGNI_PERIODO: 60000, DISIMPEGNO_PERIODO: 10000 });
    expect(withRule(check(T4(withRelease), { previous }), 'T4.8')).toEqual([]);
  });
  it('fails when the movements do not add up', () => {
    const findings = check(T4(withRow(funds(), 1, { NUOVI_IMPEGNI_PERIODO: 40000 })), { previous });
    expect(located(findings, 'T4.8')).toEqual([at('T4.8', 'error', 1, 'IMPORTO_IMPEGNATO')]);
    expect(withRule(findings, 'T4.8')[0]?.message).toContain('atteso 390.000,00 €');
  });
  it('is not applied when the sheet does not track movements', () => {
    expect(withRule(check(validSubmission(), { previous }), 'T4.8')).toEqual([]);
  });
});

describe('T4.9 — assegnato equals the riparto decree', () => {
  const params = (amount: number) =>
    withParams({ ripartoAmounts: { [`${ATS}|FP|QSFP|2024`]: { amount, act: 'DM 2 aprile 2025' } } });

  it('passes when the amount matches the decree', () => {
    expect(withRule(check(validSubmission(), { params: params(480000) }), 'T4.9')).toEqual([]);
  });
  it('fails when it differs, naming the decree', () => {
    const findings = check(validSubmission(), { params: params(500000) });
    expect(located(findings, 'T4.9')).toEqual([at('T4.9', 'error', 1, 'IMPORTO_ASSEGNATO')]);
    expect(withRule(findings, 'T4.9')[0]?.message).toBe(
      'Importo assegnato diverso da quello del decreto di riparto DM 2 aprile 2025: indicato 480.000,00 €, decreto 500.000,00 €.',
    );
  });
  it('skips without reference amounts', () => {
    expect(withRule(check(validSubmission()), 'T4.9')).toEqual([]);
  });
});

describe('T4.10 — PNRR: CUP, line and ceiling', () => {
  it('passes a valid project', () => {
    expect(withRule(check(T4([...funds(), project()])), 'T4.10')).toEqual([]);
  });
  it('accepts the same CUP on two annualità, rejects it twice in one', () => {
    const twoYears = [...funds(), project(), project({ ANNUALITA: 2025 })];
    expect(withRule(check(T4(twoYears)), 'T4.10')).toEqual([]);
    const findings = check(T4([...funds(), project(), project({ IMPORTO_ASSEGNATO: 100000 })]));
    expect(located(findings, 'T4.10')).toEqual([at('T4.10', 'error', 4, 'CUP')]);
    expect(withRule(findings, 'T4.10')[0]?.message).toContain('riga 3');
  });
  it('rejects an amount over the line ceiling, naming line and ceiling', () => {
    const findings = check(T4([...funds(), project({ IMPORTO_ASSEGNATO: 300000, IMPORTO_INCASSATO: 300000 })]));
    expect(located(findings, 'T4.10')).toEqual([at('T4.10', 'error', 3, 'IMPORTO_ASSEGNATO')]);
    expect(withRule(findings, 'T4.10')[0]?.message).toBe(
      'Importo oltre il massimale della linea 1.1.1: assegnato 300.000,00 €, massimale per progetto 211.500,00 €.',
    );
  });
  it('reports a missing or malformed CUP once (while reading the cell)', () => {
    const missing = check(T4([...funds(), project({ CUP: null })]));
    expect(located(missing, 'T4.10')).toEqual([at('T4.10', 'error', 3, 'CUP')]);
    const malformed = check(T4([...funds(), project({ CUP: 'A1' })]));
    expect(located(malformed, 'T4.10')).toEqual([at('T4.10', 'error', 3, 'CUP')]);
  });
  it('rejects a line that contradicts the quota', () => {
    const findings = check(T4([...funds(), project({ LINEA_PNRR: '1.2' })]));
    expect(located(findings, 'T4.10')).toEqual([at('T4.10', 'error', 3, 'LINEA_PNRR')]);
  });
  it('warns (verify.md §6) on a CUP year outside 03..current year and on positions 12–14 ≠ 000', () => {
    const future = check(T4([...funds(), project({ CUP: 'B31H27000280006' })]));
    expect(located(future, 'T4.10')).toEqual([at('T4.10', 'warning', 3, 'CUP')]);
    expect(withRule(future, 'T4.10')[0]?.message).toContain('tra 03 e 26');
    const old = check(T4([...funds(), project({ CUP: 'B31H02000280006' })]));
    expect(located(old, 'T4.10')).toEqual([at('T4.10', 'warning', 3, 'CUP')]);
    const unusual = check(T4([...funds(), project({ CUP: 'B31H22000281106' })]));
    expect(located(unusual, 'T4.10')).toEqual([at('T4.10', 'warning', 3, 'CUP')]);
  });
});

describe('T4.11 — PNRR target reached at the end of the project', () => {
  it('passes before the end date', () => {
    expect(withRule(check(T4([...funds(), project()])), 'T4.11')).toEqual([]);
  });
  it('passes when the target is reached', () => {
    const ended = project({ DATA_FINE_SPESA_PROGRAMMATA: PERIOD, TARGET_REALIZZATO: 10 });
    expect(withRule(check(T4([...funds(), ended])), 'T4.11')).toEqual([]);
  });
  it('warns when the project ended short of its target', () => {
    const findings = check(T4([...funds(), project({ DATA_FINE_SPESA_PROGRAMMATA: PERIOD })]));
    expect(located(findings, 'T4.11')).toEqual([at('T4.11', 'warning', 3, 'TARGET_REALIZZATO')]);
    expect(withRule(findings, 'T4.11')[0]?.message).toContain('realizzato 4 su 10');
  });
});

describe('T4.12 — FP: 75% of the second-preceding annualità rendicontato', () => {
  it('passes at 86% (380.000 of 440.000 for 2023)', () => {
    expect(withRule(check(validSubmission()), 'T4.12')).toEqual([]);
  });
  it('warns below the share, on the N−2 row', () => {
    const findings = check(T4(withRow(funds(), 2, { IMPORTO_RENDICONTATO: 300000 })));
    expect(located(findings, 'T4.12')).toEqual([at('T4.12', 'warning', 2, 'IMPORTO_RENDICONTATO')]);
    expect(withRule(findings, 'T4.12')[0]?.message).toContain('68,2%');
  });
  it('follows the parameter', () => {
    const rows = withRow(funds(), 2, { IMPORTO_RENDICONTATO: 300000 });
    expect(withRule(check(T4(rows), { params: withParams({ fpRendicontazioneShare: 0.6 }) }), 'T4.12')).toEqual([]);
  });
});

describe('T4.13 — FP 2024-26: rendicontazione of the previous annualità started', () => {
  it('passes when the 2023 annualità has rendicontato > 0', () => {
    expect(withRule(check(validSubmission()), 'T4.13')).toEqual([]);
  });
  it('fails on the previous annualità left empty or at 0', () => {
    for (const value of [null, 0]) {
      const findings = check(T4(withRow(funds(), 2, { IMPORTO_RENDICONTATO: value })));
      expect(located(findings, 'T4.13')).toEqual([at('T4.13', 'error', 2, 'IMPORTO_RENDICONTATO')]);
    }
  });
  it('can be demoted to a warning by the Region', () => {
    const params = withParams({ severityOverrides: { 'T4.13': 'warning' } });
    const findings = check(T4(withRow(funds(), 2, { IMPORTO_RENDICONTATO: 0 })), { params });
    expect(located(findings, 'T4.13')).toEqual([at('T4.13', 'warning', 2, 'IMPORTO_RENDICONTATO')]);
  });
});

describe('T4.14 — FNPS: 75% of the previous annualità used', () => {
  const fnps = (liquidato: number) =>
    fund({
      FONDO: 'FNPS',
      QUOTA: 'UNICA',
      ANNUALITA: 2024,
      ATTO_ASSEGNAZIONE: 'DGR riparto FNPS 2024',
      IMPORTO_ASSEGNATO: 100000,
      IMPORTO_INCASSATO: 100000,
      IMPORTO_IMPEGNATO: 100000,
      IMPORTO_LIQUIDATO: liquidato,
      IMPORTO_PAGATO: liquidato,
      IMPORTO_RENDICONTATO: null,
      MOTIVAZIONE_NON_IMPEGNATO: null,
      DATA_PREVISTA_IMPEGNO: null,
    });

  it('passes at 80%', () => {
    expect(withRule(check(T4([...funds(), fnps(80000)])), 'T4.14')).toEqual([]);
  });
  it('warns at 60%', () => {
    const findings = check(T4([...funds(), fnps(60000)]));
    expect(located(findings, 'T4.14')).toEqual([at('T4.14', 'warning', 3, 'IMPORTO_LIQUIDATO')]);
    expect(withRule(findings, 'T4.14')[0]?.message).toContain('60%');
  });
});

describe('T4.15 — monitoring window closed', () => {
  it('passes inside the window, up to the end of its last day', () => {
    expect(withRule(check(validSubmission()), 'T4.15')).toEqual([]);
    expect(withRule(check(validSubmission(), { now: new Date('2026-02-28T23:30:00Z') }), 'T4.15')).toEqual([]);
  });
  it('warns after the window, naming it', () => {
    const findings = check(validSubmission(), { now: new Date('2026-03-02T09:00:00Z') });
    expect(located(findings, 'T4.15')).toEqual([at('T4.15', 'warning', null, null)]);
    expect(withRule(findings, 'T4.15')[0]?.message).toBe(
      'Finestra di rilevazione chiusa (31/12/2025: 20/01/2026–28/02/2026).',
    );
  });
  it('skips a reference date without a calendar', () => {
    const rows = funds().map((row) => ({ ...row, DATA_RIF: '2025-08-31' }));
    const submission = validSubmission({ T4: rows }, { period: '2025-08-31' });
    expect(withRule(check(submission, { now: new Date('2027-01-01T00:00:00Z') }), 'T4.15')).toEqual([]);
  });
});

describe('T4.16 — quota of the previous snapshot missing now', () => {
  it('passes when every previous row is still there', () => {
    expect(withRule(check(validSubmission(), { previous: previousSnapshot() }), 'T4.16')).toEqual([]);
  });
  it('warns once per missing key', () => {
    const extra = fund({ FONDO: 'FNPS', QUOTA: 'UNICA', ANNUALITA: 2024, IMPORTO_IMPEGNATO: 100000 });
    const findings = check(validSubmission(), { previous: previousSnapshot([...funds(), extra, extra]) });
    expect(located(findings, 'T4.16')).toEqual([at('T4.16', 'warning', null, null)]);
    expect(withRule(findings, 'T4.16')[0]?.message).toContain('FNPS UNICA 2024');
  });
});

describe('a valid submission with a PNRR project and FNPS funds', () => {
  it('has no findings at all', () => {
    const fnps = fund({
      FONDO: 'FNPS',
      QUOTA: 'UNICA',
      ANNUALITA: 2025,
      ATTO_ASSEGNAZIONE: 'DGR riparto FNPS 2025',
      IMPORTO_ASSEGNATO: 100000,
      IMPORTO_INCASSATO: 100000,
      IMPORTO_IMPEGNATO: 100000,
      IMPORTO_LIQUIDATO: 60000,
      IMPORTO_PAGATO: 60000,
      IMPORTO_RENDICONTATO: null,
      MOTIVAZIONE_NON_IMPEGNATO: null,
      DATA_PREVISTA_IMPEGNO: null,
    });
    const submission = validSubmission({
      T4: [...funds(), project(), fnps],
      T5: [
        ...spendingRows(),
        spending({
          FONDO: 'PNRR',
          QUOTA: 'M5C2_1.1.1',
          COD_LEPS: 'LEPS_PIPPI',
          COD_INTERVENTO: 'ALTRO',
          AREA: 'MIN_FAM',
          IMPEGNATO: 200000,
          LIQUIDATO: 100000,
          DI_CUI_PERSONALE: null,
          CUP: 'B31H22000280006',
        }),
        spending({
          FONDO: 'FNPS',
          QUOTA: 'UNICA',
          ANNUALITA: 2025,
          COD_LEPS: 'NON_LEPS',
          COD_INTERVENTO: 'FNPS_DOM',
          AREA: 'MIN_FAM',
          IMPEGNATO: 100000,
          LIQUIDATO: 60000,
          DI_CUI_PERSONALE: null,
        }),
      ],
      T6: [...indicators(), indicator('LEPS_PIPPI', 'PIPPI_FFTT', 10)],
    });
    expect(check(submission)).toEqual([]);
  });
});

describe('T4.0 / T5.0 — a quota belongs to its fund', () => {
  it('passes Fondo Povertà quotas under FP and UNICA under FNPS', () => {
    const rows = [
      ...funds(),
      fund({
        FONDO: 'FNPS',
        QUOTA: 'UNICA',
        ANNUALITA: 2025,
        IMPORTO_IMPEGNATO: 480000,
        IMPORTO_LIQUIDATO: 0,
        IMPORTO_PAGATO: 0,
        IMPORTO_RENDICONTATO: 0,
      }),
    ];
    expect(withRule(check(validSubmission({ T4: rows })), 'T4.0')).toEqual([]);
  });

  it('catches a Fondo Povertà quota under FNPS, on T4 and on T5', () => {
    const findings = check(
      validSubmission({
        T4: withRow(funds(), 1, { FONDO: 'FNPS' }),
        T5: withRow(spendingRows(), 2, { FONDO: 'FNPS' }),
      }),
    );
    expect(withRule(findings, 'T4.0')).toEqual([
      expect.objectContaining({ rule: 'T4.0', severity: 'error', sheet: 'T4', row: 1, column: 'QUOTA' }),
    ]);
    expect(withRule(findings, 'T5.0')).toEqual([
      expect.objectContaining({ rule: 'T5.0', severity: 'error', sheet: 'T5', row: 2, column: 'QUOTA' }),
    ]);
  });
});
