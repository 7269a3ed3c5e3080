import { describe, expect, it } from 'vitest';
import { type Finding, withParams } from '../../shared/index.ts';
import { anagrafica, check, comune, comuni, validSubmission, withRow, withRule } from '../support/builders.ts';

/** T1 — ATS_Anagrafica (domain.md §4.2): each check with data that passes it and data that fails it. */

/** Where a finding points and how grave it is: what the add-in turns into a marked cell. */
const located = (findings: readonly Finding[]) =>
  findings.map(({ rule, severity, sheet, row, column }) => ({ rule, severity, sheet, row, column }));

const withAnagrafica = (overrides: Parameters<typeof anagrafica>[0]) =>
  validSubmission({ T1: [anagrafica(overrides)] });

const previousYear = (overrides: Parameters<typeof anagrafica>[0] = {}) =>
  validSubmission({ T1: [anagrafica({ ANNO_RIF: 2024, ...overrides })] }, { period: '2024-12-31' });

describe('the valid submission', () => {
  it('raises no T1 finding', () => {
    expect(check(validSubmission()).filter((finding) => finding.rule.startsWith('T1.'))).toEqual([]);
  });
});

describe('T1.1 — required fields and code lists', () => {
  it('passes when every required field is present and coded', () => {
    expect(withRule(check(validSubmission()), 'T1.1')).toEqual([]);
  });

  it('reports a missing required field on its cell', () => {
    const findings = withRule(check(withAnagrafica({ COD_REGIONE: null })), 'T1.1');
    expect(located(findings)).toEqual([
      { rule: 'T1.1', severity: 'error', sheet: 'T1', row: 1, column: 'COD_REGIONE' },
    ]);
    expect(findings[0]?.message).toContain('Campo obbligatorio mancante');
  });

  it('reports a code that is not in the list', () => {
    const findings = withRule(check(withAnagrafica({ FORMA_GESTIONE: 'CONSORZIO_X' })), 'T1.1');
    expect(located(findings)).toEqual([
      { rule: 'T1.1', severity: 'error', sheet: 'T1', row: 1, column: 'FORMA_GESTIONE' },
    ]);
    expect(findings[0]?.message).toContain('CONSORZIO_X');
  });
});

describe('T1.2 — codice fiscale of the ente gestore', () => {
  it('passes a valid 11-digit codice fiscale', () => {
    expect(withRule(check(withAnagrafica({ ENTE_GESTORE_CF: '00100060250' })), 'T1.2')).toEqual([]);
  });

  it('rejects a wrong check digit, naming the value', () => {
    const findings = withRule(check(withAnagrafica({ ENTE_GESTORE_CF: '00100060251' })), 'T1.2');
    expect(located(findings)).toEqual([
      { rule: 'T1.2', severity: 'error', sheet: 'T1', row: 1, column: 'ENTE_GESTORE_CF' },
    ]);
    expect(findings[0]?.message).toContain('00100060251');
  });

  it('rejects a value that is not 11 digits once, while reading the cell', () => {
    const findings = check(withAnagrafica({ ENTE_GESTORE_CF: '0010006025' }));
    expect(located(withRule(findings, 'T1.2'))).toEqual([
      { rule: 'T1.2', severity: 'error', sheet: 'T1', row: 1, column: 'ENTE_GESTORE_CF' },
    ]);
  });
});

describe('T1.3 — in convenzione the capofila is a comune of the Ambito', () => {
  it('passes when ENTE_CAPOFILA_ISTAT is the comune flagged capofila in T2', () => {
    expect(withRule(check(validSubmission()), 'T1.3')).toEqual([]);
  });

  it('does not apply outside a convenzione', () => {
    const submission = withAnagrafica({ FORMA_GESTIONE: 'UNIONE', ENTE_CAPOFILA_ISTAT: null });
    expect(withRule(check(submission), 'T1.3')).toEqual([]);
  });

  it('rejects a capofila that is not flagged in T2', () => {
    const findings = withRule(check(withAnagrafica({ ENTE_CAPOFILA_ISTAT: '025001' })), 'T1.3');
    expect(located(findings)).toEqual([
      { rule: 'T1.3', severity: 'error', sheet: 'T1', row: 1, column: 'ENTE_CAPOFILA_ISTAT' },
    ]);
    expect(findings[0]?.message).toContain('025001');
  });

  it('requires the capofila in convenzione', () => {
    const findings = withRule(check(withAnagrafica({ ENTE_CAPOFILA_ISTAT: null })), 'T1.3');
    expect(located(findings)).toEqual([
      { rule: 'T1.3', severity: 'error', sheet: 'T1', row: 1, column: 'ENTE_CAPOFILA_ISTAT' },
    ]);
  });
});

describe('T1.4 — Ufficio di Piano: act, head and FTE consistent', () => {
  it('passes when the total equals the sum of the components', () => {
    expect(withRule(check(validSubmission()), 'T1.4')).toEqual([]);
  });

  it('rejects a total that is not the sum of the components, naming both', () => {
    const findings = withRule(check(withAnagrafica({ UDP_FTE_TOT: 4 })), 'T1.4');
    expect(located(findings)).toEqual([
      { rule: 'T1.4', severity: 'error', sheet: 'T1', row: 1, column: 'UDP_FTE_TOT' },
    ]);
    expect(findings[0]?.message).toContain('4');
    expect(findings[0]?.message).toContain('3,5');
  });

  it('requires the act and the head when the Ufficio di Piano exists', () => {
    const findings = withRule(check(withAnagrafica({ UDP_ATTO_DATA: null, UDP_RESPONSABILE: null })), 'T1.4');
    expect(located(findings)).toEqual([
      { rule: 'T1.4', severity: 'error', sheet: 'T1', row: 1, column: 'UDP_ATTO_DATA' },
      { rule: 'T1.4', severity: 'error', sheet: 'T1', row: 1, column: 'UDP_RESPONSABILE' },
    ]);
  });
});

describe('T1.5 — Ufficio di Piano absent or under the FTE threshold', () => {
  it('passes with an Ufficio di Piano of at least 1 FTE', () => {
    expect(withRule(check(validSubmission()), 'T1.5')).toEqual([]);
  });

  it('warns when the Ufficio di Piano is absent', () => {
    const submission = withAnagrafica({
      UDP_PRESENTE: 'N',
      UDP_ATTO_DATA: null,
      UDP_RESPONSABILE: null,
      UDP_FTE_TOT: null,
      UDP_FTE_AMM: null,
      UDP_FTE_CONT: null,
      UDP_FTE_PROGR: null,
      UDP_FTE_MONIT: null,
    });
    expect(located(withRule(check(submission), 'T1.5'))).toEqual([
      { rule: 'T1.5', severity: 'warning', sheet: 'T1', row: 1, column: 'UDP_PRESENTE' },
    ]);
  });

  it('warns when it has less than 1 FTE', () => {
    const submission = withAnagrafica({
      UDP_FTE_TOT: 0.5,
      UDP_FTE_AMM: 0.5,
      UDP_FTE_CONT: 0,
      UDP_FTE_PROGR: 0,
      UDP_FTE_MONIT: 0,
    });
    const findings = withRule(check(submission), 'T1.5');
    expect(located(findings)).toEqual([
      { rule: 'T1.5', severity: 'warning', sheet: 'T1', row: 1, column: 'UDP_FTE_TOT' },
    ]);
    expect(findings[0]?.message).toContain('0,5');
  });
});

describe('T1.6 — atto costitutivo expiring', () => {
  it('passes an act that expires years from now', () => {
    expect(withRule(check(withAnagrafica({ ATTO_COSTITUTIVO_SCADENZA: '2030-12-31' })), 'T1.6')).toEqual([]);
  });

  it('warns when the act expires within 6 months', () => {
    const findings = withRule(check(withAnagrafica({ ATTO_COSTITUTIVO_SCADENZA: '2026-05-31' })), 'T1.6');
    expect(located(findings)).toEqual([
      { rule: 'T1.6', severity: 'warning', sheet: 'T1', row: 1, column: 'ATTO_COSTITUTIVO_SCADENZA' },
    ]);
    expect(findings[0]?.message).toContain('31/05/2026');
  });

  it('warns when the act has already expired', () => {
    const findings = withRule(check(withAnagrafica({ ATTO_COSTITUTIVO_SCADENZA: '2025-12-01' })), 'T1.6');
    expect(located(findings)).toEqual([
      { rule: 'T1.6', severity: 'warning', sheet: 'T1', row: 1, column: 'ATTO_COSTITUTIVO_SCADENZA' },
    ]);
    expect(findings[0]?.message).toContain('scaduta');
  });
});

describe('T1.7 — convenzione without autonomia gestionale', () => {
  it('passes a convenzione with autonomy', () => {
    expect(withRule(check(validSubmission()), 'T1.7')).toEqual([]);
  });

  it('warns on a convenzione without autonomy', () => {
    expect(located(withRule(check(withAnagrafica({ AUTONOMIA_ART23: 'N' })), 'T1.7'))).toEqual([
      { rule: 'T1.7', severity: 'warning', sheet: 'T1', row: 1, column: 'AUTONOMIA_ART23' },
    ]);
  });
});

describe('T1.8 — forma di gestione or ente gestore changed since the previous period', () => {
  it('is silent without a previous period', () => {
    expect(withRule(check(withAnagrafica({ FORMA_GESTIONE: 'UNIONE' })), 'T1.8')).toEqual([]);
  });

  it('passes when nothing changed', () => {
    expect(withRule(check(validSubmission(), { previous: previousYear() }), 'T1.8')).toEqual([]);
  });

  it('warns on a changed forma di gestione, naming both values', () => {
    const findings = withRule(
      check(validSubmission(), { previous: previousYear({ FORMA_GESTIONE: 'UNIONE' }) }),
      'T1.8',
    );
    expect(located(findings)).toEqual([
      { rule: 'T1.8', severity: 'warning', sheet: 'T1', row: 1, column: 'FORMA_GESTIONE' },
    ]);
    expect(findings[0]?.message).toContain('UNIONE → CONV');
  });

  it('warns on a changed ente gestore', () => {
    const previous = previousYear({ ENTE_GESTORE_CF: '00100010255' });
    expect(located(withRule(check(validSubmission(), { previous }), 'T1.8'))).toEqual([
      { rule: 'T1.8', severity: 'warning', sheet: 'T1', row: 1, column: 'ENTE_GESTORE_CF' },
    ]);
  });
});

describe('T1.9 — POPOLAZIONE_TOT equals the active comuni of T2', () => {
  it('passes when the total is the sum of the comuni', () => {
    expect(withRule(check(validSubmission()), 'T1.9')).toEqual([]);
  });

  it('leaves out a comune that left the Ambito before the reference date', () => {
    const rows = [
      ...comuni(),
      comune('025005', 'Auronzo di Cadore', '83001090253', 3200, { DATA_USCITA: '2025-06-30' }),
    ];
    expect(withRule(check(validSubmission({ T2: rows })), 'T1.9')).toEqual([]);
  });

  it('rejects a total that differs from the comuni, naming both figures', () => {
    const findings = withRule(check(withAnagrafica({ POPOLAZIONE_TOT: 42000 })), 'T1.9');
    expect(located(findings)).toEqual([
      { rule: 'T1.9', severity: 'error', sheet: 'T1', row: 1, column: 'POPOLAZIONE_TOT' },
    ]);
    expect(findings[0]?.message).toContain('42.000');
    expect(findings[0]?.message).toContain('42.818');
  });

  it('rejects a total that counts a comune that left', () => {
    const rows = withRow(comuni(), 2, { DATA_USCITA: '2025-03-31' });
    const findings = withRule(check(validSubmission({ T2: rows })), 'T1.9');
    expect(located(findings)).toEqual([
      { rule: 'T1.9', severity: 'error', sheet: 'T1', row: 1, column: 'POPOLAZIONE_TOT' },
    ]);
  });
});

describe('T1.10 — POP_RIF within the tolerance of the ISTAT population (R-AS-2)', () => {
  // ISTAT resident population at 1 January 2025 of Agordo, Alleghe, Arsiè and Belluno: 4,019 + 1,088 + 2,168 + 35,543.
  const ISTAT_2025 = 42_818;

  it('passes without POP_RIF, with the ISTAT figure, and within 0.5 % either way', () => {
    expect(withRule(check(validSubmission()), 'T1.10')).toEqual([]);
    for (const popRif of [ISTAT_2025, 43_032, 42_604]) {
      expect(withRule(check(withAnagrafica({ POP_RIF: popRif })), 'T1.10'), String(popRif)).toEqual([]);
    }
  });

  it('warns on POP_RIF more than 0.5 % above or below, on its cell, naming both figures and the date', () => {
    for (const popRif of [43_033, 42_603, 50_000]) {
      const findings = withRule(check(withAnagrafica({ POP_RIF: popRif })), 'T1.10');
      expect(located(findings), String(popRif)).toEqual([
        { rule: 'T1.10', severity: 'warning', sheet: 'T1', row: 1, column: 'POP_RIF' },
      ]);
      expect(findings[0]?.message).toContain('42.818');
      expect(findings[0]?.message).toContain('1° gennaio 2025');
      expect(findings[0]?.message).toContain('0,5%');
    }
  });

  it('takes the ISTAT figure of the reference year (ANNO_RIF), and skips a year the list does not carry', () => {
    // 1 January 2026: 4,062 + 1,064 + 2,174 + 35,499 = 42,799; 43,020 is within 0.5 % of 2025's, not of 2026's.
    const findings = withRule(check(withAnagrafica({ ANNO_RIF: 2026, POP_RIF: 43_020 })), 'T1.10');
    expect(findings[0]?.message).toContain('1° gennaio 2026 (42.799)');
    expect(withRule(check(withAnagrafica({ POP_RIF: 43_020 })), 'T1.10')).toEqual([]);
    expect(withRule(check(withAnagrafica({ ANNO_RIF: 2024, POP_RIF: 50_000 })), 'T1.10')).toEqual([]);
  });

  it('counts only the active comuni, and skips when a comune is not in the ISTAT list or no list is given', () => {
    const left = withRow(comuni(), 2, { DATA_USCITA: '2025-03-31' });
    const withoutAlleghe = validSubmission({ T1: [anagrafica({ POP_RIF: ISTAT_2025 - 1_088 })], T2: left });
    expect(withRule(check(withoutAlleghe), 'T1.10')).toEqual([]);
    const unknown = withRow(comuni(), 1, { COD_ISTAT_COMUNE: '099999' });
    expect(withRule(check(validSubmission({ T1: [anagrafica({ POP_RIF: 1 })], T2: unknown })), 'T1.10')).toEqual([]);
    expect(withRule(check(withAnagrafica({ POP_RIF: 1 }), { comuni: undefined }), 'T1.10')).toEqual([]);
  });

  it('reads its threshold from the parameters', () => {
    const submission = withAnagrafica({ POP_RIF: 43_500 });
    expect(withRule(check(submission), 'T1.10')).toHaveLength(1);
    expect(withRule(check(submission, { params: withParams({ popRifTolerance: 0.02 }) }), 'T1.10')).toEqual([]);
    expect(
      withRule(check(withAnagrafica({ POP_RIF: 42_900 }), { params: withParams({ popRifTolerance: 0.001 }) }), 'T1.10'),
    ).toHaveLength(1);
  });
});
