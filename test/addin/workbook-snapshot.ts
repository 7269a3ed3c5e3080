import type { ExcelRun, HostContext } from '../../addin/excel/host.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import type { FakeCell, FakeSheet, FakeWorkbook } from './fake-excel.ts';

/**
 * Test helpers for re-running the add-in on a workbook it already wrote: a comparable picture of a fake workbook,
 * what the user typed in it, and an Excel.run that stops a draw part way as Excel does when a batch fails.
 */

const sortedEntries = <K extends string | number, V>(map: ReadonlyMap<K, V>): Array<[K, V]> =>
  [...map.entries()].sort(([a], [b]) => String(a).localeCompare(String(b)));

/**
 * A cell's own formats without those it shares with its column: Excel formats a whole column's cells, existing or
 * not, and the fake stores that on the column plus the cells that existed, so the same look compares equal.
 */
function effective(sheet: FakeSheet, cellKey: string, cell: FakeCell): Partial<FakeCell> {
  const column = sheet.columnFormats.get(Number(cellKey.split(',')[1]));
  const own: Partial<FakeCell> = { ...cell };
  for (const format of ['locked', 'numberFormat', 'fill'] as const) {
    if (column && own[format] === column[format]) delete own[format];
  }
  return own;
}

/** Everything the fake keeps per sheet (cells, formats, lists, overlays, protection, notes) and the defined names. */
export function workbookSnapshot(book: FakeWorkbook): unknown {
  const sheets = [...book.sheets]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((sheet) => ({
      name: sheet.name,
      visibility: sheet.visibility,
      protected: sheet.protected,
      protectionOptions: sheet.protectionOptions,
      password: sheet.password,
      frozenRows: sheet.frozenRows,
      columnFormats: sortedEntries(sheet.columnFormats),
      columnWidths: sortedEntries(sheet.columnWidths),
      cells: sortedEntries(sheet.cells)
        .map(([cellKey, cell]) => [cellKey, effective(sheet, cellKey, cell)] as const)
        .filter(([, cell]) => Object.keys(cell).some((property) => property !== 'value') || cell.value !== ''),
      conditionalFormats: sheet.conditionalFormats,
      validations: [...sheet.validations].sort((a, b) => a.address.localeCompare(b.address)),
      notes: sortedEntries(sheet.notes),
    }));
  return JSON.parse(JSON.stringify({ sheets, names: sortedEntries(book.names), active: book.activeSheet }));
}

/** The values of every cell below the header of the data sheets' input columns: what the user typed. */
export function typedData(book: FakeWorkbook): Record<string, Array<[string, unknown]>> {
  const typed: Record<string, Array<[string, unknown]>> = {};
  for (const sheet of LEPS_ATS.sheets) {
    const state = book.sheet(sheet.name);
    if (!state) continue;
    // The fake's cell keys are 0-based "row,column": row 0 is the header.
    const inputColumns = new Set(sheet.columns.flatMap((column, index) => (column.computed ? [] : [index])));
    typed[sheet.name] = [...state.cells.entries()]
      .filter(([cellKey]) => {
        const [row, column] = cellKey.split(',').map(Number);
        return (row ?? 0) > 0 && inputColumns.has(column ?? -1);
      })
      .map(([cellKey, cell]): [string, unknown] => [cellKey, cell.value])
      .sort(([a], [b]) => a.localeCompare(b));
  }
  return typed;
}

/**
 * An Excel.run on the fake that applies only the first `fraction` of the operations of sync number `failingSync`
 * (counted over every run) and then fails, as Excel keeps what a failed batch did before the failing operation.
 */
export function runFailingPartWay(book: FakeWorkbook, failingSync: number, fraction: number): ExcelRun {
  let syncs = 0;
  return (batch) =>
    book.run((context: HostContext) => {
      const fake = context as HostContext & { queue: unknown[] };
      const sync = fake.sync.bind(fake);
      fake.sync = async () => {
        syncs++;
        if (syncs !== failingSync) return sync();
        fake.queue.splice(Math.floor(fake.queue.length * fraction));
        await sync();
        throw new Error('Connessione con Excel interrotta.');
      };
      return batch(context);
    });
}
