import { columnHelp } from '../template/help.ts';
import type { ColumnDef, SheetDef, SheetId, TemplateDef } from '../template/types.ts';
import { computedFormula } from './formulas.ts';
import {
  COLORS,
  clip,
  columnLetter,
  EXCEL_LAST_ROW,
  FIRST_DATA_ROW,
  HEADER_ROW,
  INDICATOR_UNITS_HEADER,
  indicatorUnitsColumn,
  LISTS_SHEET,
  listColumns,
  listRangeOf,
  MARKER_ADDRESS,
  MARKER_NAME,
  MARKER_SHEET,
  preparedRows,
  quoteSheet,
  SHEET_PROTECTION,
  type SheetProtection,
} from './layout.ts';

/**
 * The blank template as one description that both writers render: the add-in through Office.js (addin/excel/draw.ts)
 * and the .xlsx through exceljs (cli/xlsx/write-template.ts). Everything a user sees or meets (headers, fills, widths,
 * formats, lists, prompts, locks, formulas, protection, hidden sheets, the marker and its defined name) is decided
 * here, so the two workbooks cannot differ; the writers only translate it into their library's calls.
 */

export interface ListValidation {
  /** The list's absolute range on the Liste sheet, without "=". */
  readonly source: string;
  readonly errorTitle: string;
  readonly errorMessage: string;
}

export interface ColumnSpec {
  readonly key: string;
  /** Column letters. */
  readonly letter: string;
  /** 1-based column number. */
  readonly number: number;
  readonly header: string;
  /** Header note (help, unit, whether it is required or computed). */
  readonly headerNote: string;
  /** Width in characters. */
  readonly width: number;
  /** Excel number format, for the whole column. */
  readonly numberFormat: string;
  /** Computed columns stay locked and carry formulas; input columns are unlocked as whole columns. */
  readonly computed: boolean;
  /** Fill of the data cells (#RRGGBB): input columns white, computed ones grey. */
  readonly fill: string;
  /**
   * In-cell list of allowed codes on the whole column below the header (validatedRange): every row an accountant can
   * type offers the list. One `<dataValidation sqref>` in the file, one rule in Office.js; readers that load a file
   * through exceljs must skip data validations (exceljs expands a range into one entry per cell when it reads).
   */
  readonly list?: ListValidation;
  /** Input prompt on the same whole column (Excel limits: title 32 characters, message 255). */
  readonly prompt?: { readonly title: string; readonly message: string };
  /** The formula (without "=") of each prepared row, for computed columns. */
  readonly formula?: (excelRow: number) => string;
}

export interface SheetSpec {
  readonly id: SheetId;
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /** Rows, from FIRST_DATA_ROW, that carry the computed formulas (lists and prompts cover the whole column). */
  readonly formulaRows: number;
  readonly headerRow: number;
  readonly headerFill: string;
  readonly headerFont: string;
  readonly headerHeight: number;
  /** Frozen rows at the top (the header). */
  readonly freezeRows: number;
  readonly protection: SheetProtection;
}

export interface ListsSpec {
  readonly name: string;
  /** Each column of the Liste sheet: 1-based number, letters, the values from row 1 (list id, then codes). */
  readonly columns: ReadonlyArray<{ readonly number: number; readonly letter: string; readonly values: string[] }>;
  readonly visibility: 'Hidden';
}

export interface MarkerSpec {
  readonly name: string;
  readonly address: string;
  readonly values: readonly [string, string];
  /** The defined name that finds the marker even when its sheet is renamed, and what it refers to. */
  readonly definedName: string;
  readonly reference: string;
  readonly visibility: 'VeryHidden';
}

export interface TemplateSpec {
  readonly sheets: readonly SheetSpec[];
  readonly lists: ListsSpec;
  readonly marker: MarkerSpec;
  /** Sheet names in workbook order: the data sheets, then Liste, then the marker. */
  readonly order: readonly string[];
}

function headerNote(template: TemplateDef, sheet: SheetDef, column: ColumnDef): string {
  const parts = [columnHelp(template, sheet.id, column.key)];
  if (column.unit) parts.push(`Unità: ${column.unit}.`);
  if (column.requirement === 'required') parts.push('Obbligatorio.');
  else if (column.requirement === 'computed') parts.push('Calcolato dal modello: non modificare.');
  else if (typeof column.requirement === 'object') parts.push(`Obbligatorio: ${column.requirement.text}.`);
  return parts.filter((part) => part !== '').join(' ');
}

function columnSpec(template: TemplateDef, sheet: SheetDef, column: ColumnDef, index: number): ColumnSpec {
  const computed = column.computed !== undefined;
  const source = listRangeOf(template, column);
  const help = columnHelp(template, sheet.id, column.key);
  return {
    key: column.key,
    letter: columnLetter(index + 1),
    number: index + 1,
    header: column.header,
    headerNote: headerNote(template, sheet, column),
    width: column.width,
    numberFormat: column.excelFormat,
    computed,
    fill: computed ? COLORS.computed : COLORS.input,
    ...(source && !computed
      ? {
          list: {
            source,
            errorTitle: 'Codice non ammesso',
            errorMessage: clip(`${column.header}: scegliere un valore dall’elenco (${column.codeList ?? ''}).`, 255),
          },
        }
      : {}),
    ...(!computed && help !== '' ? { prompt: { title: clip(column.header, 32), message: clip(help, 255) } } : {}),
    ...(computed ? { formula: (row: number) => computedFormula(template, sheet, column, row) ?? '""' } : {}),
  };
}

function sheetSpec(template: TemplateDef, sheet: SheetDef): SheetSpec {
  return {
    id: sheet.id,
    name: sheet.name,
    columns: sheet.columns.map((column, index) => columnSpec(template, sheet, column, index)),
    formulaRows: preparedRows(sheet),
    headerRow: HEADER_ROW,
    headerFill: COLORS.header,
    headerFont: COLORS.headerFont,
    headerHeight: 30,
    freezeRows: HEADER_ROW,
    protection: SHEET_PROTECTION,
  };
}

function listsSpec(template: TemplateDef): ListsSpec {
  const columns = listColumns(template).map((entry) => ({
    number: entry.column,
    letter: columnLetter(entry.column),
    values: [entry.list, ...entry.codes],
  }));
  const units = indicatorUnitsColumn(template);
  columns.push({
    number: units.column,
    letter: columnLetter(units.column),
    values: [INDICATOR_UNITS_HEADER, ...units.units],
  });
  return { name: LISTS_SHEET, columns, visibility: 'Hidden' };
}

export function templateSpec(template: TemplateDef): TemplateSpec {
  const sheets = template.sheets.map((sheet) => sheetSpec(template, sheet));
  const [first, last] = MARKER_ADDRESS.split(':');
  return {
    sheets,
    lists: listsSpec(template),
    marker: {
      name: MARKER_SHEET,
      address: MARKER_ADDRESS,
      values: [template.id, template.version],
      definedName: MARKER_NAME,
      reference: `${quoteSheet(MARKER_SHEET)}!$${first?.replace(/(\d+)/, '$$$1')}:$${last?.replace(/(\d+)/, '$$$1')}`,
      visibility: 'VeryHidden',
    },
    order: [...sheets.map((sheet) => sheet.name), LISTS_SHEET, MARKER_SHEET],
  };
}

/** The last data row carrying formulas on a sheet. */
export function lastFormulaRow(sheet: SheetSpec): number {
  return FIRST_DATA_ROW + sheet.formulaRows - 1;
}

/**
 * Where a column's list and prompt apply: below the header down to Excel's last row, as far as the input column is
 * unlocked, so a row typed anywhere offers the same list and help as the first.
 */
export function validatedRange(sheet: SheetSpec, column: ColumnSpec): string {
  return `${column.letter}${sheet.headerRow + 1}:${column.letter}${EXCEL_LAST_ROW}`;
}
