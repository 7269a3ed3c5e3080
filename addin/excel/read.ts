import type { SheetId, TemplateDef } from '../../shared/template/types.ts';
import {
  type CellMap,
  CHECKS_SHEET,
  type WorkbookRead as CoreRead,
  createWorkbookReader,
  type GridRow,
  MARKER_ADDRESS,
  MARKER_SHEET,
  markerFromValues,
  maskSheetName,
  type SheetCells,
  type SheetSink,
  WorkbookReadError,
} from '../../shared/workbook/index.ts';
import type { HostContext, HostProtectionOptions, HostRange, HostWorksheet, HostWorksheets } from './host.ts';
import { columnLetter } from './layout.ts';
import { isResponseTooLarge, type RangeShape, readInBlocks, type ValueGrid } from './read-blocks.ts';

/**
 * The Office.js adapter of the workbook core: it loads each worksheet's used range (`Range.values`, the grid of
 * shared/workbook/grid.ts) and hands it to the core reader, which does everything else, exactly as for an .xlsx.
 * One round trip reads the marker, the sheets named as the template names them, the previous marks and the
 * protection; a second one, only when a template sheet is missing by name, reads the other sheets' used ranges so a
 * renamed sheet is found by its header row.
 * Excel on the web refuses an answer over 5 MB (ResponsePayloadSizeLimitExceeded): when it does, the read starts over
 * loading only the used ranges' sizes, then their values in row blocks that fit (read-blocks.ts), so a small workbook
 * keeps its single read round trip and a large one costs a few more.
 */

export type { CellMap, SheetCells };

export interface PreviousMark {
  readonly sheet: SheetId;
  readonly address: string;
}

export interface WorkbookRead extends CoreRead {
  /** Cells marked by the previous validation (from the mask sheets): their notes are removed. */
  readonly previousMarks: readonly PreviousMark[];
  readonly existingSheets: ReadonlySet<string>;
  readonly protectedSheets: ReadonlySet<string>;
  /** Each protected sheet's protection options, so a validation that lifts protection restores exactly them. */
  readonly protectionOptions: ReadonlyMap<string, HostProtectionOptions>;
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
  readonly worksheets: HostWorksheets;
  readonly marker: HostRange;
  readonly sheets: ReadonlyMap<SheetId, SheetHandles>;
  readonly template: TemplateDef;
  /** Whether the used ranges were loaded with their values, or only with their sizes (values then read in blocks). */
  readonly withValues: boolean;
  /** The sheets a validation writes besides the data sheets (Controlli, the masks), loaded for their protection. */
  readonly outputSheets: ReadonlyMap<string, HostWorksheet>;
}

/** Loads a worksheet's protection, so a validation knows whether it must lift it before writing. */
function withProtection(worksheet: HostWorksheet): HostWorksheet {
  worksheet.protection.load(['protected', 'options']);
  return worksheet;
}

const VALUES = ['values', 'rowIndex', 'columnIndex'];
const SHAPE = ['rowIndex', 'columnIndex', 'rowCount', 'columnCount'];

const usedRange = (worksheet: HostWorksheet, withValues: boolean): HostRange =>
  worksheet.getUsedRangeOrNullObject(true).load(withValues ? VALUES : SHAPE);

/**
 * Queues the first round trip's loads; after one sync(), readAfterSync() (or decodeRead) can run. Without values,
 * only the used ranges' sizes are loaded and readAfterSync() reads the values in blocks.
 */
export function queueRead(context: HostContext, template: TemplateDef, withValues = true): PendingRead {
  const worksheets = context.workbook.worksheets.load('items/name');
  const marker = context.workbook.worksheets.getItemOrNullObject(MARKER_SHEET).getRange(MARKER_ADDRESS).load('values');
  const sheets = new Map<SheetId, SheetHandles>();
  const outputSheets = new Map<string, HostWorksheet>();
  outputSheets.set(CHECKS_SHEET, withProtection(context.workbook.worksheets.getItemOrNullObject(CHECKS_SHEET)));
  for (const sheet of template.sheets) {
    const worksheet = withProtection(context.workbook.worksheets.getItemOrNullObject(sheet.name));
    const maskSheet = withProtection(context.workbook.worksheets.getItemOrNullObject(maskSheetName(sheet.id)));
    outputSheets.set(maskSheetName(sheet.id), maskSheet);
    sheets.set(sheet.id, { worksheet, used: usedRange(worksheet, withValues), mask: usedRange(maskSheet, withValues) });
  }
  return { worksheets, marker, sheets, template, withValues, outputSheets };
}

interface UsedRangeOf {
  readonly sheet: string;
  readonly range: HostRange;
}

/** The loaded used ranges as value grids (null for an empty sheet): directly, or read in blocks when only sized. */
async function gridsOf(
  context: HostContext | null,
  pending: PendingRead,
  used: readonly UsedRangeOf[],
): Promise<Map<HostRange, ValueGrid | null>> {
  const grids = new Map<HostRange, ValueGrid | null>();
  const sized: UsedRangeOf[] = [];
  for (const entry of used) {
    if (entry.range.isNullObject) grids.set(entry.range, null);
    else if (pending.withValues) grids.set(entry.range, entry.range);
    else sized.push(entry);
  }
  if (sized.length > 0) {
    if (!context) throw new Error('the values of sized used ranges are read only with a context');
    const shapes: RangeShape[] = sized.map(({ sheet, range }) => ({
      sheet,
      rowIndex: range.rowIndex,
      columnIndex: range.columnIndex,
      rowCount: range.rowCount,
      columnCount: range.columnCount,
    }));
    const read = await readInBlocks(context, shapes);
    sized.forEach((entry, index) => {
      grids.set(entry.range, read[index] ?? null);
    });
  }
  return grids;
}

function previousMarks(sheet: SheetId, mask: ValueGrid | null): PreviousMark[] {
  if (!mask) return [];
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

/** A used range's rows, pushed into the core as grid rows. */
function feed(sink: SheetSink, used: ValueGrid | null | undefined): void {
  if (used) {
    used.values.forEach((line, offset) => {
      sink.row(used.rowIndex + offset + 1, line as GridRow, used.columnIndex + 1);
    });
  }
  sink.end();
}

const NO_TEMPLATE = 'Questa cartella di lavoro non contiene il modello LEPS: usare «Nuovo modello» nella scheda LEPS.';

/**
 * After the first sync: the whole read. With a context, a template sheet missing by name is looked for under the other
 * sheets' names (a second round trip, only then); without one (decodeRead), only the sheets loaded so far are read.
 */
export async function readAfterSync(
  context: HostContext | null,
  pending: PendingRead,
  envelope: Envelope = {},
): Promise<ReadOutcome> {
  const marker = pending.marker.isNullObject ? null : markerFromValues(pending.marker.values[0] as GridRow);
  if (!marker) return { ok: false, message: NO_TEMPLATE };
  const names = pending.worksheets.items.map((worksheet) => worksheet.name);
  try {
    const reader = createWorkbookReader({ marker, sheetNames: names, options: envelope });
    const byName = new Map<string, HostRange>();
    for (const sheet of pending.template.sheets) {
      const handles = pending.sheets.get(sheet.id);
      if (handles && names.includes(sheet.name)) byName.set(sheet.name, handles.used);
    }
    const sinks = names.map((name) => ({ name, sink: reader.sheet(name) }));
    const missing = sinks.filter((entry) => entry.sink && !byName.has(entry.name));
    if (context && missing.length > 0) {
      for (const entry of missing) {
        byName.set(entry.name, usedRange(context.workbook.worksheets.getItem(entry.name), pending.withValues));
      }
      await context.sync();
    }
    const used: UsedRangeOf[] = [...byName].map(([sheet, range]) => ({ sheet, range }));
    for (const sheet of pending.template.sheets) {
      const handles = pending.sheets.get(sheet.id);
      if (handles) used.push({ sheet: maskSheetName(sheet.id), range: handles.mask });
    }
    const grids = await gridsOf(context, pending, used);
    const gridOf = (range: HostRange | undefined) => (range ? grids.get(range) : undefined);
    for (const entry of sinks) if (entry.sink) feed(entry.sink, gridOf(byName.get(entry.name)));
    return { ok: true, read: withHostState(pending, reader.finish(), names, gridOf) };
  } catch (error) {
    if (error instanceof WorkbookReadError) return { ok: false, message: error.message };
    throw error;
  }
}

/** The read from the first round trip only (sheets under the template's names): prefer readFromHost. */
export function decodeRead(pending: PendingRead, envelope: Envelope = {}): Promise<ReadOutcome> {
  return readAfterSync(null, pending, envelope);
}

function withHostState(
  pending: PendingRead,
  read: CoreRead,
  names: readonly string[],
  gridOf: (range: HostRange) => ValueGrid | null | undefined,
): WorkbookRead {
  const marks: PreviousMark[] = [];
  const protectedSheets = new Set<string>();
  const protectionOptions = new Map<string, HostProtectionOptions>();
  for (const sheet of pending.template.sheets) {
    const handles = pending.sheets.get(sheet.id);
    if (!handles) continue;
    marks.push(...previousMarks(sheet.id, gridOf(handles.mask) ?? null));
    if (names.includes(sheet.name) && handles.worksheet.protection.protected) {
      protectedSheets.add(sheet.name);
      protectionOptions.set(sheet.name, handles.worksheet.protection.options);
    }
  }
  for (const [name, worksheet] of pending.outputSheets) {
    if (names.includes(name) && worksheet.protection.protected) {
      protectedSheets.add(name);
      protectionOptions.set(name, worksheet.protection.options);
    }
  }
  return { ...read, previousMarks: marks, existingSheets: new Set(names), protectedSheets, protectionOptions };
}

/**
 * Queue, sync, read: the whole read of a validation in one call (two round trips only for a renamed sheet). When
 * Excel refuses an answer as too large, the read starts over with the used ranges' sizes and reads them in blocks.
 */
export async function readFromHost(
  context: HostContext,
  template: TemplateDef,
  envelope: Envelope = {},
): Promise<ReadOutcome> {
  try {
    const pending = queueRead(context, template);
    await context.sync();
    return await readAfterSync(context, pending, envelope);
  } catch (error) {
    if (!isResponseTooLarge(error)) throw error;
  }
  const sized = queueRead(context, template, false);
  await context.sync();
  return readAfterSync(context, sized, envelope);
}
