import { isoDateToExcelSerial, parseIsoDate } from '../domain/italian-format.ts';

/**
 * Typed cells of the consolidated workbook, and the one place where the SAFE-TEXT rule lives.
 *
 * Everything a submission carried is data from outside the Region's control. Excel evaluates a value written through
 * `Range.values` that starts with "=", "+" or "-" as a formula (office-js documents it on `Range.values`), and the
 * usual spreadsheet-injection list adds "@", tab and carriage return. A text number format ("@") alone is not
 * documented to stop that, so a text cell is written with format "@" AND, when it starts with one of those characters,
 * with a leading apostrophe: Excel's quote prefix, which stores the rest as text and is not part of the cell's value.
 */

export type CellStyle = 'header' | 'missing' | 'error' | 'warning' | 'ok';

export type Cell =
  | { readonly kind: 'text'; readonly value: string; readonly style?: CellStyle }
  | { readonly kind: 'number'; readonly value: number; readonly format: string; readonly style?: CellStyle }
  /** ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM…Z); written as an Excel serial with a date format. */
  | { readonly kind: 'date'; readonly value: string; readonly format: string; readonly style?: CellStyle }
  | { readonly kind: 'empty'; readonly format?: string; readonly style?: CellStyle };

export const TEXT_FORMAT = '@';
export const DATE_FORMAT = 'dd/mm/yyyy';
export const DATE_TIME_FORMAT = 'dd/mm/yyyy hh:mm';
export const GENERAL_FORMAT = 'General';

/** Characters that make Excel (or a CSV reader) treat a typed value as a formula or a command. */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

export const text = (value: string, style?: CellStyle): Cell =>
  style ? { kind: 'text', value, style } : { kind: 'text', value };
export const empty = (format?: string, style?: CellStyle): Cell => ({
  kind: 'empty',
  ...(format ? { format } : {}),
  ...(style ? { style } : {}),
});

/** A number cell; a non-finite number becomes an empty cell, never "NaN" in a sheet. */
export function number(value: number, format = GENERAL_FORMAT, style?: CellStyle): Cell {
  if (!Number.isFinite(value)) return empty(format, style);
  return style ? { kind: 'number', value, format, style } : { kind: 'number', value, format };
}

export function date(value: string, format = DATE_FORMAT, style?: CellStyle): Cell {
  return style ? { kind: 'date', value, format, style } : { kind: 'date', value, format };
}

export function withStyle(cell: Cell, style: CellStyle): Cell {
  return { ...cell, style };
}

/** Whether Excel would read this text as something other than the text itself. */
export function needsQuotePrefix(value: string): boolean {
  return FORMULA_TRIGGER.test(value);
}

/**
 * The value to put in `Range.values` for a text: unchanged unless it could be evaluated, then with Excel's quote
 * prefix. A text that already starts with an apostrophe gets one more, so the apostrophe the user sent survives.
 */
export function safeTextValue(value: string): string {
  return needsQuotePrefix(value) || value.startsWith("'") ? `'${value}` : value;
}

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** An ISO date or date-time as an Excel serial (1900 system, UTC); null when it is not one. */
export function excelSerial(iso: string): number | null {
  const day = parseIsoDate(iso);
  if (day !== null) return isoDateToExcelSerial(day);
  const match = ISO_DATE_TIME.exec(iso);
  if (!match) return null;
  const milliseconds = Date.parse(iso);
  if (!Number.isFinite(milliseconds)) return null;
  return (milliseconds - Date.UTC(1899, 11, 30)) / 86400000;
}

/** What one cell becomes in Excel: the value for `Range.values` and the format for `Range.numberFormat`. */
export interface ExcelCell {
  readonly value: string | number;
  readonly numberFormat: string;
}

/**
 * The only mapping from a model cell to Excel. Text always carries format "@" and the quote prefix when needed;
 * numbers stay numbers; a date that is not a real date is written as text rather than guessed.
 */
export function toExcelCell(cell: Cell): ExcelCell {
  switch (cell.kind) {
    case 'text':
      return { value: safeTextValue(cell.value), numberFormat: TEXT_FORMAT };
    case 'number':
      return { value: cell.value, numberFormat: cell.format };
    case 'date': {
      const serial = excelSerial(cell.value);
      return serial === null
        ? { value: safeTextValue(cell.value), numberFormat: TEXT_FORMAT }
        : { value: serial, numberFormat: cell.format };
    }
    case 'empty':
      return { value: '', numberFormat: cell.format ?? GENERAL_FORMAT };
  }
}

/** The text a reader sees in a cell written from this model cell (what a round trip must give back). */
export function displayedValue(cell: Cell): string | number {
  const excel = toExcelCell(cell);
  return typeof excel.value === 'string' && excel.value.startsWith("'") ? excel.value.slice(1) : excel.value;
}
