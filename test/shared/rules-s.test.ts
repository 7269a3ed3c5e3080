import { describe, expect, it } from 'vitest';
import { normalizeSubmission } from '../../shared/checks/normalize.ts';
import { type Finding, LEPS_ATS, type Submission, validateSubmission } from '../../shared/index.ts';
import {
  anagrafica,
  check,
  comuni,
  funds,
  indicators,
  PERIOD,
  staffRows,
  validSubmission,
  withRow,
  withRule,
} from '../support/builders.ts';

/** Submission-level checks (domain.md §4.8). Each check: data that passes it, data that fails it. */

const located = (findings: readonly Finding[], rule: string) =>
  withRule(findings, rule).map(({ severity, sheet, row, column }) => ({ rule, severity, sheet, row, column }));

describe('S.1 — same ATS code and period on every sheet', () => {
  it('passes the valid submission, and a PREVISIONE for the next year in T3', () => {
    expect(withRule(check(validSubmission()), 'S.1')).toEqual([]);
    const forecast = withRow(staffRows(), 10, { TIPO_DATO: 'PREVISIONE', ANNO_RIF: 2026 });
    expect(withRule(check(validSubmission({ T3: forecast })), 'S.1')).toEqual([]);
  });
  it('rejects another ATS code on a row', () => {
    const findings = check(validSubmission({ T2: withRow(comuni(), 2, { COD_ATS: 'ATS-05-002' }) }));
    expect(located(findings, 'S.1')).toEqual([
      { rule: 'S.1', severity: 'error', sheet: 'T2', row: 2, column: 'COD_ATS' },
    ]);
    expect(withRule(findings, 'S.1')[0]?.message).toBe(
      'Codice Ambito o periodo diversi tra i fogli: ATS-05-002 invece di ATS-05-001.',
    );
  });
  it('rejects another reference date or year', () => {
    const findings = check(
      validSubmission({
        T4: withRow(funds(), 1, { DATA_RIF: '2025-08-31' }),
        T6: withRow(indicators(), 1, { ANNO_RIF: 2024 }),
      }),
    );
    expect(located(findings, 'S.1')).toEqual([
      { rule: 'S.1', severity: 'error', sheet: 'T4', row: 1, column: 'DATA_RIF' },
      { rule: 'S.1', severity: 'error', sheet: 'T6', row: 1, column: 'ANNO_RIF' },
    ]);
  });
  it('rejects a T1 year different from the period', () => {
    const findings = check(validSubmission({ T1: [anagrafica({ ANNO_RIF: 2024 })] }));
    // Every sheet is measured against the period's year, so the one wrong cell is the one finding.
    expect(located(findings, 'S.1')).toEqual([
      { rule: 'S.1', severity: 'error', sheet: 'T1', row: 1, column: 'ANNO_RIF' },
    ]);
  });
});

describe('S.2 — published template version', () => {
  it('passes the published version', () => {
    expect(withRule(check(validSubmission()), 'S.2')).toEqual([]);
  });
  it('rejects an unpublished version, naming the current one', () => {
    const findings = check(validSubmission({}, { templateVersion: '2024.9' }));
    expect(located(findings, 'S.2')).toEqual([
      { rule: 'S.2', severity: 'error', sheet: null, row: null, column: null },
    ]);
    expect(withRule(findings, 'S.2')[0]?.message).toBe(
      `Modello non aggiornato: la versione "2024.9" non è pubblicata, scaricare la versione ${LEPS_ATS.version}.`,
    );
  });
  it('rejects an unknown template', () => {
    const findings = check(validSubmission({}, { template: 'ALTRO-MODELLO' }));
    expect(located(findings, 'S.2')).toEqual([
      { rule: 'S.2', severity: 'error', sheet: null, row: null, column: null },
    ]);
    expect(withRule(findings, 'S.2')[0]?.message).toContain('sconosciuto');
  });
  it('refuses a column the template does not have, naming its path (nothing unchecked is stored)', () => {
    for (const column of ['COLONNA_AGGIUNTA', 'constructor', '__proto__']) {
      const row = { ...funds()[0] };
      Object.defineProperty(row, column, { value: 'x', enumerable: true, writable: true, configurable: true });
      const outcome = validateSubmission(validSubmission({ T4: [row] }), { now: new Date('2026-01-15') });
      expect(outcome.ok, column).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.issues[0]?.path, column).toMatch(/^sheets\.T4\.0/);
      expect(outcome.issues[0]?.message, column).toMatch(/Colonna .*non prevista dal modello/);
    }
  });
});

describe('S.3 — numbers and dates stored as such', () => {
  it('passes numbers as numbers and ISO dates', () => {
    expect(withRule(check(validSubmission()), 'S.3')).toEqual([]);
  });
  it('reports "500.000,00" typed as text and reads it as 500000 (T4.1 then fires)', () => {
    const findings = check(validSubmission({ T4: withRow(funds(), 1, { IMPORTO_IMPEGNATO: '500.000,00' }) }));
    expect(located(findings, 'S.3')).toEqual([
      { rule: 'S.3', severity: 'error', sheet: 'T4', row: 1, column: 'IMPORTO_IMPEGNATO' },
    ]);
    expect(withRule(findings, 'S.3')[0]?.message).toBe(
      'Impegnato: numero inserito come testo ("500.000,00"), letto come 500.000. Inserirlo come numero.',
    );
    expect(withRule(findings, 'T4.1')[0]?.message).toContain('impegnato 500.000,00 €');
  });
  it('reads a number typed as text that matches: only S.3', () => {
    const findings = check(validSubmission({ T4: withRow(funds(), 1, { IMPORTO_IMPEGNATO: '400.000,00' }) }));
    expect(findings.map((finding) => finding.rule)).toEqual(['S.3']);
  });
  it('reports "31/12/2025" typed as a date and reads it (no S.1 on the period)', () => {
    const findings = check(validSubmission({ T4: withRow(funds(), 1, { DATA_RIF: '31/12/2025' }) }));
    expect(located(findings, 'S.3')).toEqual([
      { rule: 'S.3', severity: 'error', sheet: 'T4', row: 1, column: 'DATA_RIF' },
    ]);
    expect(findings.map((finding) => finding.rule)).toEqual(['S.3']);
  });
  it('reads a text date and checks it (30/06/2025 before the reference date → T4.6)', () => {
    const findings = check(validSubmission({ T4: withRow(funds(), 1, { DATA_PREVISTA_IMPEGNO: '30/06/2025' }) }));
    expect(located(findings, 'S.3')).toEqual([
      { rule: 'S.3', severity: 'error', sheet: 'T4', row: 1, column: 'DATA_PREVISTA_IMPEGNO' },
    ]);
    expect(located(findings, 'T4.6')).toEqual([
      { rule: 'T4.6', severity: 'error', sheet: 'T4', row: 1, column: 'DATA_PREVISTA_IMPEGNO' },
    ]);
  });
  it('reports text that is not a number as a value error, not as S.3', () => {
    const findings = check(validSubmission({ T4: withRow(funds(), 1, { IMPORTO_PAGATO: 'circa mille' }) }));
    expect(withRule(findings, 'S.3')).toEqual([]);
    expect(located(findings, 'T4.0')).toEqual([
      { rule: 'T4.0', severity: 'error', sheet: 'T4', row: 1, column: 'IMPORTO_PAGATO' },
    ]);
  });
});

describe('S.4 — re-submission for the same period needs a reason', () => {
  const earlierVersion = validSubmission({ T4: withRow(funds(), 1, { IMPORTO_LIQUIDATO: 230000 }) });

  it('passes a first submission, and a re-submission with a comment', () => {
    expect(withRule(check(validSubmission()), 'S.4')).toEqual([]);
    const commented = validSubmission({}, { comment: 'Rettifica del liquidato FP 2024 dopo la chiusura dei mandati.' });
    expect(withRule(check(commented, { earlierVersion }), 'S.4')).toEqual([]);
  });
  it('warns on a re-submission without a comment, listing what changed', () => {
    const findings = check(validSubmission(), { earlierVersion });
    expect(located(findings, 'S.4')).toEqual([
      { rule: 'S.4', severity: 'warning', sheet: null, row: null, column: null },
    ]);
    expect(withRule(findings, 'S.4')[0]?.message).toBe(
      "Nuovo invio per lo stesso periodo: indicare il motivo della rettifica. Modifiche rispetto all'invio precedente: T4: 1 righe.",
    );
  });
  it('sees no change in the same rows written with their columns in another order', () => {
    const reordered = (submission: Submission): Submission => ({
      ...submission,
      sheets: Object.fromEntries(
        Object.entries(submission.sheets).map(([sheet, rows]) => [
          sheet,
          (rows ?? []).map((row) => Object.fromEntries(Object.entries(row).reverse())),
        ]),
      ) as Submission['sheets'],
    });
    const same = validSubmission();
    expect(withRule(check(same, { earlierVersion: reordered(same) }), 'S.4')[0]?.message).toContain(
      'Nessuna modifica rispetto',
    );
    expect(
      withRule(check(validSubmission(), { earlierVersion: reordered(earlierVersion) }), 'S.4')[0]?.message,
    ).toContain('T4: 1 righe.');
  });
  it('treats a blank comment as no comment', () => {
    expect(withRule(check(validSubmission({}, { comment: '   ' }), { earlierVersion }), 'S.4')).toHaveLength(1);
  });
  it('loads an earlier version given as a function only when the reason is missing, and once', () => {
    let loads = 0;
    const load = () => {
      loads++;
      return earlierVersion;
    };
    const commented = validSubmission({}, { comment: 'Rettifica del liquidato FP 2024 dopo la chiusura dei mandati.' });
    expect(withRule(check(commented, { earlierVersion: load }), 'S.4')).toEqual([]);
    expect(loads).toBe(0);
    expect(withRule(check(validSubmission(), { earlierVersion: load }), 'S.4')).toHaveLength(1);
    expect(loads).toBe(1);
  });
});

describe('S.5 — certification signed by both signatories', () => {
  it('passes a certification with both signatories, and a submission that is no certification', () => {
    const signed = anagrafica({
      CERTIFICAZIONE_AS: 'S',
      FIRMA_LEGALE_RAPPRESENTANTE: 'Sindaco del Comune capofila, decreto 3/2025',
      FIRMA_RESP_FINANZIARIO: 'Responsabile del servizio finanziario',
    });
    expect(withRule(check(validSubmission({ T1: [signed] })), 'S.5')).toEqual([]);
    expect(withRule(check(validSubmission()), 'S.5')).toEqual([]);
  });
  it('rejects a certification without signatories, on each missing cell', () => {
    const findings = check(validSubmission({ T1: [anagrafica({ CERTIFICAZIONE_AS: 'S' })] }));
    expect(located(findings, 'S.5')).toEqual([
      { rule: 'S.5', severity: 'error', sheet: 'T1', row: 1, column: 'FIRMA_LEGALE_RAPPRESENTANTE' },
      { rule: 'S.5', severity: 'error', sheet: 'T1', row: 1, column: 'FIRMA_RESP_FINANZIARIO' },
    ]);
    expect(withRule(findings, 'S.5')[0]?.message).toContain('obbligatorio per la certificazione');
  });
});

it('the period used by the builders is the one the fixtures are dated', () => {
  expect(PERIOD).toBe('2025-12-31');
});

describe('reading rows', () => {
  it('uses a row that already holds typed values as it is, and copies one with text to read, leaving the input as sent', () => {
    const typed = funds()[0];
    const lowerCase = { ...funds()[1], FONDO: 'fnps', QUOTA: ' qsfp ' };
    const sent = validSubmission({ T4: [typed, lowerCase, ...funds().slice(2)] as never });
    const before = JSON.stringify(sent);
    const outcome = validateSubmission(sent);
    if (!outcome.ok) throw new Error('schema error');
    expect(outcome.submission.sheets.T4[0]).toBe(typed);
    expect(outcome.submission.sheets.T4[1]).not.toBe(lowerCase);
    expect(outcome.submission.sheets.T4[1]).toMatchObject({ FONDO: 'FNPS', QUOTA: 'QSFP' });
    expect(JSON.stringify(sent)).toBe(before);
  });
});

describe('reading rows when Object.prototype was tampered with', () => {
  it('reads only the cells a row owns, and the schema refuses what it cannot tell apart', () => {
    const sent = validSubmission({ T4: withRow(funds(), 1, { FONDO: 'fnps' }) });
    const clean = normalizeSubmission(LEPS_ATS, sent);
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.COLONNA_EREDITATA = 'x';
    prototype.FONDO = 'FNA';
    try {
      const tampered = normalizeSubmission(LEPS_ATS, sent);
      expect(tampered.findings).toEqual(clean.findings);
      expect(JSON.stringify(tampered.submission.sheets)).toBe(JSON.stringify(clean.submission.sheets));
      // zod lists inherited keys too, so the whole submission is refused with an Italian message, never misread.
      const outcome = validateSubmission(sent);
      expect(outcome.ok).toBe(false);
    } finally {
      delete prototype.COLONNA_EREDITATA;
      delete prototype.FONDO;
    }
  });
});
