import { describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { italianDay } from '../../shared/checks/rules/t3.ts';
import {
  DEFAULT_PARAMS,
  type Finding,
  fteAsTi,
  type Submission,
  validateSubmission,
  withParams,
} from '../../shared/index.ts';
import { anagrafica, check, NOW, staff, staffRows, validSubmission, withRow, withRule } from '../support/builders.ts';

/** T3 — Personale_Servizio_Sociale (domain.md §4.4, verify.md §1.3): each check passing and failing. */

const located = (findings: readonly Finding[]) =>
  findings.map(({ rule, severity, sheet, row, column }) => ({ rule, severity, sheet, row, column }));

type Row = ReturnType<typeof staff>;

const withStaff = (rows: Row[], t1: Parameters<typeof anagrafica>[0] = {}): Submission =>
  validSubmission({ T1: [anagrafica(t1)], T3: rows });

/** `count` full-time AS a tempo indeterminato for the whole year. */
const fullTimeStaff = (count: number, overrides: Row = {}): Row[] =>
  Array.from({ length: count }, (_, index) => staff(`AS-${String(index + 1).padStart(3, '0')}`, overrides));

/** The previous annual return (2024): its consuntivo 2024 and, when given, the forecast for 2025 it declared. */
function previousYear(forecast2025: Row[] = []): Submission {
  return validSubmission(
    {
      T1: [anagrafica({ ANNO_RIF: 2024 })],
      T3: [...fullTimeStaff(9, { ANNO_RIF: 2024 }), ...forecast2025],
    },
    { period: '2024-12-31' },
  );
}

const forecast = (count: number): Row[] =>
  Array.from({ length: count }, (_, index) => staff(`PR-${index + 1}`, { ANNO_RIF: 2025, TIPO_DATO: 'PREVISIONE' }));

const certification = {
  CERTIFICAZIONE_AS: 'S',
  FIRMA_LEGALE_RAPPRESENTANTE: 'Sindaco del Comune capofila',
  FIRMA_RESP_FINANZIARIO: 'Responsabile del servizio finanziario',
};

const summaryCell = (rule: string, severity: 'error' | 'warning', column = 'FTE_AS_TI') => ({
  rule,
  severity,
  sheet: 'T1',
  row: 1,
  column,
});

describe('the valid submission', () => {
  it('raises no T3 finding, also against a previous period that forecast the same staff', () => {
    const t3 = (findings: Finding[]) => findings.filter((finding) => finding.rule.startsWith('T3.'));
    expect(t3(check(validSubmission()))).toEqual([]);
    expect(t3(check(validSubmission(), { previous: previousYear(forecast(9)) }))).toEqual([]);
  });
});

describe('T3.0 — typed GIORNI_IN_SERVIZIO and FTE against the recomputation', () => {
  it('passes typed values that match the model', () => {
    const rows = withRow(staffRows(), 10, { GIORNI_IN_SERVIZIO: 365, FTE: 0.5 });
    expect(withRule(check(withStaff(rows)), 'T3.0')).toEqual([]);
  });

  it('rejects typed days that the dates do not give', () => {
    const findings = withRule(check(withStaff(withRow(staffRows(), 3, { GIORNI_IN_SERVIZIO: 300 }))), 'T3.0');
    expect(located(findings)).toEqual([
      { rule: 'T3.0', severity: 'error', sheet: 'T3', row: 3, column: 'GIORNI_IN_SERVIZIO' },
    ]);
    expect(findings[0]?.message).toContain('300');
    expect(findings[0]?.message).toContain('365');
  });

  it('rejects a typed FTE that is not the recomputation', () => {
    const findings = withRule(check(withStaff(withRow(staffRows(), 10, { FTE: 0.8 }))), 'T3.0');
    expect(located(findings)).toEqual([{ rule: 'T3.0', severity: 'error', sheet: 'T3', row: 10, column: 'FTE' }]);
    expect(findings[0]?.message).toContain('0,8');
    expect(findings[0]?.message).toContain('0,5');
  });

  it('treats a full-year FTE for someone hired mid-year as T3.0, not T3.11', () => {
    const findings = check(withStaff(withRow(staffRows(), 1, { DATA_INIZIO: '2025-07-01', FTE: 1 })));
    expect(located(withRule(findings, 'T3.0'))).toEqual([
      { rule: 'T3.0', severity: 'error', sheet: 'T3', row: 1, column: 'FTE' },
    ]);
    expect(withRule(findings, 'T3.11')).toEqual([]);
  });
});

describe('T3.1 — weekly hours and service dates', () => {
  it('passes part-time hours and dates inside the year', () => {
    const rows = withRow(staffRows(), 2, { ORE_SETT: 30, DATA_INIZIO: '2025-03-01', DATA_FINE: '2025-10-31' });
    expect(withRule(check(withStaff(rows)), 'T3.1')).toEqual([]);
  });

  it('rejects more weekly hours than full time', () => {
    const findings = withRule(check(withStaff(withRow(staffRows(), 2, { ORE_SETT: 40 }))), 'T3.1');
    expect(located(findings)).toEqual([{ rule: 'T3.1', severity: 'error', sheet: 'T3', row: 2, column: 'ORE_SETT' }]);
    expect(findings[0]?.message).toContain('40');
    expect(findings[0]?.message).toContain('36');
  });

  it('uses the full-time parameter when ORE_TEMPO_PIENO is empty', () => {
    const rows = withRow(staffRows(), 2, { ORE_SETT: 38, ORE_TEMPO_PIENO: null });
    const findings = withRule(check(withStaff(rows)), 'T3.1');
    expect(located(findings)).toEqual([{ rule: 'T3.1', severity: 'error', sheet: 'T3', row: 2, column: 'ORE_SETT' }]);
    expect(findings[0]?.message).toContain('valore predefinito');
    const generous = withParams({ fullTimeHours: 38 });
    expect(withRule(check(withStaff(rows), { params: generous }), 'T3.1')).toEqual([]);
  });

  it('reports zero weekly hours once, while reading the cell', () => {
    const findings = withRule(check(withStaff(withRow(staffRows(), 2, { ORE_SETT: 0 }))), 'T3.1');
    expect(located(findings)).toEqual([{ rule: 'T3.1', severity: 'error', sheet: 'T3', row: 2, column: 'ORE_SETT' }]);
  });

  it('rejects an end before the start', () => {
    const rows = withRow(staffRows(), 4, { DATA_INIZIO: '2025-05-01', DATA_FINE: '2025-04-30' });
    const findings = withRule(check(withStaff(rows)), 'T3.1');
    expect(located(findings)).toEqual([{ rule: 'T3.1', severity: 'error', sheet: 'T3', row: 4, column: 'DATA_FINE' }]);
    expect(findings[0]?.message).toContain('30/04/2025');
  });

  it('rejects a service that ended before the reference year, saying the FTE is 0', () => {
    const findings = withRule(check(withStaff(withRow(staffRows(), 5, { DATA_FINE: '2024-12-31' }))), 'T3.1');
    expect(located(findings)).toEqual([{ rule: 'T3.1', severity: 'error', sheet: 'T3', row: 5, column: 'DATA_FINE' }]);
    expect(findings[0]?.message).toContain("l'FTE della riga è 0");
  });

  it('rejects a service that starts after the reference year', () => {
    const findings = withRule(check(withStaff(withRow(staffRows(), 5, { DATA_INIZIO: '2026-02-01' }))), 'T3.1');
    expect(located(findings)).toEqual([
      { rule: 'T3.1', severity: 'error', sheet: 'T3', row: 5, column: 'DATA_INIZIO' },
    ]);
  });
});

describe('T3.2 — employer belongs to the Ambito', () => {
  it('passes a comune of T2 and the ente gestore', () => {
    const rows = [
      ...staffRows(),
      staff('AS-011', { ENTE_DATORE_CF: '00100010255' }),
      // An Unione di comuni as ente gestore: its codice fiscale is not a comune's.
      staff('AS-012', { ENTE_DATORE_CF: '93000120258', ENTE_DATORE_TIPO: 'ENTE_GESTORE' }),
    ];
    const gestore = { FORMA_GESTIONE: 'UNIONE', ENTE_CAPOFILA_ISTAT: null, ENTE_GESTORE_CF: '93000120258' };
    expect(withRule(check(withStaff(rows, gestore)), 'T3.2')).toEqual([]);
  });

  it('rejects an employer outside the Ambito, naming its codice fiscale', () => {
    const findings = withRule(check(withStaff(withRow(staffRows(), 6, { ENTE_DATORE_CF: '00100070259' }))), 'T3.2');
    expect(located(findings)).toEqual([
      { rule: 'T3.2', severity: 'error', sheet: 'T3', row: 6, column: 'ENTE_DATORE_CF' },
    ]);
    expect(findings[0]?.message).toContain('00100070259');
  });

  it('admits enti strumentali and ASL with reimbursement by their type', () => {
    const rows = [
      ...staffRows(),
      staff('AS-011', { ENTE_DATORE_CF: '00100070259', ENTE_DATORE_TIPO: 'ENTE_STRUMENTALE' }),
      staff('AS-012', { ENTE_DATORE_CF: '00300000254', ENTE_DATORE_TIPO: 'ASL_DELEGA_RIMBORSO' }),
    ];
    expect(withRule(check(withStaff(rows)), 'T3.2')).toEqual([]);
  });
});

describe('T3.3 — ASL staff only with costs borne by the Ambito', () => {
  const asl = (oneri: string) =>
    staff('ASL-1', {
      ENTE_DATORE_CF: '00300000254',
      ENTE_DATORE_TIPO: 'ASL_DELEGA_RIMBORSO',
      ONERI_A_CARICO_ENTE_ATS: oneri,
    });

  it('passes ASL staff whose costs the Ambito bears, and counts them', () => {
    const submission = withStaff([...staffRows(), asl('S')]);
    expect(withRule(check(submission), 'T3.3')).toEqual([]);
    const outcome = validateSubmission(submission, { comuni: loadComuni(), now: NOW });
    if (!outcome.ok) throw new Error('schema');
    expect(fteAsTi(outcome.submission, DEFAULT_PARAMS)).toBeCloseTo(10.5, 10);
  });

  it('flags ASL staff without costs borne, and leaves them out of FTE_AS_TI', () => {
    const submission = withStaff([...staffRows(), asl('N')]);
    const findings = withRule(check(submission), 'T3.3');
    expect(located(findings)).toEqual([
      { rule: 'T3.3', severity: 'error', sheet: 'T3', row: 11, column: 'ONERI_A_CARICO_ENTE_ATS' },
    ]);
    expect(findings[0]?.message).toContain('ASL-1');
    const outcome = validateSubmission(submission, { comuni: loadComuni(), now: NOW });
    if (!outcome.ok) throw new Error('schema');
    expect(fteAsTi(outcome.submission, DEFAULT_PARAMS)).toBeCloseTo(9.5, 10);
  });
});

describe('T3.4 — the same employee twice with overlapping periods', () => {
  it('passes the same employee in periods that do not overlap, or in another kind of data', () => {
    const rows = [
      ...withRow(staffRows(), 1, { DATA_FINE: '2025-03-31' }),
      staff('AS-001', { DATA_INIZIO: '2025-04-01', ENTE_DATORE_CF: '00100010255' }),
      staff('AS-002', { ANNO_RIF: 2026, TIPO_DATO: 'PREVISIONE' }),
    ];
    expect(withRule(check(withStaff(rows)), 'T3.4')).toEqual([]);
  });

  it('rejects an overlapping duplicate on the later row, naming the first', () => {
    const rows = [...staffRows(), staff('AS-003', { DATA_INIZIO: '2025-06-01', ORE_SETT: 12 })];
    const findings = withRule(check(withStaff(rows)), 'T3.4');
    expect(located(findings)).toEqual([
      { rule: 'T3.4', severity: 'error', sheet: 'T3', row: 11, column: 'ID_DIPENDENTE' },
    ]);
    expect(findings[0]?.message).toContain('AS-003');
    expect(findings[0]?.message).toContain('riga 3');
  });
});

describe('T3.5 and T3.6 — the ratio of social workers to residents', () => {
  it('say nothing above 1:5,000 (9.5 FTE for 42,818 residents)', () => {
    const findings = check(validSubmission());
    expect([...withRule(findings, 'T3.5'), ...withRule(findings, 'T3.6')]).toEqual([]);
  });

  it('T3.5 warns below 1:6,500 and T3.6 stays silent', () => {
    const findings = check(withStaff(fullTimeStaff(6)));
    expect(located(withRule(findings, 'T3.5'))).toEqual([summaryCell('T3.5', 'warning')]);
    expect(withRule(findings, 'T3.5')[0]?.message).toContain('1:6.500');
    expect(withRule(findings, 'T3.6')).toEqual([]);
  });

  it('T3.6 warns between 1:6,500 and 1:5,000 and T3.5 stays silent', () => {
    const findings = check(withStaff(fullTimeStaff(8)));
    expect(located(withRule(findings, 'T3.6'))).toEqual([summaryCell('T3.6', 'warning')]);
    expect(withRule(findings, 'T3.6')[0]?.message).toContain('1:5.000');
    expect(withRule(findings, 'T3.5')).toEqual([]);
  });

  it('use POP_RIF when the Ambito states it', () => {
    const findings = check(withStaff(staffRows(), { POP_RIF: 60000 }));
    expect(located(withRule(findings, 'T3.6'))).toEqual([summaryCell('T3.6', 'warning')]);
    expect(withRule(findings, 'T3.6')[0]?.message).toContain('60.000');
  });

  it('say nothing when there is no consuntivo for the year', () => {
    const findings = check(withStaff(forecast(2).map((row) => ({ ...row, ANNO_RIF: 2026 }))));
    expect([...withRule(findings, 'T3.5'), ...withRule(findings, 'T3.6')]).toEqual([]);
  });
});

describe('T3.7 — the contribution and FTE_AS_TI are the model’s', () => {
  it('passes typed values equal to the computation (to the cent)', () => {
    const submission = withStaff(staffRows(), { CONTRIBUTO_AS_CALCOLATO: 97776.63, FTE_AS_TI: 9.5 });
    expect(withRule(check(submission), 'T3.7')).toEqual([]);
  });

  it('rejects an overridden contribution, naming both amounts', () => {
    const findings = withRule(check(withStaff(staffRows(), { CONTRIBUTO_AS_CALCOLATO: 100000 })), 'T3.7');
    expect(located(findings)).toEqual([summaryCell('T3.7', 'error', 'CONTRIBUTO_AS_CALCOLATO')]);
    expect(findings[0]?.message).toContain('100.000,00 €');
    expect(findings[0]?.message).toContain('97.776,62 €');
    expect(findings[0]?.message).toContain('40.000 €/FTE tra 1:6.500 e 1:5.000');
  });

  it('rejects an overridden FTE_AS_TI', () => {
    const findings = withRule(check(withStaff(staffRows(), { FTE_AS_TI: 10 })), 'T3.7');
    expect(located(findings)).toEqual([summaryCell('T3.7', 'error')]);
    expect(findings[0]?.message).toContain('9,5');
  });
});

describe('T3.8 — consuntivo below the forecast', () => {
  it('is silent without a forecast for the year', () => {
    expect(withRule(check(validSubmission(), { previous: previousYear() }), 'T3.8')).toEqual([]);
  });

  it('passes a consuntivo at or above the forecast', () => {
    expect(withRule(check(validSubmission(), { previous: previousYear(forecast(9)) }), 'T3.8')).toEqual([]);
  });

  it('warns when the consuntivo is below the forecast of the previous period', () => {
    const findings = withRule(check(validSubmission(), { previous: previousYear(forecast(10)) }), 'T3.8');
    expect(located(findings)).toEqual([summaryCell('T3.8', 'warning')]);
    expect(findings[0]?.message).toContain('9,5');
    expect(findings[0]?.message).toContain('10');
  });

  it('takes the forecast from this submission when the previous one has none', () => {
    const findings = withRule(check(withStaff([...staffRows(), ...forecast(11)])), 'T3.8');
    expect(located(findings)).toEqual([summaryCell('T3.8', 'warning')]);
  });
});

describe('T3.9 and T3.10 — certified FTE against the SIOSS consuntivo', () => {
  const certified = (sioss: number | null) =>
    withStaff(staffRows(), { ...certification, FTE_AS_CONSUNTIVO_SIOSS: sioss });

  it('pass when the certified FTE equal the SIOSS consuntivo', () => {
    const findings = check(certified(9.5));
    expect([...withRule(findings, 'T3.9'), ...withRule(findings, 'T3.10')]).toEqual([]);
  });

  it('are silent outside a certification', () => {
    const findings = check(withStaff(staffRows(), { FTE_AS_CONSUNTIVO_SIOSS: 12 }));
    expect([...withRule(findings, 'T3.9'), ...withRule(findings, 'T3.10')]).toEqual([]);
  });

  it('T3.9 rejects certified FTE above the SIOSS consuntivo', () => {
    const findings = check(certified(9));
    expect(located(withRule(findings, 'T3.9'))).toEqual([summaryCell('T3.9', 'error')]);
    expect(withRule(findings, 'T3.10')).toEqual([]);
  });

  it('T3.10 rejects certified FTE below the SIOSS consuntivo, citing DM 125/2024', () => {
    const findings = check(certified(10));
    expect(located(withRule(findings, 'T3.10'))).toEqual([summaryCell('T3.10', 'error')]);
    expect(withRule(findings, 'T3.10')[0]?.message).toContain(
      'rischio di rideterminazione in diminuzione (DM 125/2024)',
    );
    expect(withRule(findings, 'T3.9')).toEqual([]);
  });

  it('T3.10 can be demoted to a warning by the Region', () => {
    const params = withParams({ severityOverrides: { 'T3.10': 'warning' } });
    expect(located(withRule(check(certified(10), { params }), 'T3.10'))).toEqual([summaryCell('T3.10', 'warning')]);
  });

  it('takes the SIOSS figure from the previous submission when T1 does not state it', () => {
    const previous = validSubmission({ T3: fullTimeStaff(10) }, { period: '2024-12-31' });
    const findings = check(certified(null), { previous });
    expect(located(withRule(findings, 'T3.10'))).toEqual([summaryCell('T3.10', 'error')]);
  });
});

describe('T3.11 — staff who left during the year counted pro-quota', () => {
  it('passes a typed FTE computed on the days of service', () => {
    const rows = withRow(staffRows(), 7, { DATA_FINE: '2025-06-30', GIORNI_IN_SERVIZIO: 181, FTE: 0.4959 });
    expect(withRule(check(withStaff(rows)), 'T3.11')).toEqual([]);
  });

  it('warns on a full-year FTE for someone who left on 30/06', () => {
    const rows = withRow(staffRows(), 7, { DATA_FINE: '2025-06-30', FTE: 1 });
    const findings = check(withStaff(rows));
    expect(located(withRule(findings, 'T3.11'))).toEqual([
      { rule: 'T3.11', severity: 'warning', sheet: 'T3', row: 7, column: 'FTE' },
    ]);
    expect(withRule(findings, 'T3.11')[0]?.message).toContain('181 giorni su 365');
    expect(withRule(findings, 'T3.0')).toEqual([]);
  });
});

describe('T3.12 — only AS a tempo indeterminato paid by the contribution', () => {
  it('passes AS a tempo indeterminato paid by the contribution', () => {
    expect(withRule(check(withStaff(withRow(staffRows(), 8, { FONTE_COSTO: 'FP_AS797' }))), 'T3.12')).toEqual([]);
  });

  it('rejects a fixed-term AS paid by the contribution', () => {
    const findings = withRule(
      check(withStaff(withRow(staffRows(), 8, { FONTE_COSTO: 'FP_AS797', TIPO_RAPPORTO: 'TD' }))),
      'T3.12',
    );
    expect(located(findings)).toEqual([
      { rule: 'T3.12', severity: 'error', sheet: 'T3', row: 8, column: 'TIPO_RAPPORTO' },
    ]);
    expect(findings[0]?.message).toContain('TD');
  });

  it('does not apply to a fixed-term AS paid otherwise', () => {
    expect(withRule(check(withStaff(withRow(staffRows(), 8, { TIPO_RAPPORTO: 'TD' }))), 'T3.12')).toEqual([]);
  });
});

describe('T3.13 — the SIOSS deadline of 28 February', () => {
  it('passes before the deadline, up to midnight Italian time', () => {
    expect(withRule(check(validSubmission()), 'T3.13')).toEqual([]);
    const lastMinute = new Date('2026-02-28T22:30:00Z');
    expect(withRule(check(validSubmission(), { now: lastMinute }), 'T3.13')).toEqual([]);
  });

  it('warns once the deadline has passed in Italy', () => {
    const findings = withRule(check(validSubmission(), { now: new Date('2026-02-28T23:30:00Z') }), 'T3.13');
    expect(located(findings)).toEqual([{ rule: 'T3.13', severity: 'warning', sheet: 'T3', row: null, column: null }]);
    expect(findings[0]?.message).toContain('28/02/2026');
  });

  it('takes the deadline of the year from the parameters', () => {
    const params = withParams({ siossDeadlines: { '2026': '2026-03-15' } });
    expect(withRule(check(validSubmission(), { now: new Date('2026-03-10T10:00:00Z'), params }), 'T3.13')).toEqual([]);
    const late = withRule(check(validSubmission(), { now: new Date('2026-03-16T10:00:00Z'), params }), 'T3.13');
    expect(late[0]?.message).toContain('15/03/2026');
  });

  it('reads the day in Italy as the Europe/Rome zone does, summer time and its changes included', () => {
    const rome = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Rome',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    // Every 20 minutes around each change of 2020–2030 and at midnight; every 7 hours over the decade.
    const instants: number[] = [];
    for (let year = 2020; year <= 2030; year++) {
      for (const month of [2, 9]) {
        const lastDay = new Date(Date.UTC(year, month + 1, 0));
        const change = Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
        for (let minutes = -26 * 60; minutes <= 26 * 60; minutes += 20) instants.push(change + minutes * 60_000);
      }
    }
    for (let time = Date.UTC(2020, 0, 1); time < Date.UTC(2031, 0, 1); time += 7 * 3_600_000) instants.push(time);
    for (const time of instants)
      expect(italianDay(new Date(time)), new Date(time).toISOString()).toBe(rome.format(time));
  });

  it('is silent when the submission carries no staff data for SIOSS', () => {
    expect(withRule(check(withStaff([]), { now: new Date('2026-06-01T10:00:00Z') }), 'T3.13')).toEqual([]);
  });
});
