import { describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { validateRegion } from '../../shared/checks/engine.ts';
import {
  buildConsolidatedWorkbook,
  type Cell,
  displayedValue,
  excelSerial,
  FINDINGS_SHEET,
  type SheetModel,
  STATUS_SHEET,
  SUMMARY_SHEET,
  safeTextValue,
  toExcelCell,
  type WorkbookModel,
} from '../../shared/consolidation/index.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { PERIOD } from '../support/builders.ts';
import { atsCode, belluno, consolidated, HOSTILE_STRINGS, REGION, type Rows } from './support.ts';

function sheet(model: WorkbookModel, name: string): SheetModel {
  const found = model.sheets.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
}

/** What a reader of the sheet would see, cell by cell (the quote prefix is not part of a value). */
const seen = (rows: readonly (readonly Cell[])[]): (string | number)[][] => rows.map((row) => row.map(displayedValue));

const column = (model: SheetModel, title: string): number => {
  const index = model.rows[0]?.findIndex((cell) => cell.kind === 'text' && cell.value === title) ?? -1;
  if (index < 0) throw new Error(`no column ${title}`);
  return index;
};

const at = (model: SheetModel, row: number, col: number): Cell => {
  const cell = model.rows[row]?.[col];
  if (!cell) throw new Error(`no cell ${row},${col}`);
  return cell;
};

describe('safe text', () => {
  it.each(HOSTILE_STRINGS)('writes %j as text that reads back unchanged', (hostile) => {
    const excel = toExcelCell({ kind: 'text', value: hostile });
    expect(excel.numberFormat).toBe('@');
    expect(typeof excel.value).toBe('string');
    if (/^[=+\-@\t\r']/.test(hostile)) expect(excel.value).toBe(`'${hostile}`);
    else expect(excel.value).toBe(hostile);
    expect(displayedValue({ kind: 'text', value: hostile })).toBe(hostile);
  });

  it('keeps numbers as numbers and real dates as date serials', () => {
    expect(toExcelCell({ kind: 'number', value: -2.5, format: '0.00' })).toEqual({ value: -2.5, numberFormat: '0.00' });
    expect(toExcelCell({ kind: 'date', value: '2025-12-31', format: 'dd/mm/yyyy' })).toEqual({
      value: 46022,
      numberFormat: 'dd/mm/yyyy',
    });
    expect(excelSerial('2026-01-20T12:00:00.000Z')).toBeCloseTo(46042.5, 6);
  });

  it('writes a date that is not a date as text, never guessed', () => {
    expect(toExcelCell({ kind: 'date', value: '=31/02/2025', format: 'dd/mm/yyyy' })).toEqual({
      value: "'=31/02/2025",
      numberFormat: '@',
    });
  });

  it('leaves ordinary text alone', () => {
    expect(safeTextValue('Comune di Belluno')).toBe('Comune di Belluno');
    expect(safeTextValue('a=b')).toBe('a=b');
  });
});

describe('consolidated workbook', () => {
  const submitted = [atsCode(0), atsCode(1)];
  const missing = atsCode(2);

  it('lists every ATS in "Stato invii", and the missing one stands out', () => {
    const response = consolidated(
      [
        { ats: submitted[0] ?? '' },
        {
          ats: submitted[1] ?? '',
          status: 'APPROVED',
          version: 3,
          findings: [
            {
              rule: 'T5.9',
              severity: 'warning',
              sheet: 'T5',
              row: 2,
              column: 'MODALITA',
              message: 'Prevalenza di trasferimenti.',
              ref: 'x',
            },
          ],
        },
      ],
      [missing],
    );
    const model = buildConsolidatedWorkbook(response);
    const status = sheet(model, STATUS_SHEET);
    expect(model.sheets[0]?.name).toBe(STATUS_SHEET);
    expect(seen(status.rows)).toEqual([
      [
        'COD_ATS',
        'Denominazione',
        'Registrato',
        'Inviato',
        'Versione',
        'Stato',
        'Errori',
        'Avvisi',
        'Rilievi regionali',
        'Impronta ricevuta (SHA-256)',
        'Ultimo aggiornamento (UTC)',
        'Versione modello',
      ],
      [
        submitted[0],
        `Ambito sintetico ${submitted[0]}`,
        'Sì',
        'Sì',
        1,
        'Inviata, in attesa di esame della Regione',
        0,
        0,
        0,
        `${'0'.repeat(63)}1`,
        46042.395833333336,
        LEPS_ATS.version,
      ],
      [
        submitted[1],
        `Ambito sintetico ${submitted[1]}`,
        'Sì',
        'Sì',
        3,
        'Approvata dalla Regione',
        0,
        1,
        0,
        `${'0'.repeat(63)}2`,
        46042.395833333336,
        LEPS_ATS.version,
      ],
      [missing, `Ambito sintetico ${missing}`, 'Sì', 'NO — mancante', '', 'Nessun invio', 0, 0, 0, '', '', ''],
    ]);
    expect(status.rows[3]?.every((cell) => cell.style === 'missing')).toBe(true);
    expect(status.rows[1]?.some((cell) => cell.style === 'missing')).toBe(false);
    expect(at(status, 2, 5).style).toBe('ok');
    expect(at(status, 2, 7).style).toBe('warning');

    // The ATS's own finding is marked on its cell: ATS 2's second T5 row is the 5th data row of the sheet.
    const t5 = sheet(model, 'T5_Spesa_LEPS');
    expect(t5.marks).toEqual([
      {
        row: 5,
        column: column(t5, 'MODALITA'),
        severity: 'warning',
        rule: 'T5.9',
        message: 'Prevalenza di trasferimenti.',
        ats: submitted[1],
      },
    ]);
    expect(displayedValue(at(t5, 5, 0))).toBe(submitted[1]);
  });

  it('puts the rows of every ATS in one sheet per template sheet, COD_ATS first, typed by column', () => {
    const model = buildConsolidatedWorkbook(consolidated(submitted.map((ats) => ({ ats }))));
    const names = model.sheets.map((candidate) => candidate.name);
    expect(names).toEqual([
      STATUS_SHEET,
      ...LEPS_ATS.sheets.map((definition) => definition.name),
      SUMMARY_SHEET,
      FINDINGS_SHEET,
    ]);
    for (const definition of LEPS_ATS.sheets) {
      const data = sheet(model, definition.name);
      expect(displayedValue(at(data, 0, 0))).toBe('COD_ATS');
      expect(data.rows[0]).toHaveLength(definition.columns.length);
      expect(data.rows.every((row) => row.length === definition.columns.length)).toBe(true);
    }
    const t2 = sheet(model, 'T2_ATS_Comuni');
    expect(t2.rows).toHaveLength(1 + 4 * 2);
    expect(
      seen(t2.rows)
        .slice(1)
        .map((row) => row[0]),
    ).toEqual([...Array(4).fill(submitted[0]), ...Array(4).fill(submitted[1])]);
    // Codes keep their leading zeros as text, populations are numbers, dates are dates.
    expect(at(t2, 1, column(t2, 'COD_ISTAT_COMUNE'))).toEqual({ kind: 'text', value: '025001' });
    expect(at(t2, 1, column(t2, 'POPOLAZIONE_RESIDENTE'))).toEqual({ kind: 'number', value: 4019, format: '#,##0' });
    expect(at(t2, 1, column(t2, 'DATA_RIF_POP'))).toEqual({ kind: 'date', value: '2025-01-01', format: 'dd/mm/yyyy' });
  });

  it('keeps hostile strings from a submission as text in every sheet that shows them', () => {
    const rows: Rows = belluno(atsCode(0));
    rows.T5 = rows.T5.map((row, index) => ({ ...row, NOTE: HOSTILE_STRINGS[index] ?? null }));
    rows.T1 = rows.T1.map((row) => ({ ...row, ENTE_GESTORE_DENOM: '=1+1', POPOLAZIONE_TOT: '-5' }));
    const model = buildConsolidatedWorkbook(
      consolidated([
        {
          ats: atsCode(0),
          rows,
          findings: [
            { rule: 'T5.9', severity: 'warning', sheet: 'T5', row: 1, column: 'NOTE', message: '@SUM(A1)', ref: '+x' },
          ],
        },
      ]),
    );
    const t5 = sheet(model, 'T5_Spesa_LEPS');
    const note = column(t5, 'NOTE');
    for (let index = 0; index < rows.T5.length; index++) {
      const cell = at(t5, index + 1, note);
      expect(cell.kind).toBe('text');
      expect(toExcelCell(cell).numberFormat).toBe('@');
      expect(displayedValue(cell)).toBe(HOSTILE_STRINGS[index]);
    }
    const t1 = sheet(model, 'T1_ATS_Anagrafica');
    // A number column that received text keeps the text, as text: never turned into -5 or a formula.
    expect(toExcelCell(at(t1, 1, column(t1, 'POPOLAZIONE_TOT')))).toEqual({ value: "'-5", numberFormat: '@' });
    expect(toExcelCell(at(t1, 1, column(t1, 'ENTE_GESTORE_DENOM')))).toEqual({ value: "'=1+1", numberFormat: '@' });
    const findings = sheet(model, FINDINGS_SHEET);
    expect(seen(findings.rows)[1]).toContain('@SUM(A1)');
    expect(toExcelCell(at(findings, 1, 8)).value).toBe("'@SUM(A1)");
  });

  it('marks the region-level findings of the real checks on their cells (T2.5)', () => {
    const first = belluno(atsCode(0));
    const second = belluno(atsCode(1));
    // ATS 2 keeps only Belluno (025006) and Agordo (025001): both are also in ATS 1.
    second.T2 = [second.T2[3], second.T2[0]].filter((row) => row !== undefined);
    const submissions = [first, second].map(
      (rows, index): Submission => ({
        template: LEPS_ATS.id,
        templateVersion: LEPS_ATS.version,
        ats: atsCode(index),
        period: PERIOD,
        sheets: rows,
      }),
    );
    const findings = validateRegion({
      region: REGION,
      period: PERIOD,
      submissions,
      registered: [],
      comuni: loadComuni(),
    });
    const t25 = findings.filter((finding) => finding.rule === 'T2.5');
    expect(t25.length).toBeGreaterThan(0);
    const model = buildConsolidatedWorkbook(
      consolidated(
        [
          { ats: atsCode(0), rows: first },
          { ats: atsCode(1), rows: second },
        ],
        [],
        findings,
      ),
    );
    const t2 = sheet(model, 'T2_ATS_Comuni');
    const codeColumn = column(t2, 'COD_ISTAT_COMUNE');
    for (const finding of t25) {
      const mark = t2.marks.find(
        (candidate) =>
          candidate.rule === 'T2.5' && candidate.ats === finding.ats && candidate.message === finding.message,
      );
      expect(mark, finding.message).toBeDefined();
      if (!mark) continue;
      // The marked cell is the comune's code on that ATS's row.
      expect(displayedValue(at(t2, mark.row, 0))).toBe(finding.ats);
      const column = t2.rows[0]?.findIndex((cell) => cell.kind === 'text' && cell.value === finding.column);
      expect(mark.column).toBe(column);
      expect(mark.column === codeColumn || finding.column !== 'COD_ISTAT_COMUNE').toBe(true);
    }
    const status = sheet(model, STATUS_SHEET);
    const regionalColumn = column(status, 'Rilievi regionali');
    expect(displayedValue(at(status, 2, regionalColumn))).toBe(
      t25.filter((finding) => finding.ats === atsCode(1)).length,
    );
    const listed = seen(sheet(model, FINDINGS_SHEET).rows).filter((row) => row[0] === 'Regionale');
    expect(listed.length).toBe(findings.length);
  });

  it('summarises each ATS: the contribution of the contract example, thresholds, fund shares and charts', () => {
    const model = buildConsolidatedWorkbook(consolidated([{ ats: atsCode(0) }], [atsCode(1)]));
    const summary = sheet(model, SUMMARY_SHEET);
    const row = seen(summary.rows)[1] ?? [];
    const get = (title: string): string | number => row[column(summary, title)] ?? '';
    expect(get('COD_ATS')).toBe(atsCode(0));
    expect(get('Popolazione')).toBe(42818);
    expect(get('FTE AS tempo indeterminato')).toBeCloseTo(9.5, 6);
    expect(get('FTE soglia 1:6.500')).toBeCloseTo(42818 / 6500, 9);
    expect(get('FTE soglia 1:5.000 (LEP)')).toBeCloseTo(42818 / 5000, 9);
    expect(get('FTE soglia 1:4.000 (obiettivo)')).toBeCloseTo(42818 / 4000, 9);
    expect(get('Abitanti per AS')).toBeCloseTo(42818 / 9.5, 6);
    expect(get('Livello raggiunto')).toBe('LEP raggiunto (1:5.000)');
    expect(get('Contributo AS calcolato (€)')).toBe(97776.62);
    expect(get('FP impegnato/assegnato')).toBeCloseTo((400000 + 440000) / (480000 + 440000), 9);
    expect(get('FP liquidato/impegnato')).toBeCloseTo((240000 + 400000) / (400000 + 440000), 9);
    // The ATS that never submitted is listed, marked, without figures.
    expect(seen(summary.rows)[2]?.slice(0, 3)).toEqual([atsCode(1), `Ambito sintetico ${atsCode(1)}`, 'Nessun invio']);
    expect(summary.rows[2]?.every((cell) => cell.style === 'missing')).toBe(true);

    // Spending by LEPS, and the charts that draw from the two tables.
    const leps = seen(summary.rows).filter(
      (cells) => typeof cells[0] === 'string' && String(cells[0]).startsWith('LEPS_'),
    );
    expect(leps.map((cells) => cells.slice(0, 4))).toEqual([
      ['LEPS_SSP', 'Servizio sociale professionale', 240000, 160000],
      ['LEPS_PIS', 'Pronto intervento sociale', 160000, 80000],
      ['LEPS_ADI', 'Servizi per i beneficiari ADI', 440000, 400000],
    ]);
    expect(summary.charts).toHaveLength(2);
    const [workers, spending] = summary.charts;
    expect(workers?.data).toEqual({ firstRow: 0, lastRow: 2, firstColumn: 3, lastColumn: 6 });
    expect(workers?.lineSeries).toEqual([1, 2, 3]);
    expect(spending?.type).toBe('barClustered');
    expect(seen(summary.rows)[spending?.data.firstRow ?? -1]?.slice(2, 4)).toEqual(['Impegnato (€)', 'Liquidato (€)']);
  });

  it('uses the figures the API computed when it sends them', () => {
    const model = buildConsolidatedWorkbook(
      consolidated([
        { ats: atsCode(0), summary: { population: 100000, fteAsTi: 25, contribution: 284615.38, rows: 1 } },
      ]),
    );
    const summary = sheet(model, SUMMARY_SHEET);
    const row = seen(summary.rows)[1] ?? [];
    expect(row[column(summary, 'Popolazione')]).toBe(100000);
    expect(row[column(summary, 'Contributo AS calcolato (€)')]).toBe(284615.38);
    expect(row[column(summary, 'Livello raggiunto')]).toBe('Obiettivo raggiunto (1:4.000)');
  });
});
