import { columnForHeader, inferAts, inferPeriod } from '../../cli/xlsx/layout.ts';
import type { Submission, SubmissionCell } from '../../shared/contract/submission.ts';
import { excelSerialToIsoDate } from '../../shared/domain/italian-format.ts';
import { findTemplate } from '../../shared/template/index.ts';
import type { ColumnDef, SheetDef, SheetId, TemplateDef } from '../../shared/template/types.ts';
import { SHEET_IDS } from '../../shared/template/types.ts';
import type { HostContext, HostRange, HostWorksheet } from './host.ts';
import { columnLetter, HEADER_ROW, MARKER_ADDRESS, MARKER_SHEET, maskSheetName } from './layout.ts';

/**
 * Reading a workbook in one batch: queueRead() asks for everything (the marker, each data sheet's used range, the
 * previous marks, protection) and decodeRead() turns what came back into a submission that remembers each value's
 * cell. Nothing here calls sync(): the caller owns the round trip.
 */

export interface SheetCells {
  /** Worksheet row (1-based) of each submission row, in order. */
  readonly rows: readonly number[];
  /** Column letter of each column key found in the header row. */
  readonly columns: Readonly<Record<string, string>>;
}

export type CellMap = Readonly<Partial<Record<SheetId, SheetCells>>>;

export interface PreviousMark {
  readonly sheet: SheetId;
  readonly address: string;
}

export interface WorkbookRead {
  readonly template: TemplateDef;
  readonly submission: Submission;
  readonly cells: CellMap;
  /** Cells marked by the previous validation (from the mask sheets): their notes are removed. */
  readonly previousMarks: readonly PreviousMark[];
  readonly existingSheets: ReadonlySet<string>;
  readonly protectedSheets: ReadonlySet<string>;
}

export type ReadOutcome =
  | { readonly ok: true; readonly read: WorkbookRead }
  | { readonly ok: false; readonly message: string };

export interface Envelope {
  readonly ats?: string;
  readonly period?: string;
  readonly comment?: string;
}

interface SheetHandles {
  readonly worksheet: HostWorksheet;
  readonly used: HostRange;
  readonly mask: HostRange;
}

export interface PendingRead {
  readonly worksheets: { readonly items: HostWorksheet[] };
  readonly marker: HostRange;
  readonly sheets: ReadonlyMap<SheetId, SheetHandles>;
  readonly template: TemplateDef;
}

/** Queues every load a validation needs; one sync() later, decodeRead() can run. */
export function queueRead(context: HostContext, template: TemplateDef): PendingRead {
  const worksheets = context.workbook.worksheets.load('items/name');
  const marker = context.workbook.worksheets.getItemOrNullObject(MARKER_SHEET).getRange(MARKER_ADDRESS).load('values');
  const sheets = new Map<SheetId, SheetHandles>();
  for (const sheet of template.sheets) {
    const worksheet = context.workbook.worksheets.getItemOrNullObject(sheet.name);
    worksheet.protection.load('protected');
    const used = worksheet.getUsedRangeOrNullObject(true).load(['values', 'rowIndex', 'columnIndex']);
    const mask = context.workbook.worksheets
      .getItemOrNullObject(maskSheetName(sheet.id))
      .getUsedRangeOrNullObject(true)
      .load(['values', 'rowIndex', 'columnIndex']);
    sheets.set(sheet.id, { worksheet, used, mask });
  }
  return { worksheets, marker, sheets, template };
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** An Excel value as the contract wants it: dates come back from Excel as serial numbers. */
export function toSubmissionCell(column: ColumnDef, value: unknown): SubmissionCell | undefined {
  if (isEmpty(value)) return undefined;
  if (typeof value === 'number') {
    if (column.type === 'date') return excelSerialToIsoDate(value) ?? value;
    return value;
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim();
  return undefined;
}

/** Columns are found by header, with the command line's rule (cli/xlsx/layout.ts), so a moved column still reads. */
function headerColumns(sheet: SheetDef, header: readonly unknown[], firstColumn: number): Map<string, number> {
  const positions = new Map<string, number>();
  header.forEach((title, index) => {
    if (typeof title !== 'string') return;
    const column = columnForHeader(sheet, title);
    if (column && !positions.has(column.key)) positions.set(column.key, firstColumn + index);
  });
  return positions;
}

function decodeSheet(
  sheet: SheetDef,
  used: HostRange,
): { rows: Array<Record<string, SubmissionCell>>; cells: SheetCells } | null {
  if (used.isNullObject) return null;
  const values = used.values;
  const headerOffset = HEADER_ROW - 1 - used.rowIndex;
  const header = values[headerOffset];
  if (headerOffset < 0 || !header) return null;
  const positions = headerColumns(sheet, header, used.columnIndex);
  const rows: Array<Record<string, SubmissionCell>> = [];
  const rowNumbers: number[] = [];
  const inputs = new Set(sheet.columns.filter((column) => column.computed === undefined).map((column) => column.key));
  for (let offset = headerOffset + 1; offset < values.length; offset++) {
    const line = values[offset] ?? [];
    const row: Record<string, SubmissionCell> = {};
    let hasInput = false;
    for (const column of sheet.columns) {
      const position = positions.get(column.key);
      if (position === undefined) continue;
      const cell = toSubmissionCell(column, line[position - used.columnIndex]);
      if (cell === undefined) continue;
      row[column.key] = cell;
      if (inputs.has(column.key)) hasInput = true;
    }
    // Prepared rows hold formulas that yield "" and empty input cells: only rows with something typed are data.
    if (!hasInput) continue;
    rows.push(row);
    rowNumbers.push(used.rowIndex + offset + 1);
  }
  const columns: Record<string, string> = {};
  for (const [key, position] of positions) columns[key] = columnLetter(position);
  return { rows, cells: { rows: rowNumbers, columns } };
}

function previousMarks(sheet: SheetId, mask: HostRange): PreviousMark[] {
  if (mask.isNullObject) return [];
  const marks: PreviousMark[] = [];
  mask.values.forEach((line, rowOffset) => {
    line.forEach((value, columnOffset) => {
      if (typeof value === 'number' && value > 0) {
        marks.push({
          sheet,
          address: `${columnLetter(mask.columnIndex + columnOffset)}${mask.rowIndex + rowOffset + 1}`,
        });
      }
    });
  });
  return marks;
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** After the read sync: the submission, each value's cell, and what the write batch needs to know. */
export function decodeRead(pending: PendingRead, envelope: Envelope = {}): ReadOutcome {
  const markerValues = pending.marker.isNullObject ? undefined : pending.marker.values[0];
  const templateId = str(markerValues?.[0]);
  const version = str(markerValues?.[1]) ?? String(markerValues?.[1] ?? '');
  if (!templateId) {
    return {
      ok: false,
      message: 'Questa cartella di lavoro non contiene il modello LEPS: usare «Nuovo modello» nella scheda LEPS.',
    };
  }
  const template = findTemplate(templateId, version) ?? pending.template;
  const sheets: Partial<Record<SheetId, Array<Record<string, SubmissionCell>>>> = {};
  const cells: Partial<Record<SheetId, SheetCells>> = {};
  const marks: PreviousMark[] = [];
  const protectedSheets = new Set<string>();
  const existingSheets = new Set(pending.worksheets.items.map((worksheet) => worksheet.name));
  for (const id of SHEET_IDS) {
    const handles = pending.sheets.get(id);
    const sheet = template.sheets.find((candidate) => candidate.id === id);
    if (!handles || !sheet) continue;
    marks.push(...previousMarks(id, handles.mask));
    if (!existingSheets.has(sheet.name)) continue;
    if (handles.worksheet.protection.protected) protectedSheets.add(sheet.name);
    const decoded = decodeSheet(sheet, handles.used);
    sheets[id] = decoded?.rows ?? [];
    if (decoded) cells[id] = decoded.cells;
  }
  const submission: Submission = {
    template: templateId,
    templateVersion: version,
    // Chosen in the task pane, else what the workbook says (the command line's rule).
    ats: envelope.ats ?? inferAts(sheets.T1 ?? []) ?? '',
    period: envelope.period ?? inferPeriod({ T1: sheets.T1 ?? [], T4: sheets.T4 ?? [], T5: sheets.T5 ?? [] }) ?? '',
    sheets,
    ...(envelope.comment ? { comment: envelope.comment } : {}),
  };
  return {
    ok: true,
    read: {
      template,
      submission,
      cells,
      previousMarks: marks,
      existingSheets,
      protectedSheets,
    },
  };
}
