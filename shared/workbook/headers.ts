import type { ColumnDef, SheetDef } from '../template/types.ts';

/** How a header row is matched to a template sheet, in every channel. */

/** Header text as compared: Unicode-normalised, spaces collapsed, case-insensitive. */
export function headerKey(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The column a header names, by its Italian header or by its column key; undefined for a column we do not know. */
export function columnForHeader(sheet: SheetDef, text: string): ColumnDef | undefined {
  const key = headerKey(text);
  return sheet.columns.find((column) => headerKey(column.header) === key || headerKey(column.key) === key);
}

/** How many distinct columns of `sheet` a header row names. */
export function headerMatchCount(sheet: SheetDef, headers: readonly string[]): number {
  const matched = new Set<string>();
  for (const text of headers) {
    const column = columnForHeader(sheet, text);
    if (column) matched.add(column.key);
  }
  return matched.size;
}

/** A worksheet with another name is taken for `sheet` when its header row names at least this many of its columns. */
export function headerMatchThreshold(sheet: SheetDef): number {
  return Math.max(3, Math.ceil(sheet.columns.length / 2));
}
