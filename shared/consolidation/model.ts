import type { Severity } from '../checks/types.ts';
import type { Cell } from './cells.ts';

/**
 * The consolidated workbook as data: what the add-in renders with Office.js and what a test can read without Excel.
 * Coordinates are 0-based and relative to the sheet (row 0 is the header row of the sheet's first table).
 */

export interface ColumnSpec {
  /** Width in characters. */
  readonly width: number;
}

/** A mark on one cell: a finding to show where it is, as the add-in marks an ATS's own findings. */
export interface CellMark {
  readonly row: number;
  readonly column: number;
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
  readonly ats: string | null;
}

/** A rectangle inside one sheet, 0-based and inclusive. */
export interface Area {
  readonly firstRow: number;
  readonly lastRow: number;
  readonly firstColumn: number;
  readonly lastColumn: number;
}

export interface ChartSpec {
  readonly title: string;
  readonly type: 'columnClustered' | 'barClustered';
  /** Series by columns, header row included (series names come from it). */
  readonly data: Area;
  /** One column of category labels, without the header. */
  readonly categories: Area;
  /** Indexes (0-based, within `data`'s columns) of the series drawn as lines: the thresholds. */
  readonly lineSeries: readonly number[];
  /** Top-left cell of the chart. */
  readonly anchor: { readonly row: number; readonly column: number };
  readonly size: { readonly rows: number; readonly columns: number };
}

export type SheetRole = 'status' | 'data' | 'summary' | 'findings' | 'articulation';

export interface SheetModel {
  readonly name: string;
  readonly role: SheetRole;
  readonly columns: readonly ColumnSpec[];
  /** Every row has the same length as `columns`. */
  readonly rows: readonly (readonly Cell[])[];
  readonly marks: readonly CellMark[];
  readonly charts: readonly ChartSpec[];
  /** Rows kept visible when scrolling (the header). */
  readonly freezeRows: number;
}

export interface WorkbookModel {
  readonly region: string;
  readonly period: string;
  readonly sheets: readonly SheetModel[];
}

/** "A", "Z", "AA"… for a 0-based column index. */
export function columnLetter(index: number): string {
  let value = index + 1;
  let letters = '';
  while (value > 0) {
    const remainder = (value - 1) % 26;
    letters = String.fromCharCode(65 + remainder) + letters;
    value = Math.floor((value - 1) / 26);
  }
  return letters;
}

/** "B3" for row 2, column 1 (0-based). */
export function cellAddress(row: number, column: number): string {
  return `${columnLetter(column)}${row + 1}`;
}

export function areaAddress(area: Area): string {
  const start = cellAddress(area.firstRow, area.firstColumn);
  const end = cellAddress(area.lastRow, area.lastColumn);
  return start === end ? start : `${start}:${end}`;
}

/** A sheet name as it must appear in a formula or a reference: quoted when it is not a plain identifier. */
export function sheetReference(name: string): string {
  // A name that looks like a cell ("AB12") must be quoted too, or Excel reads it as an address.
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name)
    ? name
    : `'${name.replace(/'/g, "''")}'`;
}
