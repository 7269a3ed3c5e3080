import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XlsxFileError } from '../../cli/xlsx/guard.ts';
import { streamWorkbook } from '../../cli/xlsx/stream-read.ts';
import { dateToExcelSerial, type GridValue, type Marker } from '../../shared/workbook/grid.ts';
import { validSubmission } from '../support/builders.ts';
import { type LibreOffice, startLibreOffice } from './support/libreoffice.ts';
import { filledWorkbook, type TempDir, tempDir, toBuffer } from './support/workbooks.ts';

/**
 * The streaming adapter (cli/xlsx/stream-read.ts) against exceljs's full loader on the same files: every worksheet's
 * cells, as the grid contract wants them, must be the same values — shared and rich text, numbers, dates as serials,
 * booleans, formulas as their cached results, error cells, merged cells (value on the top-left cell only) — for
 * files written by exceljs and the same files saved again by LibreOffice.
 */

type Grid = Map<string, Map<number, GridValue[]>>;

/** Trailing empty cells cut, empty cells as null, so the two readers' rows compare as values. */
function trimmed(values: readonly GridValue[]): GridValue[] {
  const row = values.map((value) => (value === undefined || value === '' ? null : value));
  while (row.length > 0 && row[row.length - 1] === null) row.pop();
  return row;
}

/** One exceljs cell as Office.js `Range.values` would give it. */
function gridValueOf(cell: ExcelJS.Cell): GridValue {
  if (cell.type === ExcelJS.ValueType.Merge) return null;
  const value: ExcelJS.CellValue =
    cell.type === ExcelJS.ValueType.Formula ? (cell.result as ExcelJS.CellValue) : cell.value;
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return dateToExcelSerial(value);
  if (typeof value !== 'object') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('error' in value) return String(value.error);
  if ('text' in value && typeof value.text === 'string') return value.text;
  throw new Error(`unexpected exceljs value ${JSON.stringify(value)}`);
}

async function loadedGrid(buffer: Buffer): Promise<Grid> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  const grid: Grid = new Map();
  for (const sheet of workbook.worksheets) {
    const rows = new Map<number, GridValue[]>();
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const values: GridValue[] = [];
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        values[column - 1] = gridValueOf(cell);
      });
      const cut = trimmed(Array.from(values));
      if (cut.length > 0) rows.set(number, cut);
    });
    grid.set(sheet.name, rows);
  }
  return grid;
}

async function streamedGrid(buffer: Buffer): Promise<{ grid: Grid; marker: Marker | null; merges: string[] }> {
  const grid: Grid = new Map();
  const merges: string[] = [];
  const target = await streamWorkbook(buffer, (workbook) => ({
    marker: workbook.marker,
    sheet(name, meta) {
      const rows = new Map<number, GridValue[]>();
      grid.set(name, rows);
      for (const range of meta.merges ?? []) merges.push(`${name}!${range}`);
      let last = 0;
      return {
        row(number, values, firstColumn = 1) {
          expect(number).toBeGreaterThan(last);
          expect(firstColumn).toBe(1);
          last = number;
          const cut = trimmed(values);
          if (cut.length > 0) rows.set(number, cut);
        },
        end() {},
      };
    },
  }));
  return { grid, marker: target.marker, merges };
}

/** A workbook with every kind of cell the reader must turn into a grid value. */
async function everyKindOfCell(): Promise<ExcelJS.Workbook> {
  const workbook = await filledWorkbook(validSubmission());
  const t1 = workbook.getWorksheet('T1_ATS_Anagrafica');
  const t2 = workbook.getWorksheet('T2_ATS_Comuni');
  const t4 = workbook.getWorksheet('T4_Quadro_Fondi');
  if (!t1 || !t2 || !t4) throw new Error('template sheets missing');
  t1.getCell('B2').value = { richText: [{ text: 'Ambito ' }, { font: { bold: true }, text: 'Belluno & <Feltre>' }] };
  t1.getCell('C2').value = '  spazi intorno  ';
  t1.getCell('D2').value = 'a capo\r\nriga due _x e "virgolette" \u00e8 \u{1F600}';
  t2.getCell('B2').value = 25001;
  t2.getCell('F3').value = { formula: '1/0', result: { error: '#DIV/0!' } };
  t2.getCell('F4').value = { formula: '"testo"', result: 'testo' };
  t2.getCell('F5').value = { formula: '1=1', result: true };
  t2.getCell('F6').value = { formula: 'DATE(2025,1,1)', result: new Date('2025-01-01T00:00:00Z') };
  t2.getCell('F7').value = { formula: '0', result: 0 };
  // Beyond the template's columns, so no date format turns the numbers into dates on exceljs's side.
  t2.getCell('L3').value = false;
  t2.getCell('L4').value = { error: '#N/A' };
  t2.getCell('L5').value = new Date('2024-02-29T12:00:00Z');
  t2.getCell('L6').value = -0.000123;
  t2.getCell('L7').value = 1e21;
  t2.getCell('M3').value = { text: 'sito', hyperlink: 'https://example.org' };
  t4.mergeCells('C3:E3');
  t4.getCell('AA2').value = 'oltre il modello';
  return workbook;
}

let dir: TempDir;
let lo: LibreOffice;
const files = new Map<string, Buffer>();

beforeAll(async () => {
  dir = tempDir('rendiconta-stream-');
  files.set('exceljs: every kind of cell', await toBuffer(await everyKindOfCell()));
  const date1904 = await filledWorkbook(validSubmission());
  date1904.properties.date1904 = true;
  files.set('exceljs: 1904 date system', await toBuffer(date1904));
  const renamed = await everyKindOfCell();
  const marker = renamed.getWorksheet('_Modello');
  if (!marker) throw new Error('marker sheet missing');
  // As Excel does on a rename, the defined name follows the sheet.
  marker.name = 'Impostazioni';
  renamed.definedNames.remove(`'_Modello'!$A$1`, 'RENDICONTA_MODELLO');
  renamed.definedNames.remove(`'_Modello'!$B$1`, 'RENDICONTA_MODELLO');
  renamed.definedNames.add(`'Impostazioni'!$A$1:$B$1`, 'RENDICONTA_MODELLO');
  files.set('exceljs: renamed marker sheet, found through its defined name', await toBuffer(renamed));
  lo = startLibreOffice();
  const inputs = [dir.file('every-kind.xlsx', files.get('exceljs: every kind of cell') ?? Buffer.alloc(0))];
  const [saved] = await lo.convert(inputs);
  if (!saved) throw new Error('LibreOffice did not convert');
  files.set('LibreOffice: every kind of cell, saved again', readFileSync(saved));
}, 180_000);

afterAll(() => {
  lo?.dispose();
  dir?.dispose();
});

describe('the streaming adapter gives the grid exceljs’s full loader sees', () => {
  it.each([
    'exceljs: every kind of cell',
    'exceljs: 1904 date system',
    'exceljs: renamed marker sheet, found through its defined name',
    'LibreOffice: every kind of cell, saved again',
  ])('%s', async (name) => {
    const buffer = files.get(name);
    if (!buffer) throw new Error(`no file ${name}`);
    const streamed = await streamedGrid(buffer);
    const loaded = await loadedGrid(buffer);
    expect([...streamed.grid.keys()]).toEqual([...loaded.keys()]);
    for (const [sheet, rows] of loaded) expect(streamed.grid.get(sheet), sheet).toEqual(rows);
    expect(streamed.marker).toEqual({ id: 'LEPS-ATS', version: expect.any(String) });
  });

  it('names the merged areas, and reads rich text, errors and cached results as the contract says', async () => {
    const { grid, merges } = await streamedGrid(files.get('exceljs: every kind of cell') ?? Buffer.alloc(0));
    expect(merges).toEqual(['T4_Quadro_Fondi!C3:E3']);
    const t1 = grid.get('T1_ATS_Anagrafica')?.get(2);
    expect(t1?.slice(1, 4)).toEqual([
      'Ambito Belluno & <Feltre>',
      '  spazi intorno  ',
      // A literal CR LF in the XML reads as LF (XML 1.0 end-of-line handling), as in exceljs and Excel.
      'a capo\nriga due _x e "virgolette" \u00e8 \u{1F600}',
    ]);
    const t2 = grid.get('T2_ATS_Comuni');
    expect(t2?.get(3)?.[5]).toBe('#DIV/0!');
    expect(t2?.get(3)?.slice(11, 13)).toEqual([false, 'sito']);
    expect([t2?.get(4)?.[5], t2?.get(4)?.[11]]).toEqual(['testo', '#N/A']);
    expect([t2?.get(5)?.[5], t2?.get(5)?.[11]]).toEqual([true, dateToExcelSerial(new Date('2024-02-29T12:00:00Z'))]);
    expect([t2?.get(6)?.[11], t2?.get(7)?.[11]]).toEqual([-0.000123, 1e21]);
    expect(t2?.get(6)?.[5]).toBe(45658);
    expect(t2?.get(7)?.[5]).toBe(0);
  });

  it('refuses a worksheet whose XML is cut short, and a DOCTYPE, in Italian', async () => {
    const { default: JSZip } = await import('jszip');
    const buffer = files.get('exceljs: every kind of cell') ?? Buffer.alloc(0);
    for (const [part, change] of [
      ['xl/worksheets/sheet2.xml', (xml: string) => xml.slice(0, Math.floor(xml.length / 2))],
      ['xl/worksheets/sheet2.xml', (xml: string) => xml.replace('?>', '?><!DOCTYPE x [<!ENTITY a "b">]>')],
    ] as const) {
      const zip = await JSZip.loadAsync(buffer);
      const xml = await zip.file(part)?.async('string');
      if (xml === undefined) throw new Error(`no ${part}`);
      zip.file(part, change(xml));
      const broken = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      await expect(streamedGrid(broken)).rejects.toThrow(XlsxFileError);
      await expect(streamedGrid(broken)).rejects.toThrow(/non è leggibile/);
    }
  });
});
