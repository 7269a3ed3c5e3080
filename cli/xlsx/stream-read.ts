import {
  type GridValue,
  type Marker,
  type SheetMeta,
  type SheetSink,
  WorkbookReadError,
} from '../../shared/workbook/grid.ts';
import { MARKER_NAME, MARKER_SHEET } from '../../shared/workbook/index.ts';
import { inspectXlsx, XLSX_LIMITS, XlsxFileError, type XlsxLimits } from './guard.ts';
import { type Book, readBook } from './stream-book.ts';
import { openPackage, type XlsxPackage } from './stream-package.ts';
import { sheetRowsHandler } from './stream-sheet.ts';

/**
 * The streaming .xlsx adapter: after the zip guard, moves a workbook's cells into the grid contract
 * (shared/workbook/grid.ts) sheet by sheet and row by row, so 100,000 rows are read without holding the workbook as
 * objects. Workbook parts come first (sheet names, shared strings, styles), then the template marker, then every
 * worksheet in workbook order, each offered to `GridTarget.sheet`; a sheet it declines is never inflated.
 */

/** What the adapter feeds: the workbook core's reader, or anything that wants the grids. */
export interface GridTarget {
  /** A worksheet's sink, or null to skip the sheet's rows entirely. */
  sheet(name: string, meta: SheetMeta): SheetSink | null;
}

export interface GridWorkbook {
  /** Every worksheet's name in workbook order (hidden ones included; chart sheets too, with no rows). */
  readonly sheetNames: readonly string[];
  /** The template marker (`_Modello!A1:B1`, or where the defined name RENDICONTA_MODELLO points), null when absent. */
  readonly marker: Marker | null;
}

export interface StreamOptions {
  readonly limits?: XlsxLimits;
}

const text = (value: GridValue): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value.trim() : String(value);

const columnNumber = (letters: string): number => {
  let column = 0;
  for (const char of letters) column = column * 26 + char.charCodeAt(0) - 64;
  return column;
};

/**
 * Where the marker sits: the `_Modello` sheet's A1:B1, or the cells the defined name points at — one range
 * (`'S'!$A$1:$B$1`) or a list of cells (`'S'!$A$1,'S'!$B$1`, as exceljs saves it) on one row of one sheet.
 */
function markerPlace(book: Book): { sheet: string; row: number; idColumn: number; versionColumn: number } | null {
  if (book.sheets.some((sheet) => sheet.name === MARKER_SHEET)) {
    return { sheet: MARKER_SHEET, row: 1, idColumn: 1, versionColumn: 2 };
  }
  const formula = book.definedNames.get(MARKER_NAME)?.trim() ?? '';
  const reference = /('(?:[^']|'')+'|[^'!,]+)!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?/g;
  const cells: Array<{ sheet: string; row: number; column: number }> = [];
  for (const match of formula.matchAll(reference)) {
    const sheet = (match[1] ?? '').replace(/^'|'$/g, '').replace(/''/g, "'");
    const first = columnNumber(match[2] ?? '');
    const last = match[4] ? columnNumber(match[4]) : first;
    for (let column = first; column <= Math.min(last, first + 1); column++) {
      cells.push({ sheet, row: Number(match[3]), column });
    }
  }
  const [id, version] = cells;
  if (!id) return null;
  const sameRow = version && version.sheet === id.sheet && version.row === id.row;
  return { sheet: id.sheet, row: id.row, idColumn: id.column, versionColumn: sameRow ? version.column : 0 };
}

async function readMarker(pkg: XlsxPackage, book: Book): Promise<Marker | null> {
  const place = markerPlace(book);
  const part = place ? book.sheets.find((sheet) => sheet.name === place.sheet)?.part : null;
  if (!place || !part) return null;
  let found: Marker | null = null;
  await pkg.scan(
    part,
    sheetRowsHandler(book, (rowNumber, values) => {
      if (rowNumber !== place.row) return;
      const id = text(values[place.idColumn - 1]);
      const version = place.versionColumn > 0 ? text(values[place.versionColumn - 1]) : '';
      found = id ? { id, version } : null;
    }),
  );
  return found;
}

/**
 * Streams a workbook (its bytes) into grids: guard, workbook parts, marker; then `start` receives the sheet names and
 * the marker and returns the target that receives every worksheet's rows. Returns what `start` returned.
 */
export async function streamWorkbook<T extends GridTarget>(
  buffer: Buffer,
  start: (workbook: GridWorkbook) => T,
  options: StreamOptions = {},
): Promise<T> {
  const inspection = await inspectXlsx(buffer, options.limits ?? XLSX_LIMITS);
  const pkg = await openPackage(buffer);
  try {
    const book = await readBook(pkg);
    const marker = await readMarker(pkg, book);
    const target = start({ sheetNames: book.sheets.map((sheet) => sheet.name), marker });
    for (const sheet of book.sheets) {
      const merges = sheet.part ? (inspection.worksheets.get(sheet.part.toLowerCase())?.merges ?? []) : [];
      const sink = target.sheet(sheet.name, merges.length > 0 ? { merges } : {});
      if (!sink) continue;
      if (sheet.part)
        await pkg.scan(
          sheet.part,
          sheetRowsHandler(book, (row, values) => sink.row(row, values, 1)),
        );
      sink.end();
    }
    return target;
  } catch (error) {
    // The target's own refusals (the core's row limit, …) and ours pass as they are; anything else is a broken part.
    if (error instanceof XlsxFileError || error instanceof WorkbookReadError) throw error;
    throw new XlsxFileError(
      'File non valido: la cartella di lavoro .xlsx non è leggibile (struttura interna danneggiata).',
    );
  } finally {
    pkg.close();
  }
}
