import { describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import {
  ARTICULATION_COLUMNS,
  articulationSheet,
  displayedValue,
  parseArticulation,
  planReview,
  reviewOutcomeMessage,
  STATUS_SHEET,
  toExcelCell,
} from '../../shared/consolidation/index.ts';

const comuni = loadComuni();
const HEADER = ['COD_ATS', 'DENOMINAZIONE_ATS', 'COD_ISTAT_COMUNE', 'ENTE_GESTORE_CF'];

describe('articulation sheet → PUT /v1/regions/{region}/ats/{ats}', () => {
  it('groups the rows by ATS into the API bodies, restoring the zeros Excel took from codes', () => {
    const result = parseArticulation(
      [
        HEADER,
        ['ATS-05-001', 'Ambito di Belluno', '025006', '00100060250'],
        ['ATS-05-001', 'Ambito di Belluno', 25001, 100060250],
        [null, '', '', ''],
        ['ATS-05-002', 'Ambito di Feltre', '025021', null],
      ],
      '05',
      comuni,
    );
    expect(result.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(result.entries).toEqual([
      {
        ats: 'ATS-05-001',
        body: { name: 'Ambito di Belluno', comuni: ['025006', '025001'], enteGestoreCf: '00100060250' },
        rows: [2, 3],
      },
      { ats: 'ATS-05-002', body: { name: 'Ambito di Feltre', comuni: ['025021'] }, rows: [5] },
    ]);
    // The rest of Veneto is not covered by these two ATS: one warning lists them.
    const uncovered = result.findings.filter((finding) => finding.severity === 'warning');
    expect(uncovered).toHaveLength(1);
    expect(uncovered[0]?.message).toMatch(/^Comuni della Regione non assegnati ad alcun Ambito \(\d+\): /);
  });

  it('refuses an ATS whose rows have errors, and says why in Italian on the row', () => {
    const result = parseArticulation(
      [
        HEADER,
        ['ATS-05-001', 'Ambito di Belluno', '025006', ''],
        ['ATS-05-001', 'Ambito di Belluno', '999999', ''],
        ['ATS-05-002', 'Ambito di Feltre', '001272', ''],
        ['ATS-05-003', 'Ambito di Agordo', '025001', ''],
        ['ATS-05-004', 'Ambito di Arsiè', '025001', ''],
        ['ATS-16-001', 'Ambito pugliese', '071024', ''],
        ['ATS-05-005', 'Ambito A', '025003', ''],
        ['ATS-05-005', 'Ambito B', '025004', ''],
        ['ATS-05-006', '=HYPERLINK("x")', '025010', '123'],
        ['ATS5', 'Codice sbagliato', '025011', ''],
      ],
      '05',
      comuni,
    );
    const errors = result.findings.filter((finding) => finding.severity === 'error');
    expect(errors.map((finding) => [finding.row, finding.column, finding.message])).toEqual([
      [3, 'COD_ISTAT_COMUNE', "Riga 3: comune 999999 non presente nell'elenco ISTAT dei comuni."],
      [4, 'COD_ISTAT_COMUNE', 'Riga 4: il comune 001272 Torino è in Piemonte (01), non nella Regione 05.'],
      [
        6,
        'COD_ISTAT_COMUNE',
        'Riga 6: il comune 025001 Agordo risulta assegnato a più Ambiti: ATS-05-003 (riga 5) e ATS-05-004.',
      ],
      [7, 'COD_ATS', "Riga 7: l'Ambito ATS-16-001 non appartiene alla Regione 05 (il codice indica la Regione 16)."],
      [9, 'DENOMINAZIONE_ATS', "Riga 9: denominazione dell'Ambito ATS-05-005 diversa da quella della riga 8."],
      [10, 'ENTE_GESTORE_CF', `Riga 10: codice fiscale dell'ente gestore "123" non valido, attese 11 cifre.`],
      [11, 'COD_ATS', 'Riga 11: codice Ambito "ATS5" non valido, atteso ATS-RR-NNN.'],
    ]);
    expect(result.blocked).toEqual([
      'ATS-05-001',
      'ATS-05-002',
      'ATS-05-003',
      'ATS-05-004',
      'ATS-05-005',
      'ATS-05-006',
      'ATS-16-001',
    ]);
    expect(result.entries).toEqual([]);
  });

  it('reports a sheet without the required columns', () => {
    const result = parseArticulation([['ATS', 'NOME']], '05', comuni);
    expect(result.entries).toEqual([]);
    expect(result.findings).toEqual([
      {
        severity: 'error',
        row: 1,
        column: null,
        message: 'Nel foglio "Articolazione" mancano le colonne: COD_ATS, DENOMINAZIONE_ATS, COD_ISTAT_COMUNE.',
      },
    ]);
  });

  it('warns about a comune listed twice for the same ATS and sends it once', () => {
    const result = parseArticulation(
      [HEADER, ['ATS-05-001', 'Belluno', '025006', ''], ['ATS-05-001', 'Belluno', '025006', '']],
      '05',
      comuni,
    );
    expect(result.entries[0]?.body.comuni).toEqual(['025006']);
    expect(result.findings[0]).toEqual({
      severity: 'warning',
      row: 3,
      column: 'COD_ISTAT_COMUNE',
      message: 'Riga 3: il comune 025006 Belluno è già indicato alla riga 2 per lo stesso Ambito.',
    });
  });

  it('writes the registered articulation back as text, hostile names included, and reads it again', () => {
    const registered = [
      { ats: 'ATS-05-002', name: '+Ambito "due"', comuni: ['025021'] },
      { ats: 'ATS-05-001', name: '=1+1', comuni: ['025006', '025001'], enteGestoreCf: '00100060250' },
    ];
    const sheet = articulationSheet(registered, comuni);
    expect(sheet.rows[0]?.map(displayedValue)).toEqual([...ARTICULATION_COLUMNS]);
    expect(sheet.rows.slice(1).map((row) => row.map(displayedValue))).toEqual([
      ['ATS-05-001', '=1+1', '025006', 'Belluno', '00100060250'],
      ['ATS-05-001', '=1+1', '025001', 'Agordo', '00100060250'],
      ['ATS-05-002', '+Ambito "due"', '025021', 'Feltre', ''],
    ]);
    expect(toExcelCell(sheet.rows[1]?.[1] ?? { kind: 'empty' })).toEqual({ value: "'=1+1", numberFormat: '@' });
    const reread = parseArticulation(
      sheet.rows.map((row) => row.map(displayedValue)),
      '05',
      comuni,
    );
    expect(reread.entries.map((entry) => [entry.ats, entry.body])).toEqual([
      ['ATS-05-001', { name: '=1+1', comuni: ['025006', '025001'], enteGestoreCf: '00100060250' }],
      ['ATS-05-002', { name: '+Ambito "due"', comuni: ['025021'] }],
    ]);
  });
});

describe('review from "Stato invii"', () => {
  const row = ['ATS-05-001', 'Ambito', 'Sì', 'Sì', 3, 'Inviata, in attesa di esame della Regione'];

  it('sends the version the reviewer saw, with the comment', () => {
    expect(planReview(STATUS_SHEET, row, 'reject', '  Manca il quadro T4.  ')).toEqual({
      ok: true,
      request: { ats: 'ATS-05-001', body: { decision: 'reject', comment: 'Manca il quadro T4.', version: 3 } },
    });
    expect(planReview(STATUS_SHEET, row, 'approve', '')).toEqual({
      ok: true,
      request: { ats: 'ATS-05-001', body: { decision: 'approve', comment: null, version: 3 } },
    });
  });

  it('refuses what cannot be reviewed, in Italian', () => {
    expect(planReview('T1_ATS_Anagrafica', row, 'approve', '')).toEqual({
      ok: false,
      message: 'Selezionare la riga di un Ambito nel foglio "Stato invii".',
    });
    expect(planReview(STATUS_SHEET, ['COD_ATS', 'Denominazione'], 'approve', '')).toMatchObject({ ok: false });
    expect(planReview(STATUS_SHEET, ['ATS-05-003', 'x', 'Sì', 'NO — mancante', ''], 'approve', '')).toEqual({
      ok: false,
      message: "L'Ambito ATS-05-003 non ha inviato dati per il periodo: non c'è nulla da esaminare.",
    });
    expect(planReview(STATUS_SHEET, row, 'reject', '   ')).toEqual({
      ok: false,
      message: 'Per respingere un invio scrivere un commento con il motivo.',
    });
  });

  it('explains a stale version, and never reports it as done', () => {
    const plan = planReview(STATUS_SHEET, row, 'approve', '');
    if (!plan.ok) throw new Error(plan.message);
    expect(reviewOutcomeMessage(plan.request, 200, null)).toEqual({
      ok: true,
      message: "Versione 3 dell'Ambito ATS-05-001 approvata.",
    });
    expect(reviewOutcomeMessage(plan.request, 409, 'La versione 3 è già stata approvata.', 'ALREADY_REVIEWED')).toEqual(
      { ok: false, message: 'La versione 3 è già stata approvata.' },
    );
    const stale = reviewOutcomeMessage(plan.request, 409, 'Versione non corrente.', 'STALE_VERSION');
    expect(stale.ok).toBe(false);
    expect(stale.message).toBe(
      "La versione 3 dell'Ambito ATS-05-001 non è più quella corrente: l'Ambito ha inviato una versione più recente. Nessuna decisione è stata registrata: consolidare di nuovo ed esaminare la versione corrente.",
    );
  });
});
