import { columnLetter as letterOfIndex } from '../consolidation/model.ts';
import type { CodeListId, ColumnDef, SheetDef, SheetId, TemplateDef } from '../template/types.ts';

/**
 * The layout of a LEPS workbook, the same whichever channel draws or reads it (the add-in through Office.js, the
 * command line through exceljs), as pure data and functions:
 *
 * - one sheet per template sheet, named `SheetDef.name`; row 1 holds the Italian headers in definition order, data
 *   starts on row 2 (T1 has a single data row);
 * - a hidden sheet "Liste" with one column per code list (row 1 = list id, codes from row 2) and, after them, the unit
 *   of each indicator aligned with the INDICATORE column (for the T6 UNITA formula);
 * - a very hidden sheet "_Modello" with A1 = template id and B1 = version, also reachable through the defined name
 *   `RENDICONTA_MODELLO`, so readers recognise their own workbooks and older versions;
 * - input columns are unlocked as whole columns (an accountant types as many rows as needed), computed columns hold
 *   formulas on the first FORMULA_ROWS data rows and stay locked; every data sheet is protected with SHEET_PROTECTION.
 */

export const HEADER_ROW = 1;
export const FIRST_DATA_ROW = 2;
/** Data rows pre-filled with the formulas of computed columns on each multi-row sheet. */
export const FORMULA_ROWS = 500;
/** Rows per sheet a reader accepts, and the extent of the cross-sheet sums (the JSON contract allows 200,000). */
export const MAX_DATA_ROWS = 100_000;
export const LISTS_SHEET = 'Liste';
export const MARKER_SHEET = '_Modello';
export const MARKER_ADDRESS = 'A1:B1';
export const MARKER_NAME = 'RENDICONTA_MODELLO';
/** The name of the column holding indicator units on the Liste sheet. */
export const INDICATOR_UNITS_HEADER = 'UNITA_INDICATORE';
/** The sheets the add-in adds after a validation; readers skip them. */
export const CHECKS_SHEET = 'Controlli';
export const RECEIPT_SHEET = 'Ricevuta';
const MASK_PREFIX = 'LEPS_Segni_';

/** One very hidden sheet per data sheet holds the severity of each marked cell (2 error, 1 warning). */
export function maskSheetName(sheet: SheetId): string {
  return `${MASK_PREFIX}${sheet}`;
}

/** The code a mark leaves on its twin cell of the mask sheet. */
export const SEVERITY_CODE = { error: 2, warning: 1 } as const;

/** Rows covered by the severity overlay: far beyond any ATS, cheap for the spreadsheet (one rule per range). */
export const MARK_ROWS = 200_000;

/**
 * The severity overlay of a data sheet: two conditional formats over its data area that colour a cell when its twin on
 * the mask sheet holds an error or warning code, so marks never touch the user's own formats.
 */
export function overlayRules(sheet: SheetDef): {
  readonly area: string;
  readonly rules: ReadonlyArray<{ readonly formula: string; readonly fill: string }>;
} {
  const mask = maskSheetName(sheet.id);
  return {
    area: dataArea(sheet, MARK_ROWS),
    rules: [
      { formula: `${mask}!A${FIRST_DATA_ROW}=${SEVERITY_CODE.error}`, fill: COLORS.error },
      { formula: `${mask}!A${FIRST_DATA_ROW}=${SEVERITY_CODE.warning}`, fill: COLORS.warning },
    ],
  };
}

/** Sheets of ours that hold no data: the reader neither reads them nor calls them unexpected. */
export function isServiceSheet(name: string): boolean {
  return (
    name === LISTS_SHEET ||
    name === MARKER_SHEET ||
    name === CHECKS_SHEET ||
    name === RECEIPT_SHEET ||
    name.startsWith(MASK_PREFIX)
  );
}

/**
 * The protection of every data sheet, in both channels (Office.js WorksheetProtectionOptions names; the .xlsx writer
 * maps them to OOXML). It guards formulas and headers against accidents, not attackers: no password, so anyone can
 * lift it from the Review menu. Rows can be inserted, deleted, sorted and filtered (input cells are unlocked); notes
 * (the validation's comments) are objects, so objects stay editable.
 */
export const SHEET_PROTECTION = {
  allowAutoFilter: true,
  allowSort: true,
  allowInsertRows: true,
  allowDeleteRows: true,
  allowFormatColumns: true,
  allowFormatRows: true,
  allowEditObjects: true,
  allowFormatCells: false,
  allowInsertColumns: false,
  allowDeleteColumns: false,
  allowInsertHyperlinks: false,
  allowPivotTables: false,
} as const;

export type SheetProtection = typeof SHEET_PROTECTION;

/** Fills of the template, as #RRGGBB: headers light blue, computed cells neutral grey, marks red and yellow. */
export const COLORS = {
  header: '#DEECF9',
  headerFont: '#004578',
  input: '#FFFFFF',
  computed: '#F3F2F1',
  error: '#FDE7E9',
  warning: '#FFF4CE',
} as const;

/** 1-based column number to letters: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  return letterOfIndex(column - 1);
}

/** Letters to 1-based column number: A → 1, AA → 27. */
export function columnNumber(letters: string): number {
  let value = 0;
  for (const char of letters.toUpperCase()) value = value * 26 + (char.charCodeAt(0) - 64);
  return value;
}

/** A sheet name as it appears in a formula: always quoted, so names that look like cell references stay names. */
export function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

export function sheetById(template: TemplateDef, id: SheetId): SheetDef {
  const sheet = template.sheets.find((candidate) => candidate.id === id);
  if (!sheet) throw new Error(`Template ${template.id} has no sheet ${id}`);
  return sheet;
}

/** 1-based column number of a column in the template layout. */
export function columnIndexOf(sheet: SheetDef, key: string): number {
  const index = sheet.columns.findIndex((column) => column.key === key);
  if (index < 0) throw new Error(`Sheet ${sheet.id} has no column ${key}`);
  return index + 1;
}

/** Column letters of a column in the template layout. */
export function columnLetterOf(sheet: SheetDef, key: string): string {
  return columnLetter(columnIndexOf(sheet, key));
}

export function lastColumnLetter(sheet: SheetDef): string {
  return columnLetter(sheet.columns.length);
}

export function headerRange(sheet: SheetDef): string {
  return `A${HEADER_ROW}:${lastColumnLetter(sheet)}${HEADER_ROW}`;
}

/** Excel row of the n-th (1-based) data row, as findings count rows, in the blank layout. */
export function excelRowOf(rowNumber: number): number {
  return FIRST_DATA_ROW + rowNumber - 1;
}

/** Data rows that carry computed formulas on a sheet. */
export function preparedRows(sheet: SheetDef): number {
  return sheet.singleRow ? 1 : FORMULA_ROWS;
}

/** The prepared data area of one column, e.g. C2:C501. */
export function columnDataRange(sheet: SheetDef, key: string, rows = preparedRows(sheet)): string {
  const letter = columnLetterOf(sheet, key);
  return `${letter}${FIRST_DATA_ROW}:${letter}${FIRST_DATA_ROW + rows - 1}`;
}

/** A whole column below the header, down to Excel's last row: what an input column unlocks. */
export const EXCEL_LAST_ROW = 1_048_576;
export function columnBelowHeader(sheet: SheetDef, key: string): string {
  const letter = columnLetterOf(sheet, key);
  return `${letter}${FIRST_DATA_ROW}:${letter}${EXCEL_LAST_ROW}`;
}

export function dataArea(sheet: SheetDef, rows = preparedRows(sheet)): string {
  return `A${FIRST_DATA_ROW}:${lastColumnLetter(sheet)}${FIRST_DATA_ROW + rows - 1}`;
}

export interface ListColumn {
  readonly list: CodeListId;
  /** 1-based column on the Liste sheet. */
  readonly column: number;
  readonly codes: readonly string[];
  /** Absolute reference usable in a data validation or formula, e.g. `'Liste'!$C$2:$C$15`. */
  readonly range: string;
}

/** The Liste sheet: one column per code list, in the template's order. */
export function listColumns(template: TemplateDef): ListColumn[] {
  return (Object.keys(template.codeLists) as CodeListId[]).map((list, index) => {
    const codes = template.codeLists[list].values.map((value) => value.code);
    const letter = columnLetter(index + 1);
    return {
      list,
      column: index + 1,
      codes,
      range: `${quoteSheet(LISTS_SHEET)}!$${letter}$2:$${letter}$${codes.length + 1}`,
    };
  });
}

/** Column of indicator units on Liste, aligned row by row with the INDICATORE list. */
export function indicatorUnitsColumn(template: TemplateDef): { column: number; units: string[]; range: string } {
  const lists = listColumns(template);
  const column = lists.length + 2;
  const indicatorCodes = lists.find((entry) => entry.list === 'INDICATORE')?.codes ?? [];
  const units = indicatorCodes.map((code) => template.indicators.find((item) => item.code === code)?.unit ?? '');
  const letter = columnLetter(column);
  return { column, units, range: `${quoteSheet(LISTS_SHEET)}!$${letter}$2:$${letter}$${units.length + 1}` };
}

/** The data-validation list source of a column, or undefined when it has no code list. */
export function listRangeOf(template: TemplateDef, column: ColumnDef): string | undefined {
  if (!column.codeList) return undefined;
  return listColumns(template).find((entry) => entry.list === column.codeList)?.range;
}

/** The default file name of a blank template. */
export function templateFileName(template: TemplateDef): string {
  return `${template.id}-${template.version}.xlsx`;
}

/** Excel limits on a data validation's input prompt: title 32 characters, message 255. */
export const clip = (text: string, length: number): string =>
  text.length > length ? `${text.slice(0, length - 1)}…` : text;
