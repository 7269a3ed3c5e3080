import type { WorkbookRead } from './read-result.ts';

/**
 * The grid contract: what every workbook adapter (Office.js in addin/excel, exceljs in cli/xlsx, the streaming .xlsx
 * reader) hands to the workbook core, so that the same workbook gives the same submission whatever the channel.
 *
 * CELL VALUES are exactly what Office.js `Range.values` returns:
 * - empty cell: `''` (`null` and `undefined` are accepted and mean the same);
 * - text: the string as stored, untrimmed (the core trims); rich text is its plain text, concatenated;
 * - numbers: JavaScript numbers; DATES are Excel serial numbers of the 1900 date system (1 = 1900-01-01), never
 *   `Date` objects or formatted text — an adapter that gets a `Date` converts it with `dateToExcelSerial`;
 * - booleans: `true` / `false`;
 * - formulas: their cached result only (the formula text is never a value);
 * - error cells (a formula that failed, or a typed error): the error text, `#DIV/0!`, `#VALUE!`, `#N/A`, … as
 *   Office.js gives it (see `EXCEL_ERRORS`); the core reports them on their cell;
 * - a merged area: its value on its top-left cell only, every other cell of the area empty (what both Office.js and
 *   the OOXML file hold); the merged areas themselves are optional metadata (`SheetMeta.merges`).
 *
 * READING is push-style, sheet by sheet and row by row, so a streaming reader can feed 100,000 rows without holding
 * the workbook as objects (see reader.ts):
 *
 *   const reader = createWorkbookReader({ marker, sheetNames, options });   // marker: markerFromValues(A1:B1)
 *   const sink = reader.sheet(name, meta);   // null: the core does not need this sheet, skip its rows entirely
 *   sink?.row(rowNumber, values, firstColumn); // rows in ascending order, 1-based Excel row numbers; gaps are empty
 *   sink?.end();
 *   const { template, submission, cells, findings } = reader.finish();
 *
 * `values[0]` sits in Excel column `firstColumn` (1-based, default 1 = A): an Office.js used range may start at any
 * column. Rows may be pushed with trailing empty cells cut off. Sheets may come in any order; a sheet the core needs
 * (it names the template sheets by name, or by header row when renamed) must be pushed once.
 */

/** One cell, as Office.js `Range.values` gives it. */
export type GridValue = string | number | boolean | null | undefined;

/** One row of cells, left to right. */
export type GridRow = readonly GridValue[];

/** Per-sheet metadata an adapter may know; all optional. */
export interface SheetMeta {
  /** Merged areas in A1 notation (`B3:D3`); the core warns about them (their other cells read as empty). */
  readonly merges?: readonly string[];
}

/** The error values Excel shows in a cell, as `Range.values` reports them. */
export const EXCEL_ERRORS: ReadonlySet<string> = new Set([
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
  '#GETTING_DATA',
  '#SPILL!',
  '#CALC!',
  '#FIELD!',
  '#BLOCKED!',
  '#CONNECT!',
  '#BUSY!',
  '#UNKNOWN!',
  '#PYTHON!',
]);

/** Milliseconds per day and the serial of 1970-01-01 in the 1900 date system (which counts 29/02/1900). */
const DAY_MS = 86_400_000;
const UNIX_EPOCH_SERIAL = 25_569;

/**
 * A `Date` (as exceljs or a parser gives a date cell, in UTC) as the Excel serial number `Range.values` would give.
 * Whole days stay whole; a time of day is the fraction.
 */
export function dateToExcelSerial(date: Date): number {
  return date.getTime() / DAY_MS + UNIX_EPOCH_SERIAL;
}

/** Whether a grid value is an empty cell. */
export function isEmptyValue(value: GridValue): boolean {
  return value === null || value === undefined || value === '';
}

/* The reader's interface (implemented by reader.ts). Types only here, so an adapter can be written against them. */

export type { CellMap, WorkbookRead } from './read-result.ts';

/** The template a workbook says it follows: its hidden `_Modello` sheet, A1 = id, B1 = version. */
export interface Marker {
  readonly id: string;
  readonly version: string;
}

export interface ReadOptions {
  /** Overrides the ATS code read from T1 (COD_ATS): `--ambito`, or the task pane's choice. */
  readonly ats?: string;
  /** Overrides the period read from T4/T5 DATA_RIF or T1 ANNO_RIF. */
  readonly period?: string;
  /** A comment for the envelope (the task pane's "motivo della rettifica"). */
  readonly comment?: string;
  /** Data rows accepted per sheet; more is a WorkbookReadError. Defaults to the layout's MAX_DATA_ROWS. */
  readonly maxRows?: number;
}

export interface WorkbookReaderInput {
  /** The marker as found by the adapter (markerFromValues on `_Modello!A1:B1`), null when there is none. */
  readonly marker: Marker | null;
  /** Every worksheet's name, in workbook order (hidden ones included): renamed and extra sheets are told apart. */
  readonly sheetNames: readonly string[];
  readonly options?: ReadOptions;
}

/** Receives one worksheet's rows. */
export interface SheetSink {
  /** One Excel row (1-based `rowNumber`, ascending); `values[0]` is in column `firstColumn` (1-based, default 1). */
  row(rowNumber: number, values: GridRow, firstColumn?: number): void;
  /** No more rows for this sheet. */
  end(): void;
}

/** Where each (sheet, row, column) of the submission sits in the workbook. */
export interface SheetCells {
  /** The worksheet's name in this workbook (it may have been renamed). */
  readonly sheetName: string;
  /** Excel row of each data row: rows[0] is data row 1. */
  readonly rows: readonly number[];
  /** Column key → column letters in this workbook. */
  readonly columns: Readonly<Record<string, string>>;
}

export interface WorkbookReader {
  /** The sink for a worksheet's rows, or null when the core does not read that sheet (skip it). */
  sheet(name: string, meta?: SheetMeta): SheetSink | null;
  /** The submission, where each value came from, and the reader's findings. */
  finish(): WorkbookRead;
}

/**
 * A workbook that is not ours or cannot be read as one (no marker, unknown template, a sheet over the row limit).
 * The message is Italian, for the user; the CLI turns it into its own file error, the add-in shows it.
 */
export class WorkbookReadError extends Error {
  override readonly name = 'WorkbookReadError';
}
