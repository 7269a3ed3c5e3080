import { type CellStyle, toExcelCell } from '../../shared/consolidation/cells.ts';
import {
  type Area,
  areaAddress,
  cellAddress,
  columnLetter,
  type SheetModel,
  type WorkbookModel,
} from '../../shared/consolidation/model.ts';
import {
  EXCEL_WEB_REQUEST_LIMIT,
  operationBytes,
  type PathStep,
  REQUEST_ENVELOPE_BYTES,
  rangeWriteBytes,
  utf8Length,
} from '../excel/batch.ts';
import { COLORS } from '../excel/layout.ts';
import type { RegionalContext, RegionalRun, RegionalWorksheet } from './host.ts';

/**
 * Draws a workbook model with Office.js in as few round trips as the payload allows.
 *
 * Round trips: one to learn which sheets exist, then the writes. Office.js sends every command queued before a
 * `context.sync()` as ONE request, and Excel on the web refuses a request over 5 MB. So the commands are planned first,
 * each with an upper bound of the bytes Office.js serialises for it (addin/excel/batch.ts, checked against the real
 * library in test/regional/render.test.ts), and packed greedily into requests within the limit. Large sheets are
 * written in row blocks so that no single command is near the limit. 600 ATS take as many requests as their size
 * needs, each still under the limit.
 */

export { EXCEL_WEB_REQUEST_LIMIT };
export const DEFAULT_MAX_REQUEST_BYTES = EXCEL_WEB_REQUEST_LIMIT;
/** A row block's estimated size: small enough that packing wastes little of a request. */
export const DEFAULT_MAX_BLOCK_BYTES = 512 * 1024;
/** Excel's column width unit is points; a character of the default font is about 7 points wide. */
const POINTS_PER_CHARACTER = 7;
const MAX_NOTE_LENGTH = 1000;

const STYLE_COLOR: Record<Exclude<CellStyle, 'header'>, string> = {
  missing: '#F8CBAD',
  error: COLORS.error,
  warning: COLORS.warning,
  ok: '#E2EFDA',
};

export type Command =
  | { readonly kind: 'replaceSheet'; readonly sheet: string; readonly temporary: string; readonly exists: boolean }
  | {
      readonly kind: 'write';
      readonly sheet: string;
      readonly address: string;
      readonly numberFormat: string[][];
      readonly values: (string | number)[][];
    }
  | { readonly kind: 'fill'; readonly sheet: string; readonly address: string; readonly color: string }
  | { readonly kind: 'header'; readonly sheet: string; readonly address: string }
  | { readonly kind: 'width'; readonly sheet: string; readonly address: string; readonly width: number }
  | { readonly kind: 'freeze'; readonly sheet: string; readonly rows: number }
  | { readonly kind: 'note'; readonly sheet: string; readonly address: string; readonly text: string }
  | {
      readonly kind: 'chart';
      readonly sheet: string;
      readonly type: 'ColumnClustered' | 'BarClustered';
      readonly title: string;
      readonly data: string;
      readonly categories: string;
      readonly lineSeries: readonly number[];
      readonly seriesCount: number;
      readonly topLeft: string;
      readonly bottomRight: string;
    }
  | { readonly kind: 'activate'; readonly sheet: string };

/**
 * A sheet as a request reaches it: by name, or, once added in an earlier request, by the id Excel gave it (a braced
 * GUID, 38 characters); the longer of the two is counted.
 */
function sheetStep(name: string): PathStep {
  const id = '{00000000-0000-0000-0000-000000000000}';
  return { indexer: [utf8Length(name) > id.length ? name : id] };
}

/** An object passed as an argument travels as its object path id, listed again in ReferencedObjectPathIds. */
const REFERENCE_ARGUMENT_BYTES = ',"ReferencedObjectPathIds":[9999999]'.length + 8;

/** The upper bound of what a command adds to a request, as Office.js serialises it (see addin/excel/batch.ts). */
export function commandBytes(command: Command): number {
  switch (command.kind) {
    case 'replaceSheet': {
      const added = operationBytes(
        [{ method: 'Add', args: [command.exists ? command.temporary : command.sheet] }],
        null,
      );
      if (!command.exists) return added;
      return (
        added +
        operationBytes([sheetStep(command.sheet)], { call: 'Delete', args: [] }) +
        operationBytes([], { set: 'Name', value: command.sheet })
      );
    }
    case 'write': {
      const range = [sheetStep(command.sheet), { method: 'GetRange', args: [command.address] }];
      return (
        rangeWriteBytes(range, 'NumberFormat', command.numberFormat) + rangeWriteBytes([], 'Values', command.values)
      );
    }
    case 'fill':
      return operationBytes(
        [
          sheetStep(command.sheet),
          { method: 'GetRange', args: [command.address] },
          { property: 'Format' },
          { property: 'Fill' },
        ],
        { set: 'Color', value: command.color },
      );
    case 'header':
      return (
        operationBytes(
          [
            sheetStep(command.sheet),
            { method: 'GetRange', args: [command.address] },
            { property: 'Format' },
            { property: 'Font' },
          ],
          { set: 'Bold', value: true },
        ) +
        operationBytes([{ property: 'Fill' }], { set: 'Color', value: COLORS.header }) +
        operationBytes([], { set: 'Color', value: COLORS.headerFont }) +
        operationBytes([], { set: 'WrapText', value: true })
      );
    case 'width':
      return operationBytes(
        [sheetStep(command.sheet), { method: 'GetRange', args: [command.address] }, { property: 'Format' }],
        { set: 'ColumnWidth', value: command.width },
      );
    case 'freeze':
      return operationBytes([sheetStep(command.sheet), { property: 'FreezePanes' }], {
        call: 'FreezeRows',
        args: [command.rows],
      });
    case 'note':
      return operationBytes(
        [sheetStep(command.sheet), { property: 'Notes' }, { method: 'Add', args: [command.address, command.text] }],
        null,
      );
    case 'chart': {
      const reference = 9_999_999;
      let bytes =
        operationBytes([sheetStep(command.sheet), { method: 'GetRange', args: [command.data] }], null) +
        operationBytes([{ property: 'Charts' }, { method: 'Add', args: [command.type, reference, 'Columns'] }], null) +
        REFERENCE_ARGUMENT_BYTES +
        operationBytes([{ property: 'Title' }], { set: 'Text', value: command.title }) +
        operationBytes([{ method: 'GetRange', args: [command.categories] }], null) +
        operationBytes([], { call: 'SetPosition', args: [command.topLeft, command.bottomRight] });
      for (let index = 0; index < command.seriesCount; index++) {
        bytes +=
          operationBytes([{ property: 'Series' }, { method: 'GetItemAt', args: [index] }], {
            call: 'SetXAxisValues',
            args: [reference],
          }) + REFERENCE_ARGUMENT_BYTES;
        if (command.lineSeries.includes(index)) bytes += operationBytes([], { set: 'ChartType', value: 'Line' });
      }
      return bytes;
    }
    case 'activate':
      return operationBytes([sheetStep(command.sheet)], { call: 'Activate', args: [] });
  }
}

export interface RenderOptions {
  readonly maxRequestBytes?: number;
  readonly maxBlockBytes?: number;
  /** Cell notes (ExcelApi 1.18) for the marks' messages; without them the marks are fills and "Rilievi" lists all. */
  readonly notes?: boolean;
  /** The sheet to show at the end. */
  readonly activate?: string;
}

/** Consecutive cells of a row with the same style, as ranges to fill. */
function styleRuns(sheet: SheetModel): Array<{ address: string; style: CellStyle }> {
  const runs: Array<{ address: string; style: CellStyle }> = [];
  sheet.rows.forEach((row, rowIndex) => {
    let start = 0;
    for (let column = 1; column <= row.length; column++) {
      const previous = row[start]?.style;
      if (column < row.length && row[column]?.style === previous) continue;
      if (previous !== undefined) {
        const area: Area = { firstRow: rowIndex, lastRow: rowIndex, firstColumn: start, lastColumn: column - 1 };
        runs.push({ address: areaAddress(area), style: previous });
      }
      start = column;
    }
  });
  return runs;
}

/** Row blocks of a sheet's cells, each estimated under `maxBlockBytes`. */
function writeCommands(sheet: SheetModel, maxBlockBytes: number): Command[] {
  const commands: Command[] = [];
  const width = sheet.columns.length;
  if (width === 0) return commands;
  let values: (string | number)[][] = [];
  let formats: string[][] = [];
  let blockStart = 0;
  let blockBytes = 0;
  const flush = (endRow: number): void => {
    if (values.length === 0) return;
    const address = areaAddress({ firstRow: blockStart, lastRow: endRow, firstColumn: 0, lastColumn: width - 1 });
    commands.push({ kind: 'write', sheet: sheet.name, address, numberFormat: formats, values });
    values = [];
    formats = [];
    blockBytes = 0;
  };
  sheet.rows.forEach((row, rowIndex) => {
    const excelRow = row.map(toExcelCell);
    const rowValues = excelRow.map((cell) => cell.value);
    const rowFormats = excelRow.map((cell) => cell.numberFormat);
    const rowBytes = utf8Length(JSON.stringify(rowValues)) + utf8Length(JSON.stringify(rowFormats));
    if (values.length > 0 && blockBytes + rowBytes > maxBlockBytes) flush(rowIndex - 1);
    if (values.length === 0) blockStart = rowIndex;
    values.push(rowValues);
    formats.push(rowFormats);
    blockBytes += rowBytes;
  });
  flush(sheet.rows.length - 1);
  return commands;
}

function temporaryName(index: number, taken: ReadonlySet<string>): string {
  let attempt = 0;
  let name = `~regionale_${index}`;
  while (taken.has(name)) name = `~regionale_${index}_${++attempt}`;
  return name;
}

/** Every command that draws the model, in order. Pure: the plan is tested without a host. */
export function planCommands(
  model: WorkbookModel,
  existing: ReadonlySet<string>,
  options: RenderOptions = {},
): Command[] {
  const maxBlockBytes = options.maxBlockBytes ?? DEFAULT_MAX_BLOCK_BYTES;
  const commands: Command[] = [];
  const taken = new Set([...existing, ...model.sheets.map((sheet) => sheet.name)]);
  model.sheets.forEach((sheet, index) => {
    commands.push({
      kind: 'replaceSheet',
      sheet: sheet.name,
      temporary: temporaryName(index, taken),
      exists: existing.has(sheet.name),
    });
  });
  for (const sheet of model.sheets) {
    commands.push(...writeCommands(sheet, maxBlockBytes));
  }
  for (const sheet of model.sheets) {
    const width = sheet.columns.length;
    if (width > 0 && sheet.freezeRows > 0) commands.push({ kind: 'freeze', sheet: sheet.name, rows: sheet.freezeRows });
    sheet.columns.forEach((column, index) => {
      const letter = columnLetter(index);
      // A column's width is set through any of its cells; the header cell keeps the command small.
      commands.push({
        kind: 'width',
        sheet: sheet.name,
        address: `${letter}1`,
        width: column.width * POINTS_PER_CHARACTER,
      });
    });
    for (const run of styleRuns(sheet)) {
      if (run.style === 'header') {
        commands.push({ kind: 'header', sheet: sheet.name, address: run.address });
        continue;
      }
      commands.push({ kind: 'fill', sheet: sheet.name, address: run.address, color: STYLE_COLOR[run.style] });
    }
    // An error wins over a warning on the same cell, as in the ATS's own workbook.
    const worst = new Map<string, { severity: 'error' | 'warning'; messages: string[] }>();
    for (const mark of sheet.marks) {
      const address = cellAddress(mark.row, mark.column);
      const entry = worst.get(address) ?? { severity: mark.severity, messages: [] };
      if (mark.severity === 'error') entry.severity = 'error';
      entry.messages.push(`${mark.rule}: ${mark.message}`);
      worst.set(address, entry);
    }
    for (const [address, entry] of worst) {
      commands.push({ kind: 'fill', sheet: sheet.name, address, color: STYLE_COLOR[entry.severity] });
      if (options.notes) {
        const text = entry.messages.join('\n');
        commands.push({
          kind: 'note',
          sheet: sheet.name,
          address,
          text: text.length > MAX_NOTE_LENGTH ? `${text.slice(0, MAX_NOTE_LENGTH - 1)}…` : text,
        });
      }
    }
    for (const chart of sheet.charts) {
      commands.push({
        kind: 'chart',
        sheet: sheet.name,
        type: chart.type === 'columnClustered' ? 'ColumnClustered' : 'BarClustered',
        title: chart.title,
        data: areaAddress(chart.data),
        categories: areaAddress(chart.categories),
        lineSeries: chart.lineSeries,
        seriesCount: chart.data.lastColumn - chart.data.firstColumn + 1,
        topLeft: cellAddress(chart.anchor.row, chart.anchor.column),
        bottomRight: cellAddress(chart.anchor.row + chart.size.rows, chart.anchor.column + chart.size.columns),
      });
    }
  }
  const first = options.activate ?? model.sheets[0]?.name;
  if (first) commands.push({ kind: 'activate', sheet: first });
  return commands;
}

/** Greedy packing of commands, in order, into requests of at most `maxBytes` each (the envelope included). */
export function packRequests(commands: readonly Command[], maxBytes: number): Command[][] {
  const requests: Command[][] = [];
  let current: Command[] = [];
  let size = REQUEST_ENVELOPE_BYTES;
  for (const command of commands) {
    const bytes = commandBytes(command);
    if (bytes + REQUEST_ENVELOPE_BYTES > maxBytes) {
      throw new Error(`Un comando di ${bytes} byte supera il limite di ${maxBytes} byte per richiesta.`);
    }
    if (current.length > 0 && size + bytes > maxBytes) {
      requests.push(current);
      current = [];
      size = REQUEST_ENVELOPE_BYTES;
    }
    current.push(command);
    size += bytes;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

function apply(command: Command, context: RegionalContext, sheets: Map<string, RegionalWorksheet>): void {
  const sheet = (name: string): RegionalWorksheet => {
    const found = sheets.get(name);
    if (found) return found;
    const existing = context.workbook.worksheets.getItem(name);
    sheets.set(name, existing);
    return existing;
  };
  switch (command.kind) {
    case 'replaceSheet': {
      // Add first, then delete the old sheet and take its name: a workbook may never be left without a sheet.
      const added = context.workbook.worksheets.add(command.exists ? command.temporary : command.sheet);
      if (command.exists) {
        context.workbook.worksheets.getItem(command.sheet).delete();
        added.name = command.sheet;
      }
      sheets.set(command.sheet, added);
      return;
    }
    case 'write': {
      const range = sheet(command.sheet).getRange(command.address);
      // Formats before values: a text cell must already be text when its value arrives.
      range.numberFormat = command.numberFormat;
      range.values = command.values;
      return;
    }
    case 'fill':
      sheet(command.sheet).getRange(command.address).format.fill.color = command.color;
      return;
    case 'header': {
      const format = sheet(command.sheet).getRange(command.address).format;
      format.font.bold = true;
      format.fill.color = COLORS.header;
      format.font.color = COLORS.headerFont;
      format.wrapText = true;
      return;
    }
    case 'width':
      sheet(command.sheet).getRange(command.address).format.columnWidth = command.width;
      return;
    case 'freeze':
      sheet(command.sheet).freezePanes.freezeRows(command.rows);
      return;
    case 'note':
      sheet(command.sheet).notes?.add(command.address, command.text);
      return;
    case 'chart': {
      const target = sheet(command.sheet);
      const chart = target.charts.add(command.type, target.getRange(command.data), 'Columns');
      chart.title.text = command.title;
      const categories = target.getRange(command.categories);
      for (let index = 0; index < command.seriesCount; index++) {
        const series = chart.series.getItemAt(index);
        series.setXAxisValues(categories);
        if (command.lineSeries.includes(index)) series.chartType = 'Line';
      }
      chart.setPosition(command.topLeft, command.bottomRight);
      return;
    }
    case 'activate':
      sheet(command.sheet).activate();
      return;
  }
}

export interface RenderReport {
  /** context.sync() calls, the first (reading sheet names) included. */
  readonly syncs: number;
  /** Upper bound of the bytes of each write request, its envelope included. */
  readonly requestBytes: readonly number[];
  readonly commands: number;
  readonly cells: number;
}

/** Draws the model in one Excel.run: one sync to read sheet names, then one per packed request. */
export async function renderWorkbook(
  run: RegionalRun,
  model: WorkbookModel,
  options: RenderOptions = {},
): Promise<RenderReport> {
  const maxBytes = Math.min(options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES, EXCEL_WEB_REQUEST_LIMIT);
  return run(async (context) => {
    const worksheets = context.workbook.worksheets;
    worksheets.load('items/name');
    await context.sync();
    const existing = new Set(worksheets.items.map((item) => item.name));
    const commands = planCommands(model, existing, options);
    const requests = packRequests(commands, maxBytes);
    const sheets = new Map<string, RegionalWorksheet>();
    for (const request of requests) {
      for (const command of request) apply(command, context, sheets);
      await context.sync();
    }
    return {
      syncs: 1 + requests.length,
      requestBytes: requests.map((request) =>
        request.reduce((total, command) => total + commandBytes(command), REQUEST_ENVELOPE_BYTES),
      ),
      commands: commands.length,
      cells: model.sheets.reduce((total, sheet) => total + sheet.rows.length * sheet.columns.length, 0),
    };
  });
}
