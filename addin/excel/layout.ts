import {
  columnIndexOf,
  computedFormula,
  FIRST_DATA_ROW,
  HEADER_ROW,
  indicatorUnitsColumn,
  LISTS_SHEET,
  listColumns,
  listRangeOf,
  MARKER_SHEET,
  preparedRows,
  quoteSheet,
  sheetById,
} from '../../cli/xlsx/layout.ts';
import { safeTextValue } from '../../shared/consolidation/cells.ts';
import { columnLetter } from '../../shared/consolidation/model.ts';
import type { SheetDef, SheetId } from '../../shared/template/types.ts';

/**
 * The add-in's view of the workbook layout. Everything a .xlsx file shares (sheet names, header row, first data row,
 * code-list sheet, marker, formulas) comes from cli/xlsx/layout.ts, so a workbook drawn by the add-in and one written
 * by the command line are the same; what only the add-in draws (the severity overlay, Controlli, Ricevuta) is here.
 */

export {
  /** 0-based column index to letters: Office.js reports 0-based indexes. */
  columnLetter,
  computedFormula,
  FIRST_DATA_ROW,
  HEADER_ROW,
  indicatorUnitsColumn,
  LISTS_SHEET,
  listColumns,
  listRangeOf,
  MARKER_SHEET,
  preparedRows,
  quoteSheet,
  sheetById,
};

export const MARKER_ADDRESS = 'A1:B1';
export const CHECKS_SHEET = 'Controlli';
export const RECEIPT_SHEET = 'Ricevuta';

/** One very hidden sheet per data sheet holds the severity of each marked cell (2 error, 1 warning). */
export function maskSheetName(sheet: SheetId): string {
  return `LEPS_Segni_${sheet}`;
}

export const SEVERITY_CODE = { error: 2, warning: 1 } as const;

/** Fluent-like tints: inputs white, computed cells neutral grey, errors red, warnings yellow. */
export const COLORS = {
  header: '#DEECF9',
  headerFont: '#004578',
  input: '#FFFFFF',
  computed: '#F3F2F1',
  error: '#FDE7E9',
  warning: '#FFF4CE',
} as const;

export function columnIndex(sheet: SheetDef, key: string): number {
  return sheet.columns.findIndex((column) => column.key === key);
}

export function columnLetterOf(sheet: SheetDef, key: string): string {
  return columnLetter(columnIndexOf(sheet, key) - 1);
}

export function lastColumnLetter(sheet: SheetDef): string {
  return columnLetter(sheet.columns.length - 1);
}

export function headerRange(sheet: SheetDef): string {
  return `A${HEADER_ROW}:${lastColumnLetter(sheet)}${HEADER_ROW}`;
}

/** The data area prepared by the template for one column, e.g. C2:C501. */
export function columnDataRange(sheet: SheetDef, key: string, rows = preparedRows(sheet)): string {
  const letter = columnLetterOf(sheet, key);
  return `${letter}${FIRST_DATA_ROW}:${letter}${FIRST_DATA_ROW + rows - 1}`;
}

export function dataArea(sheet: SheetDef, rows = preparedRows(sheet)): string {
  return `A${FIRST_DATA_ROW}:${lastColumnLetter(sheet)}${FIRST_DATA_ROW + rows - 1}`;
}

export interface CellRef {
  readonly sheetName: string;
  readonly address: string;
}

/** "'T3_Personale_SS'!H4" for links. */
export function qualified(ref: CellRef): string {
  return `${quoteSheet(ref.sheetName)}!${ref.address}`;
}

/**
 * Text that Excel would read as a formula is prefixed with an apostrophe, which Excel keeps out of the cell's value:
 * data written by the add-in never becomes a formula. One rule for the whole product (shared/consolidation/cells.ts),
 * which also keeps a user's own leading apostrophe.
 */
export const safeText = safeTextValue;
