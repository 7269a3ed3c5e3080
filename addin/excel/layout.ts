import { safeTextValue } from '../../shared/consolidation/cells.ts';
import { columnLetter as letterOfIndex } from '../../shared/consolidation/model.ts';
import type { SheetDef } from '../../shared/template/types.ts';
import { quoteSheet } from '../../shared/workbook/layout.ts';

/**
 * The add-in's view of the workbook layout: everything both channels share (sheets, rows, lists, marker, formulas,
 * protection, colours) is the workbook core's (shared/workbook), re-exported here; what only the add-in needs is the
 * 0-based column arithmetic of Office.js and the quote prefix of `Range.values`.
 */

export {
  CHECKS_SHEET,
  COLORS,
  computedFormula,
  dataArea,
  FIRST_DATA_ROW,
  HEADER_ROW,
  headerRange,
  indicatorUnitsColumn,
  LISTS_SHEET,
  listColumns,
  listRangeOf,
  MARK_ROWS,
  MARKER_ADDRESS,
  MARKER_SHEET,
  maskSheetName,
  overlayRules,
  preparedRows,
  quoteSheet,
  RECEIPT_SHEET,
  SEVERITY_CODE,
  SHEET_PROTECTION,
  sheetById,
} from '../../shared/workbook/index.ts';

/** 0-based column index to letters: Office.js reports 0-based indexes. */
export const columnLetter = letterOfIndex;

/** 0-based index of a column in the template layout; -1 when the sheet has no such column. */
export function columnIndex(sheet: SheetDef, key: string): number {
  return sheet.columns.findIndex((column) => column.key === key);
}

export function lastColumnLetter(sheet: SheetDef): string {
  return columnLetter(sheet.columns.length - 1);
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
