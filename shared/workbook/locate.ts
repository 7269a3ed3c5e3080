import type { Finding } from '../checks/types.ts';
import type { TemplateDef } from '../template/types.ts';
import { columnLetterOf, excelRowOf, HEADER_ROW, lastColumnLetter, quoteSheet, sheetById } from './layout.ts';
import type { CellMap } from './read-result.ts';

/**
 * The one place that puts a finding on the workbook, for every channel: the add-in's marks and notes, its Controlli
 * sheet, the command line's report. It uses the rows and columns actually read (a moved column, a renamed sheet, a
 * skipped empty row) and falls back to the blank layout for a sheet that was not read.
 */

export interface FindingCell {
  /** The worksheet's name in this workbook (it may have been renamed). */
  readonly sheetName: string;
  /** Excel row; null for a finding about a sheet or a column as a whole. */
  readonly row: number | null;
  /** Column letters; null for a finding about a whole row or a whole sheet. */
  readonly column: string | null;
  /** The last column letter of the sheet's layout, to span a whole data row. */
  readonly lastColumn: string;
}

/** Where a finding sits; null for a finding about the whole submission. */
export function locateFinding(
  template: TemplateDef,
  cells: CellMap,
  finding: Pick<Finding, 'sheet' | 'row' | 'column'>,
): FindingCell | null {
  if (finding.sheet === null) return null;
  const definition = sheetById(template, finding.sheet);
  const read = cells[finding.sheet];
  const known = finding.column !== null && definition.columns.some((column) => column.key === finding.column);
  let column: string | null = null;
  if (finding.column !== null) {
    column = read ? (read.columns[finding.column] ?? null) : known ? columnLetterOf(definition, finding.column) : null;
  }
  const row = finding.row === null ? null : (read?.rows[finding.row - 1] ?? excelRowOf(finding.row));
  return { sheetName: read?.sheetName ?? definition.name, row, column, lastColumn: lastColumnLetter(definition) };
}

/**
 * The range a mark covers on its sheet: the cell (`J3`), the whole data row (`A3:Q3`) when the finding names no
 * column, the column's header (`J1`) or the sheet's first cell (`A1`) when it names no row.
 */
export function markRange(cell: FindingCell): string {
  if (cell.row === null) return `${cell.column ?? 'A'}${HEADER_ROW}`;
  return cell.column ? `${cell.column}${cell.row}` : `A${cell.row}:${cell.lastColumn}${cell.row}`;
}

/** `T4_Quadro_Fondi!J3`, `T4_Quadro_Fondi!3:3`, `T4_Quadro_Fondi`, or "(cartella)", as a person reads it. */
export function findingAddress(cell: FindingCell | null): string {
  if (cell === null) return '(cartella)';
  if (cell.row === null) return cell.sheetName;
  return cell.column ? `${cell.sheetName}!${cell.column}${cell.row}` : `${cell.sheetName}!${cell.row}:${cell.row}`;
}

/** `'T4_Quadro_Fondi'!J3` for a hyperlink to the mark's first cell. */
export function linkTarget(cell: FindingCell): string {
  return `${quoteSheet(cell.sheetName)}!${markRange(cell).split(':')[0] ?? 'A1'}`;
}
