/**
 * The workbook layout now lives in the workbook core (shared/workbook), the one definition both channels draw and read
 * with; this module re-exports it for the command line's modules that still import it from here.
 */
export {
  columnIndexOf,
  columnLetter,
  columnNumber,
  computedFormula,
  dataColumnRange,
  excelRowOf,
  FIRST_DATA_ROW,
  FORMULA_ROWS,
  HEADER_ROW,
  INDICATOR_UNITS_HEADER,
  indicatorUnitsColumn,
  LISTS_SHEET,
  listColumns,
  listRangeOf,
  MARKER_NAME,
  MARKER_SHEET,
  MAX_DATA_ROWS,
  preparedRows,
  quoteSheet,
  sheetById,
  templateFileName,
} from '../../shared/workbook/index.ts';
