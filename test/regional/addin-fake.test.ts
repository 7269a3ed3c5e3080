import { describe, expect, it } from 'vitest';
import { loadArticulation, registerArticulation } from '../../addin/regional/actions.ts';
import type { RegionalApi } from '../../addin/regional/api.ts';
import type { RegionalRun } from '../../addin/regional/host.ts';
import { renderWorkbook } from '../../addin/regional/render.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import {
  buildConsolidatedWorkbook,
  FINDINGS_SHEET,
  STATUS_SHEET,
  type WorkbookModel,
} from '../../shared/consolidation/index.ts';
import type { RegionAtsBody } from '../../shared/contract/api.ts';
import { FakeWorkbook } from '../addin/fake-excel.ts';
import { atsCode, belluno, consolidated, demoRegion, HOSTILE_STRINGS } from './support.ts';

/**
 * The same rendering against the add-in's own fake host (test/addin/fake-excel.ts), which implements the task pane's
 * Excel surface: values, formats, fills, notes, freeze panes and Excel's proxy rules. It has no charts and keys its
 * sheet proxies by name, so the model is drawn here without charts into a workbook that has none of its sheets yet;
 * test/regional/fake-host.ts covers charts and the replacement of an earlier pull.
 */

/** The add-in's fake implements a subset of the regional surface; only that subset is exercised here. */
const regionalRun = (book: FakeWorkbook): RegionalRun => book.run as unknown as RegionalRun;

const withoutCharts = (model: WorkbookModel): WorkbookModel => ({
  ...model,
  sheets: model.sheets.map((sheet) => ({ ...sheet, charts: [] })),
});

describe("the consolidated workbook on the add-in's fake Excel host", () => {
  it('writes hostile strings as text that reads back unchanged, and numbers as numbers', async () => {
    const rows = belluno(atsCode(0));
    rows.T5 = rows.T5.map((row, index) => ({ ...row, NOTE: HOSTILE_STRINGS[index] ?? null }));
    rows.T6 = rows.T6.map((row, index) => ({ ...row, NOTE: HOSTILE_STRINGS[index + 3] ?? null }));
    rows.T2 = rows.T2.map((row) => ({ ...row, DENOMINAZIONE_COMUNE: '=WEBSERVICE("http://x")' }));
    const response = consolidated(
      [
        {
          ats: atsCode(0),
          rows,
          findings: [
            { rule: 'T5.9', severity: 'warning', sheet: 'T5', row: 1, column: 'NOTE', message: '=1+1', ref: '-x' },
          ],
        },
      ],
      [atsCode(1)],
    );
    const book = new FakeWorkbook({ notes: true });
    book.addSheet('Foglio1');
    const report = await renderWorkbook(regionalRun(book), withoutCharts(buildConsolidatedWorkbook(response)), {
      notes: true,
    });
    expect(book.syncCount).toBe(report.syncs);
    expect(book.syncCount).toBe(2);

    const column = (sheet: string, header: string): string => {
      const cells = book.sheet(sheet)?.cells;
      for (let index = 0; index < 60; index++) {
        if (cells?.get(`0,${index}`)?.value === header) return String.fromCharCode(65 + index);
      }
      throw new Error(`no ${header} on ${sheet}`);
    };
    const note = column('T5_Spesa_LEPS', 'NOTE');
    expect([2, 3, 4].map((row) => book.value('T5_Spesa_LEPS', `${note}${row}`))).toEqual(HOSTILE_STRINGS.slice(0, 3));
    const t6Note = column('T6_Indicatori_LEPS', 'NOTE');
    expect([2, 3, 4, 5, 6, 7].map((row) => book.value('T6_Indicatori_LEPS', `${t6Note}${row}`))).toEqual(
      HOSTILE_STRINGS.slice(3, 9),
    );
    expect(book.value('T2_ATS_Comuni', 'C2')).toBe('=WEBSERVICE("http://x")');
    expect(book.cell('T2_ATS_Comuni', 'C2')?.numberFormat).toBe('@');
    expect(book.value('T2_ATS_Comuni', 'F2')).toBe(4019);
    expect(book.cell('T2_ATS_Comuni', 'F2')?.numberFormat).toBe('#,##0');
    for (const sheet of book.sheets) {
      for (const cell of sheet.cells.values()) expect(cell.formula).toBeUndefined();
    }
    // The finding is marked like the ATS's own: fill and note on the cell, and listed with its address.
    expect(book.cell('T5_Spesa_LEPS', `${note}2`)?.fill).toBe('#FFF4CE');
    expect(book.sheet('T5_Spesa_LEPS')?.notes.get(`${note}2`)).toBe('T5.9: =1+1');
    expect(book.value(FINDINGS_SHEET, 'I2')).toBe('=1+1');
    expect(book.value(FINDINGS_SHEET, 'F2')).toBe(`T5_Spesa_LEPS!${note}2`);
    expect(book.value(STATUS_SHEET, 'D3')).toBe('NO — mancante');
    expect(book.cell(STATUS_SHEET, 'D3')?.fill).toBe('#F8CBAD');
    expect(book.activeSheet).toBe(STATUS_SHEET);
  });

  it('pulls 100 ATS in at most three syncs', async () => {
    const book = new FakeWorkbook({ notes: false });
    book.addSheet('Foglio1');
    const report = await renderWorkbook(regionalRun(book), withoutCharts(buildConsolidatedWorkbook(demoRegion(100))));
    expect(book.syncCount).toBe(report.syncs);
    expect(book.syncCount).toBeLessThanOrEqual(3);
  });
});

describe("the articulation on the add-in's fake Excel host", () => {
  it('writes the registry as text and registers what the reviewer typed, refusing the wrong rows', async () => {
    const puts: Array<{ ats: string; body: RegionAtsBody }> = [];
    const api: RegionalApi = {
      consolidated: async () => ({ ok: false, status: 500, message: null }),
      review: async () => ({ ok: false, status: 500, message: null }),
      listAts: async () => ({
        ok: true,
        status: 200,
        body: [{ ats: 'ATS-05-001', name: '@Ambito', comuni: ['025006'], enteGestoreCf: '00100060250' }],
      }),
      putAts: async (_region, ats, body) => {
        puts.push({ ats, body });
        return { ok: true, status: 200, body: {} };
      },
    };
    const comuni = loadComuni();
    const book = new FakeWorkbook({ notes: false });
    book.addSheet('Foglio1');
    const deps = { api, excel: regionalRun(book), comuni: async () => comuni };
    expect((await loadArticulation(deps, '05')).ok).toBe(true);
    expect(book.value('Articolazione', 'B2')).toBe('@Ambito');
    expect(book.cell('Articolazione', 'B2')?.numberFormat).toBe('@');
    expect(book.value('Articolazione', 'C2')).toBe('025006');
    // Typed by the reviewer: a code Excel turned into a number, and a comune of Piedmont.
    book.setValues('Articolazione', 'A3', [
      ['ATS-05-001', '@Ambito', 25001, 'Agordo', ''],
      ['ATS-05-002', 'Ambito di Torino', '001272', '', ''],
    ]);
    const result = await registerArticulation(deps, '05');
    expect(result.message).toBe('1 Ambito registrato, 1 Ambito non inviato per errori nel foglio.');
    expect(puts).toEqual([
      { ats: 'ATS-05-001', body: { name: '@Ambito', comuni: ['025006', '025001'], enteGestoreCf: '00100060250' } },
    ]);
    expect(book.cell('Articolazione', 'A4')?.fill).toBe('#FDE7E9');
  });
});
