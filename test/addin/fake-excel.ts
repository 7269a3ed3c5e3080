import { utf8Length } from '../../addin/excel/batch.ts';
import type {
  CellScalar,
  ExcelRun,
  HostConditionalFormat,
  HostContext,
  HostDataValidation,
  HostNames,
  HostNotes,
  HostProtection,
  HostProtectionOptions,
  HostRange,
  HostRangeFormat,
  HostWorksheet,
  HostWorksheets,
} from '../../addin/excel/host.ts';
import { EXCEL_WEB_RESPONSE_LIMIT, RESPONSE_TOO_LARGE } from '../../addin/excel/read-blocks.ts';
import type { RequestMeter } from '../support/request-meter.ts';

/**
 * A fake Excel host implementing exactly the surface of addin/excel/host.ts, with Excel's proxy semantics where the
 * add-in could get them wrong:
 * - a property can be read only after load() and a sync() (PropertyNotLoaded otherwise), and reading a null object's
 *   properties throws;
 * - writes are queued and applied at sync(), where a values/formulas/numberFormat array whose shape differs from the
 *   range fails the batch with InvalidArgument, as a write into a locked cell of a protected sheet fails with
 *   AccessDenied and a second note on a cell fails with InvalidArgument;
 * - sync() calls are counted.
 * Formulas are stored, not evaluated. No Node imports: the browser test bundles this file into the page.
 *
 * Worksheet protection follows Excel's documented rules (Excel.WorksheetProtection and WorksheetProtectionOptions in
 * @types/office-js; the VBA Protection.Allow* pages for what a user may do on a protected sheet):
 * - a cell is locked unless it or its whole column was unlocked (Excel's default style is locked), and on a protected
 *   sheet writing values, formulas or number formats into a locked cell fails with AccessDenied;
 * - formatting cells needs allowFormatCells, column widths need allowFormatColumns, the lock itself cannot change,
 *   data validation and conditional formats cannot change, notes need allowEditObjects;
 * - protect() on a protected sheet fails; unprotect() of a sheet protected with a password fails with InvalidArgument
 *   unless given that password (as pauseProtection documents for a wrong password);
 * - what a user does by hand is modelled too (typeValues, sortRows, insertRows, deleteRows): typing into a locked
 *   cell is refused, sorting needs allowSort and only unlocked cells ("Sorting can only be performed on unlocked or
 *   unprotected cells in a protected worksheet"), inserting rows needs allowInsertRows, deleting rows needs
 *   allowDeleteRows and rows whose every cell is unlocked ("The rows containing the cells to be deleted must be
 *   unlocked when the sheet is protected").
 */

export class FakeExcelError extends Error {
  constructor(
    readonly code:
      | 'PropertyNotLoaded'
      | 'InvalidArgument'
      | 'ItemNotFound'
      | 'ItemAlreadyExists'
      | 'AccessDenied'
      | typeof RESPONSE_TOO_LARGE,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'OfficeExtension.Error';
  }
}

export interface FakeCell {
  value: CellScalar;
  formula?: string;
  numberFormat?: string;
  fill?: string;
  bold?: boolean;
  fontColor?: string;
  locked?: boolean;
}

/** Excel.WorksheetProtectionOptions (ExcelApi 1.2), every option false unless given, as Excel does. */
export interface FakeProtectionOptions extends HostProtectionOptions {
  // The two options of Excel's that the add-in never sets, modelled so a test can protect a sheet as a user would.
  allowEditScenarios?: boolean;
  selectionMode?: 'Normal' | 'Unlocked' | 'None';
}

/** Formats set on whole columns (Excel keeps them on the column, not on a million cells). */
export interface FakeColumnFormat {
  locked?: boolean;
  numberFormat?: string;
  fill?: string;
}

export interface FakeConditionalFormat {
  address: string;
  formula: string;
  fill: string;
}

export interface FakeSheet {
  name: string;
  visibility: 'Visible' | 'Hidden' | 'VeryHidden';
  tabColor: string;
  protected: boolean;
  /** The options of the current protection (empty when the sheet is not protected). */
  protectionOptions: FakeProtectionOptions;
  /** The protection password, null when protected without one (or not protected). */
  password: string | null;
  readonly columnFormats: Map<number, FakeColumnFormat>;
  frozenRows: number;
  readonly cells: Map<string, FakeCell>;
  readonly conditionalFormats: FakeConditionalFormat[];
  readonly validations: FakeValidation[];
  readonly notes: Map<string, string>;
  readonly columnWidths: Map<number, number>;
}

/**
 * What Excel does with a scalar written through `values` or `formulas`: a string starting with "=" becomes a formula,
 * a leading apostrophe is Excel's quote prefix and is not part of the value, anything else is stored as it is.
 */
function writeCellInput(cell: FakeCell, value: unknown): void {
  delete cell.formula;
  if (typeof value === 'string' && value.startsWith('=')) {
    cell.formula = value;
    cell.value = '';
  } else if (typeof value === 'string' && value.startsWith("'")) {
    cell.value = value.slice(1);
  } else {
    cell.value = (value ?? '') as CellScalar;
  }
}

interface Box {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

export function letters(index: number): string {
  let text = '';
  let rest = index + 1;
  while (rest > 0) {
    const remainder = (rest - 1) % 26;
    text = String.fromCharCode(65 + remainder) + text;
    rest = Math.floor((rest - 1) / 26);
  }
  return text;
}

function columnOf(text: string): number {
  let value = 0;
  for (const char of text) value = value * 26 + (char.charCodeAt(0) - 64);
  return value - 1;
}

/** "B3", "A1:C4" or "B:B"/"2:5"; 0-based inclusive box. */
export function parseAddress(address: string): Box {
  const local = address.includes('!') ? (address.split('!').pop() ?? '') : address;
  const [first = '', second] = local.replace(/\$/g, '').toUpperCase().split(':');
  const part = (text: string): { row?: number; column?: number } => {
    const match = /^([A-Z]*)(\d*)$/.exec(text);
    if (!match) throw new FakeExcelError('InvalidArgument', `indirizzo non valido: ${address}`);
    return {
      ...(match[1] ? { column: columnOf(match[1]) } : {}),
      ...(match[2] ? { row: Number(match[2]) - 1 } : {}),
    };
  };
  const a = part(first);
  const b = part(second ?? first);
  if (a.row === undefined && a.column === undefined) throw new FakeExcelError('InvalidArgument', address);
  return {
    top: a.row ?? 0,
    left: a.column ?? 0,
    bottom: b.row ?? (a.row === undefined ? MAX_ROWS - 1 : (b.row ?? a.row)),
    right: b.column ?? (a.column === undefined ? MAX_COLUMNS - 1 : (b.column ?? a.column)),
  };
}

function formatAddress(box: Box): string {
  const start = `${letters(box.left)}${box.top + 1}`;
  const end = `${letters(box.right)}${box.bottom + 1}`;
  return start === end ? start : `${start}:${end}`;
}

const key = (row: number, column: number): string => `${row},${column}`;

/** Whether a box spans every row of the sheet ("B:D"): its formats belong to the columns. */
const wholeColumns = (box: Box): boolean => box.top === 0 && box.bottom === MAX_ROWS - 1;

/** A cell is locked unless it, or its whole column, was unlocked: Excel's Normal style is locked. */
export function isLocked(sheet: FakeSheet, row: number, column: number): boolean {
  return sheet.cells.get(key(row, column))?.locked ?? sheet.columnFormats.get(column)?.locked ?? true;
}

/** Excel's refusal of a change to a locked cell, with the cell named for the test's failure message. */
function protectedCell(sheet: FakeSheet, row: number, column: number): FakeExcelError {
  return new FakeExcelError(
    'AccessDenied',
    `la cella ${letters(column)}${row + 1} del foglio protetto ${sheet.name} è bloccata`,
  );
}

function assertCellsUnlocked(sheet: FakeSheet, box: Box): void {
  if (!sheet.protected) return;
  for (let column = box.left; column <= box.right; column++) {
    // A whole unlocked column with no locked cell of its own is unlocked without visiting a million rows.
    if (wholeColumns(box) && sheet.columnFormats.get(column)?.locked === false) {
      for (const [cellKey, cell] of sheet.cells) {
        const [row = 0, cellColumn = 0] = cellKey.split(',').map(Number);
        if (cellColumn === column && cell.locked === true) throw protectedCell(sheet, row, column);
      }
      continue;
    }
    for (let row = box.top; row <= box.bottom; row++) {
      if (isLocked(sheet, row, column)) throw protectedCell(sheet, row, column);
    }
  }
}

/** Moves every cell and note at or below row `from` by `shift` rows (the caller removes deleted rows first). */
function shiftRows(sheet: FakeSheet, from: number, shift: number): void {
  const cells = [...sheet.cells];
  sheet.cells.clear();
  for (const [cellKey, cell] of cells) {
    const [row = 0, column = 0] = cellKey.split(',').map(Number);
    sheet.cells.set(row < from ? cellKey : key(row + shift, column), cell);
  }
  const notes = [...sheet.notes];
  sheet.notes.clear();
  for (const [address, text] of notes) {
    const box = parseAddress(address);
    const row = box.top < from ? box.top : box.top + shift;
    sheet.notes.set(formatAddress({ ...box, top: row, bottom: row }), text);
  }
}

/** One data validation and the rectangle it applies to, as Excel keeps it (a `<dataValidation sqref>`). */
export interface FakeValidation {
  address: string;
  rule?: unknown;
  prompt?: unknown;
  errorAlert?: unknown;
}

const overlaps = (a: Box, b: Box): boolean =>
  a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom;

/** The parts of `box` outside `cut`, as at most four rectangles (above, below, then left and right of it). */
function boxMinus(box: Box, cut: Box): Box[] {
  if (!overlaps(box, cut)) return [box];
  const parts: Box[] = [];
  if (box.top < cut.top) parts.push({ ...box, bottom: cut.top - 1 });
  if (box.bottom > cut.bottom) parts.push({ ...box, top: cut.bottom + 1 });
  const band = { top: Math.max(box.top, cut.top), bottom: Math.min(box.bottom, cut.bottom) };
  if (box.left < cut.left) parts.push({ ...band, left: box.left, right: cut.left - 1 });
  if (box.right > cut.right) parts.push({ ...band, left: cut.right + 1, right: box.right });
  return parts;
}

/** Clears validation from the cells of `box`: validations reaching outside it keep their other cells. */
function removeValidations(sheet: FakeSheet, box: Box): void {
  const kept = sheet.validations.flatMap((validation) =>
    boxMinus(parseAddress(validation.address), box).map((part) => ({ ...validation, address: formatAddress(part) })),
  );
  sheet.validations.splice(0, sheet.validations.length, ...kept);
}

/** The validation a cell ("G100000") has, as Excel applies it; undefined when none. */
export function validationAt(sheet: FakeSheet, cellAddress: string): FakeValidation | undefined {
  const cell = parseAddress(cellAddress);
  return sheet.validations.find((validation) => overlaps(parseAddress(validation.address), cell));
}

function newSheet(name: string): FakeSheet {
  return {
    name,
    visibility: 'Visible',
    tabColor: '',
    protected: false,
    protectionOptions: {},
    password: null,
    columnFormats: new Map(),
    frozenRows: 0,
    cells: new Map(),
    conditionalFormats: [],
    validations: [],
    notes: new Map(),
    columnWidths: new Map(),
  };
}

export interface FakeWorkbookOptions {
  /** Whether the host has ExcelApi 1.18 notes; without, touching `notes` throws like an old Excel. */
  readonly notes?: boolean;
  /**
   * Measures every request with Microsoft's Office.js (test/support/office-request.ts) and fails one over Excel on the
   * web's 5 MB, as Excel refuses it. Node only; the browser test page runs without.
   */
  readonly meter?: RequestMeter;
}

/** The workbook state, inspectable by tests, plus the run function the add-in code receives. */
export class FakeWorkbook {
  readonly sheets: FakeSheet[] = [];
  /** Defined names (upper case, as Excel compares them) → what they refer to. */
  readonly names = new Map<string, string>();
  syncCount = 0;
  selection: { sheet: string; address: string } | null = null;
  activeSheet: string | null = null;
  readonly supportsNotes: boolean;
  readonly meter: RequestMeter | undefined;

  constructor(options: FakeWorkbookOptions = {}) {
    this.supportsNotes = options.notes ?? true;
    this.meter = options.meter;
  }

  /** Bytes of every request measured so far (empty without a meter). */
  get requestBytes(): readonly number[] {
    return this.meter?.requestBytes ?? [];
  }

  /**
   * Per sync that loaded anything and was answered, the bytes of the loaded values as JSON: a lower bound of Excel's
   * response, which wraps them in its own result objects (the library only parses responses, so there is no Microsoft
   * serialiser to measure it with). Over Excel on the web's 5 MB the sync fails with ResponsePayloadSizeLimitExceeded,
   * as Excel's does, and nothing is loaded; `refusedResponses` counts those.
   */
  readonly responseBytes: number[] = [];
  refusedResponses = 0;

  sheet(name: string): FakeSheet | undefined {
    return this.sheets.find((sheet) => sheet.name === name);
  }

  /** Test setup: add a sheet directly (no round trip). */
  addSheet(name: string): FakeSheet {
    const sheet = newSheet(name);
    this.sheets.push(sheet);
    return sheet;
  }

  /** Test setup: put a 2D block of values at an address's top-left cell. */
  setValues(sheetName: string, topLeft: string, values: readonly (readonly CellScalar[])[]): void {
    const sheet = this.sheet(sheetName) ?? this.addSheet(sheetName);
    const box = parseAddress(topLeft);
    values.forEach((line, r) => {
      line.forEach((value, c) => {
        const cellKey = key(box.top + r, box.left + c);
        const existing = sheet.cells.get(cellKey);
        sheet.cells.set(cellKey, { ...existing, value });
      });
    });
  }

  value(sheetName: string, address: string): CellScalar | undefined {
    const box = parseAddress(address);
    return this.sheet(sheetName)?.cells.get(key(box.top, box.left))?.value;
  }

  cell(sheetName: string, address: string): FakeCell | undefined {
    const box = parseAddress(address);
    return this.sheet(sheetName)?.cells.get(key(box.top, box.left));
  }

  /** Test setup: protect a sheet as a user would (Review > Protect Sheet), optionally with a password. */
  protectSheet(sheetName: string, options: FakeProtectionOptions = {}, password?: string): void {
    const sheet = this.requireSheet(sheetName);
    sheet.protected = true;
    sheet.protectionOptions = { ...options };
    sheet.password = password ?? null;
  }

  /** A user typing or pasting a block at a top-left cell: a locked cell of a protected sheet refuses it. */
  typeValues(sheetName: string, topLeft: string, values: readonly (readonly CellScalar[])[]): void {
    const sheet = this.requireSheet(sheetName);
    const start = parseAddress(topLeft);
    const width = Math.max(0, ...values.map((line) => line.length));
    if (values.length === 0 || width === 0) return;
    assertCellsUnlocked(sheet, {
      top: start.top,
      left: start.left,
      bottom: start.top + values.length - 1,
      right: start.left + width - 1,
    });
    values.forEach((line, r) => {
      line.forEach((value, c) => {
        const cellKey = key(start.top + r, start.left + c);
        const cell = sheet.cells.get(cellKey) ?? { value: '' };
        writeCellInput(cell, value);
        sheet.cells.set(cellKey, cell);
      });
    });
  }

  /**
   * A user sorting the rows of a range by one of its columns (Data > Sort), empty cells last as Excel puts them.
   * Each row of the range moves whole, with its formats; cells outside the range stay where they are.
   */
  sortRows(
    sheetName: string,
    address: string,
    byColumn: string,
    order: 'Ascending' | 'Descending' = 'Ascending',
  ): void {
    const sheet = this.requireSheet(sheetName);
    const box = parseAddress(address);
    if (sheet.protected) {
      if (!sheet.protectionOptions.allowSort) {
        throw new FakeExcelError('AccessDenied', `l'ordinamento non è consentito nel foglio protetto ${sheet.name}`);
      }
      assertCellsUnlocked(sheet, box);
    }
    const sortColumn = parseAddress(`${byColumn}1`).left;
    if (sortColumn < box.left || sortColumn > box.right) {
      throw new FakeExcelError('InvalidArgument', `la colonna ${byColumn} non è nell'intervallo ${address}`);
    }
    const rows: Array<Array<FakeCell | undefined>> = [];
    for (let row = box.top; row <= box.bottom; row++) {
      const line: Array<FakeCell | undefined> = [];
      for (let column = box.left; column <= box.right; column++) line.push(sheet.cells.get(key(row, column)));
      rows.push(line);
    }
    const sortKey = (line: Array<FakeCell | undefined>) => line[sortColumn - box.left]?.value ?? '';
    const sign = order === 'Ascending' ? 1 : -1;
    rows.sort((left, right) => {
      const a = sortKey(left);
      const b = sortKey(right);
      if (a === '' || b === '') return a === b ? 0 : a === '' ? 1 : -1;
      // Excel sorts numbers before text, text without regard to case.
      if (typeof a === 'number' && typeof b === 'number') return sign * (a - b);
      if (typeof a === 'number') return -sign;
      if (typeof b === 'number') return sign;
      return sign * String(a).localeCompare(String(b), 'it', { sensitivity: 'base' });
    });
    rows.forEach((line, r) => {
      line.forEach((cell, c) => {
        const cellKey = key(box.top + r, box.left + c);
        if (cell) sheet.cells.set(cellKey, cell);
        else sheet.cells.delete(cellKey);
      });
    });
  }

  /** A user inserting whole rows before a 1-based row; the new rows take the formats of the row above, as Excel does. */
  insertRows(sheetName: string, beforeRow: number, count = 1): void {
    const sheet = this.requireSheet(sheetName);
    if (sheet.protected && !sheet.protectionOptions.allowInsertRows) {
      throw new FakeExcelError(
        'AccessDenied',
        `l'inserimento di righe non è consentito nel foglio protetto ${sheet.name}`,
      );
    }
    const from = beforeRow - 1;
    shiftRows(sheet, from, count);
    if (from === 0) return;
    for (const [cellKey, cell] of [...sheet.cells]) {
      const [row = 0, column = 0] = cellKey.split(',').map(Number);
      if (row !== from - 1) continue;
      const { value: _value, formula: _formula, ...formats } = cell;
      for (let offset = 0; offset < count; offset++)
        sheet.cells.set(key(from + offset, column), { value: '', ...formats });
    }
  }

  /** A user deleting whole 1-based rows: on a protected sheet every cell of them must be unlocked. */
  deleteRows(sheetName: string, firstRow: number, count = 1): void {
    const sheet = this.requireSheet(sheetName);
    const from = firstRow - 1;
    if (sheet.protected) {
      if (!sheet.protectionOptions.allowDeleteRows) {
        throw new FakeExcelError(
          'AccessDenied',
          `l'eliminazione di righe non è consentita nel foglio protetto ${sheet.name}`,
        );
      }
      assertCellsUnlocked(sheet, { top: from, left: 0, bottom: from + count - 1, right: MAX_COLUMNS - 1 });
    }
    for (const cellKey of [...sheet.cells.keys()]) {
      const row = Number(cellKey.split(',')[0]);
      if (row >= from && row < from + count) sheet.cells.delete(cellKey);
    }
    for (const address of [...sheet.notes.keys()]) {
      const row = parseAddress(address).top;
      if (row >= from && row < from + count) sheet.notes.delete(address);
    }
    shiftRows(sheet, from + count, -count);
  }

  private requireSheet(sheetName: string): FakeSheet {
    const sheet = this.sheet(sheetName);
    if (!sheet) throw new FakeExcelError('ItemNotFound', `foglio ${sheetName} inesistente`);
    return sheet;
  }

  readonly run: ExcelRun = async (batch) => {
    const context: HostContext = new FakeContext(this);
    return batch(this.meter ? this.meter.wrap(context) : context);
  };
}

type Op = () => void;

class FakeContext implements HostContext {
  readonly queue: Op[] = [];
  /** Each load computes its answer and returns how to deliver it, so a refused answer delivers nothing. */
  readonly loads: Array<() => () => void> = [];
  syncs = 0;
  readonly workbook: HostContext['workbook'];

  constructor(readonly book: FakeWorkbook) {
    this.workbook = {
      worksheets: new FakeWorksheets(this),
      names: new FakeNames(this),
      // Excel always has a selection: the last one made (a user's, or select()), else A1 of the first sheet.
      getSelectedRange: () => {
        const selection = book.selection ?? { sheet: book.sheets[0]?.name ?? '', address: 'A1' };
        return new FakeRange(this, new FakeWorksheet(this, selection.sheet, true), selection.address, true);
      },
    };
  }

  /** Bytes of loaded values in the current sync's answer. */
  answered = 0;

  async sync(): Promise<void> {
    this.book.syncCount++;
    this.syncs++;
    const ops = this.queue.splice(0);
    const loads = this.loads.splice(0);
    for (const op of ops) op();
    this.answered = 0;
    const deliveries = loads.map((load) => load());
    if (this.answered > EXCEL_WEB_RESPONSE_LIMIT) {
      this.book.refusedResponses++;
      throw new FakeExcelError(
        RESPONSE_TOO_LARGE,
        `una risposta di ${this.answered} byte supera il limite di ${EXCEL_WEB_RESPONSE_LIMIT} byte di Excel sul web`,
      );
    }
    for (const deliver of deliveries) deliver();
    if (loads.length > 0) this.book.responseBytes.push(this.answered);
  }
}

/** Shared machinery of proxies: loaded snapshot, null-object state, the PropertyNotLoaded rule. */
abstract class ClientProxy {
  protected readonly loaded = new Map<string, unknown>();
  protected resolvedNull: boolean | undefined;

  constructor(protected readonly context: FakeContext) {}

  protected abstract snapshot(name: string): unknown;
  protected abstract exists(): boolean;

  protected queueLoad(names: string | string[]): void {
    const list = (Array.isArray(names) ? names : names.split(',')).map((name) => name.trim());
    this.context.loads.push(() => {
      const isNull = !this.exists();
      const answer = isNull ? [] : list.map((name) => [name, this.snapshot(name)] as const);
      for (const [, value] of answer) this.context.answered += utf8Length(JSON.stringify(value));
      return () => {
        this.resolvedNull = isNull;
        for (const [name, value] of answer) this.loaded.set(name, value);
      };
    });
  }

  get isNullObject(): boolean {
    if (this.resolvedNull === undefined) {
      throw new FakeExcelError('PropertyNotLoaded', 'isNullObject letto prima di load() e sync()');
    }
    return this.resolvedNull;
  }

  protected read<T>(name: string): T {
    if (this.resolvedNull) throw new FakeExcelError('InvalidArgument', `${name} letto su un oggetto nullo`);
    if (!this.loaded.has(name)) throw new FakeExcelError('PropertyNotLoaded', `${name} non caricato`);
    return this.loaded.get(name) as T;
  }
}

/** Workbook-scoped defined names: add fails on a name already defined (ItemAlreadyExists), as Excel does. */
class FakeNames implements HostNames {
  constructor(private readonly context: FakeContext) {}

  add(name: string, reference: string): void {
    this.context.queue.push(() => {
      const names = this.context.book.names;
      if (names.has(name.toUpperCase())) throw new FakeExcelError('ItemAlreadyExists', `nome ${name} già definito`);
      names.set(name.toUpperCase(), reference);
    });
  }

  getItemOrNullObject(name: string): FakeNamedItem {
    return new FakeNamedItem(this.context, name);
  }
}

/** A defined name: a null object when the workbook does not define it (names compare case-insensitively). */
class FakeNamedItem extends ClientProxy {
  constructor(
    context: FakeContext,
    private readonly name: string,
  ) {
    super(context);
  }
  protected exists(): boolean {
    return this.context.book.names.has(this.name.toUpperCase());
  }
  protected snapshot(property: string): unknown {
    if (property === 'name') return this.name;
    if (property === 'formula') return this.context.book.names.get(this.name.toUpperCase());
    throw new FakeExcelError('InvalidArgument', `proprietà sconosciuta ${property}`);
  }
  load(names: string | string[]): FakeNamedItem {
    this.queueLoad(names);
    return this;
  }
}

class FakeWorksheets implements HostWorksheets {
  private loadedItems: HostWorksheet[] | undefined;

  constructor(private readonly context: FakeContext) {}

  get items(): HostWorksheet[] {
    if (!this.loadedItems) throw new FakeExcelError('PropertyNotLoaded', 'worksheets.items non caricato');
    return this.loadedItems;
  }

  load(_names: string | string[]): HostWorksheets {
    this.context.loads.push(() => {
      const items = this.context.book.sheets.map((sheet) => {
        const proxy = new FakeWorksheet(this.context, sheet.name, true);
        proxy.preload(['name']);
        return proxy;
      });
      return () => {
        this.loadedItems = items;
      };
    });
    return this;
  }

  add(name = `Foglio${this.context.book.sheets.length + 1}`): HostWorksheet {
    this.context.queue.push(() => {
      if (this.context.book.sheet(name)) throw new FakeExcelError('ItemAlreadyExists', `il foglio ${name} esiste`);
      if (name.length > 31) throw new FakeExcelError('InvalidArgument', `nome troppo lungo: ${name}`);
      this.context.book.addSheet(name);
    });
    return new FakeWorksheet(this.context, name, true);
  }

  getItem(name: string): HostWorksheet {
    return new FakeWorksheet(this.context, name, true);
  }

  getItemOrNullObject(name: string): HostWorksheet {
    return new FakeWorksheet(this.context, name, false);
  }
}

class FakeWorksheet extends ClientProxy implements HostWorksheet {
  readonly protection: HostProtection;
  readonly freezePanes: { freezeRows(count?: number): void };

  constructor(
    context: FakeContext,
    private readonly sheetName: string,
    /** getItem(): a missing sheet is an error at sync; getItemOrNullObject(): a null object. */
    private readonly required: boolean,
  ) {
    super(context);
    const sheet = (): FakeSheet => this.state();
    this.protection = new FakeProtection(context, sheet, () => this.exists());
    this.freezePanes = {
      freezeRows: (count = 1) => {
        context.queue.push(() => {
          sheet().frozenRows = count;
        });
      },
    };
  }

  /** For collection items, which come back loaded. */
  preload(names: string[]): void {
    this.resolvedNull = false;
    for (const name of names) this.loaded.set(name, this.snapshot(name));
  }

  protected exists(): boolean {
    return this.context.book.sheet(this.sheetName) !== undefined;
  }

  state(): FakeSheet {
    const sheet = this.context.book.sheet(this.sheetName);
    if (!sheet) throw new FakeExcelError('ItemNotFound', `foglio ${this.sheetName} inesistente`);
    return sheet;
  }

  protected snapshot(name: string): unknown {
    const sheet = this.state();
    if (name === 'name') return sheet.name;
    if (name === 'visibility') return sheet.visibility;
    if (name === 'tabColor') return sheet.tabColor;
    throw new FakeExcelError('InvalidArgument', `proprietà sconosciuta ${name}`);
  }

  /** Every operation on a null object's children is skipped, as Office.js does for null-object chains. */
  private op(action: Op): void {
    this.context.queue.push(() => {
      if (!this.required && !this.exists()) return;
      action();
    });
  }

  get name(): string {
    return this.read<string>('name');
  }
  get visibility(): 'Visible' | 'Hidden' | 'VeryHidden' {
    return this.read('visibility');
  }
  set visibility(value: 'Visible' | 'Hidden' | 'VeryHidden') {
    this.op(() => {
      this.state().visibility = value;
    });
  }
  get tabColor(): string {
    return this.read('tabColor');
  }
  set tabColor(value: string) {
    this.op(() => {
      this.state().tabColor = value;
    });
  }

  get notes(): HostNotes {
    if (!this.context.book.supportsNotes) {
      throw new FakeExcelError('InvalidArgument', 'notes richiede ExcelApi 1.18');
    }
    return new FakeNotes(this.context, () => this.state());
  }

  getRange(address?: string): HostRange {
    return new FakeRange(this.context, this, address ?? 'A1:XFD1048576', this.required);
  }

  getUsedRangeOrNullObject(valuesOnly = false): HostRange {
    return new FakeRange(this.context, this, { valuesOnly }, false);
  }

  activate(): void {
    this.op(() => {
      this.context.book.activeSheet = this.state().name;
    });
  }

  delete(): void {
    this.op(() => {
      const index = this.context.book.sheets.indexOf(this.state());
      this.context.book.sheets.splice(index, 1);
    });
  }

  load(names: string | string[]): HostWorksheet {
    this.queueLoad(names);
    return this;
  }

  sheetExists(): boolean {
    return this.exists();
  }
  isRequired(): boolean {
    return this.required;
  }
  queueOp(action: Op): void {
    this.op(action);
  }
}

class FakeProtection extends ClientProxy implements HostProtection {
  constructor(
    context: FakeContext,
    private readonly sheet: () => FakeSheet,
    private readonly sheetExists: () => boolean,
  ) {
    super(context);
  }
  protected exists(): boolean {
    return this.sheetExists();
  }
  protected snapshot(name: string): unknown {
    const sheet = this.sheet();
    if (name === 'protected') return sheet.protected;
    if (name === 'options') return { ...sheet.protectionOptions };
    if (name === 'isPasswordProtected') return sheet.password !== null;
    throw new FakeExcelError('InvalidArgument', `proprietà sconosciuta ${name}`);
  }
  get protected(): boolean {
    return this.read<boolean>('protected');
  }
  get options(): FakeProtectionOptions {
    return this.read<FakeProtectionOptions>('options');
  }
  get isPasswordProtected(): boolean {
    return this.read<boolean>('isPasswordProtected');
  }
  /** "Protects a worksheet. Fails if the worksheet has already been protected." */
  protect(options: FakeProtectionOptions = {}, password?: string): void {
    this.context.queue.push(() => {
      const sheet = this.sheet();
      if (sheet.protected) throw new FakeExcelError('InvalidArgument', `il foglio ${sheet.name} è già protetto`);
      sheet.protected = true;
      sheet.protectionOptions = { ...options };
      sheet.password = password ? password : null;
    });
  }
  /** Without the sheet's password Excel refuses, as pauseProtection documents for a wrong one (InvalidArgument). */
  unprotect(password?: string): void {
    this.context.queue.push(() => {
      const sheet = this.sheet();
      if (!sheet.protected) return;
      if (sheet.password !== null && password !== sheet.password) {
        throw new FakeExcelError('InvalidArgument', `password errata o mancante per il foglio ${sheet.name}`);
      }
      sheet.protected = false;
      sheet.protectionOptions = {};
      sheet.password = null;
    });
  }
  load(names: string | string[]): unknown {
    this.queueLoad(names);
    return this;
  }
}

/** Notes are objects of the sheet: on a protected sheet they change only with allowEditObjects. */
function assertObjectsEditable(sheet: FakeSheet): void {
  if (sheet.protected && !sheet.protectionOptions.allowEditObjects) {
    throw new FakeExcelError('AccessDenied', `note non modificabili nel foglio protetto ${sheet.name}`);
  }
}

class FakeNotes implements HostNotes {
  constructor(
    private readonly context: FakeContext,
    private readonly sheet: () => FakeSheet,
  ) {}
  add(cellAddress: string, content: string): unknown {
    this.context.queue.push(() => {
      assertObjectsEditable(this.sheet());
      const box = parseAddress(cellAddress);
      const address = formatAddress({ ...box, bottom: box.top, right: box.left });
      const notes = this.sheet().notes;
      if (notes.has(address)) throw new FakeExcelError('InvalidArgument', `la cella ${address} ha già una nota`);
      notes.set(address, content);
    });
    return {};
  }
  getItemOrNullObject(cellAddress: string): { delete(): void } {
    return {
      delete: () => {
        this.context.queue.push(() => {
          assertObjectsEditable(this.sheet());
          this.sheet().notes.delete(formatAddress(parseAddress(cellAddress)));
        });
      },
    };
  }
}

type RangeTarget = string | { valuesOnly: boolean };

class FakeRange extends ClientProxy implements HostRange {
  readonly format: HostRangeFormat;
  readonly dataValidation: HostDataValidation;
  readonly conditionalFormats: { add(type: 'Custom'): HostConditionalFormat; clearAll(): void };

  constructor(
    context: FakeContext,
    readonly worksheet: FakeWorksheet,
    private readonly target: RangeTarget,
    private readonly required: boolean,
  ) {
    super(context);
    if (typeof target === 'string') parseAddress(target);
    this.format = this.makeFormat();
    this.dataValidation = this.makeValidation();
    this.conditionalFormats = {
      add: (_type: 'Custom') => {
        const entry: FakeConditionalFormat = { address: '', formula: '', fill: '' };
        this.write(() => {
          const sheet = this.worksheet.state();
          if (sheet.protected)
            throw new FakeExcelError('AccessDenied', `formato condizionale su foglio protetto ${sheet.name}`);
          entry.address = formatAddress(this.box());
          this.worksheet.state().conditionalFormats.push(entry);
        });
        return {
          custom: {
            rule: {
              set formula(value: string) {
                entry.formula = value;
              },
              get formula(): string {
                throw new FakeExcelError('PropertyNotLoaded', 'formula');
              },
            },
            format: {
              fill: {
                set color(value: string) {
                  entry.fill = value;
                },
                get color(): string {
                  throw new FakeExcelError('PropertyNotLoaded', 'color');
                },
              },
              font: { color: '' },
            },
          },
        };
      },
      clearAll: () =>
        this.write(() => {
          const sheet = this.worksheet.state();
          if (sheet.protected)
            throw new FakeExcelError('AccessDenied', `formato condizionale su foglio protetto ${sheet.name}`);
          sheet.conditionalFormats.splice(0, sheet.conditionalFormats.length);
        }),
    };
  }

  protected exists(): boolean {
    if (!this.worksheet.sheetExists()) return false;
    return typeof this.target === 'string' || this.usedBox() !== null;
  }

  private usedCache: { readonly sync: number; readonly box: Box | null } | undefined;

  /** Computed once per sync: a load asks for several properties of the same used range. */
  private usedBox(): Box | null {
    if (this.usedCache?.sync === this.context.syncs) return this.usedCache.box;
    const box = this.scanUsedBox();
    this.usedCache = { sync: this.context.syncs, box };
    return box;
  }

  private scanUsedBox(): Box | null {
    const sheet = this.worksheet.state();
    let box: Box | null = null;
    for (const [cellKey, cell] of sheet.cells) {
      const hasValue = cell.formula !== undefined || (cell.value !== '' && cell.value !== undefined);
      const valuesOnly = typeof this.target !== 'string' && this.target.valuesOnly;
      if (valuesOnly ? !hasValue : !hasValue && cell.fill === undefined && cell.numberFormat === undefined) continue;
      const [row = 0, column = 0] = cellKey.split(',').map(Number);
      box = box
        ? {
            top: Math.min(box.top, row),
            left: Math.min(box.left, column),
            bottom: Math.max(box.bottom, row),
            right: Math.max(box.right, column),
          }
        : { top: row, left: column, bottom: row, right: column };
    }
    return box;
  }

  private box(): Box {
    if (typeof this.target === 'string') return parseAddress(this.target);
    const box = this.usedBox();
    if (!box) throw new FakeExcelError('ItemNotFound', 'intervallo usato vuoto');
    return box;
  }

  /** Queues a write; on a null object chain it is skipped, on a required sheet a missing sheet fails the batch. */
  private write(action: Op): void {
    this.context.queue.push(() => {
      if (!this.required && !this.exists()) return;
      action();
    });
  }

  private cells(box: Box, visit: (cell: FakeCell, row: number, column: number) => void, create = true): void {
    const sheet = this.worksheet.state();
    if (create && (box.bottom - box.top + 1) * (box.right - box.left + 1) > 5_000_000) {
      throw new FakeExcelError('InvalidArgument', 'intervallo troppo grande per il fake');
    }
    for (let row = box.top; row <= box.bottom; row++) {
      for (let column = box.left; column <= box.right; column++) {
        const cellKey = key(row, column);
        let cell = sheet.cells.get(cellKey);
        if (!cell) {
          if (!create) continue;
          cell = { value: '' };
          sheet.cells.set(cellKey, cell);
        }
        visit(cell, row, column);
      }
    }
  }

  private assertUnlocked(box: Box): void {
    assertCellsUnlocked(this.worksheet.state(), box);
  }

  /** Excel accepts one scalar for the whole range, or an array of exactly the range's shape. */
  private assign(name: string, input: unknown, apply: (cell: FakeCell, value: unknown) => void): void {
    this.write(() => {
      const box = this.box();
      const rows = box.bottom - box.top + 1;
      const columns = box.right - box.left + 1;
      const matrix = Array.isArray(input) ? (input as unknown[][]) : null;
      if (
        matrix &&
        (matrix.length !== rows || matrix.some((line) => !Array.isArray(line) || line.length !== columns))
      ) {
        throw new FakeExcelError(
          'InvalidArgument',
          `${name}: matrice ${matrix.length}×${(matrix[0] as unknown[] | undefined)?.length ?? 0} per un intervallo ${rows}×${columns}`,
        );
      }
      this.assertUnlocked(box);
      if (!matrix && name === 'numberFormat' && wholeColumns(box)) {
        // One format for whole columns is kept on the columns, as Excel does.
        this.styleBox(
          box,
          (cell) => apply(cell, input),
          (format) => {
            format.numberFormat = String(input);
          },
        );
        return;
      }
      this.cells(box, (cell, row, column) => {
        apply(cell, matrix ? matrix[row - box.top]?.[column - box.left] : input);
      });
    });
  }

  /** Applies a format to a box: on whole columns to the columns and the cells they already have, else cell by cell. */
  private styleBox(box: Box, apply: (cell: FakeCell) => void, applyColumn?: (format: FakeColumnFormat) => void): void {
    const sheet = this.worksheet.state();
    if (!wholeColumns(box) || !applyColumn) {
      this.cells(box, apply);
      return;
    }
    for (let column = box.left; column <= box.right; column++) {
      const format = sheet.columnFormats.get(column) ?? {};
      applyColumn(format);
      sheet.columnFormats.set(column, format);
    }
    for (const [cellKey, cell] of sheet.cells) {
      const column = Number(cellKey.split(',')[1]);
      if (column >= box.left && column <= box.right) apply(cell);
    }
  }

  protected snapshot(name: string): unknown {
    const box = this.box();
    switch (name) {
      case 'address':
        return `${this.worksheet.state().name}!${formatAddress(box)}`;
      case 'rowIndex':
        return box.top;
      case 'columnIndex':
        return box.left;
      case 'rowCount':
        return box.bottom - box.top + 1;
      case 'columnCount':
        return box.right - box.left + 1;
      case 'values':
      case 'formulas':
      case 'numberFormat': {
        const sheet = this.worksheet.state();
        const out: unknown[][] = [];
        for (let row = box.top; row <= box.bottom; row++) {
          const line: unknown[] = [];
          for (let column = box.left; column <= box.right; column++) {
            const cell = sheet.cells.get(key(row, column));
            if (name === 'values') line.push(cell?.value ?? '');
            else if (name === 'formulas') line.push(cell?.formula ?? cell?.value ?? '');
            else line.push(cell?.numberFormat ?? sheet.columnFormats.get(column)?.numberFormat ?? 'General');
          }
          out.push(line);
        }
        return out;
      }
      default:
        throw new FakeExcelError('InvalidArgument', `proprietà sconosciuta ${name}`);
    }
  }

  get address(): string {
    return this.read('address');
  }
  get rowIndex(): number {
    return this.read('rowIndex');
  }
  get columnIndex(): number {
    return this.read('columnIndex');
  }
  get rowCount(): number {
    return this.read('rowCount');
  }
  get columnCount(): number {
    return this.read('columnCount');
  }
  get values(): unknown[][] {
    return this.read('values');
  }
  set values(input: unknown[][]) {
    this.assign('values', input, writeCellInput);
  }
  get formulas(): unknown[][] {
    return this.read('formulas');
  }
  set formulas(input: unknown[][]) {
    this.assign('formulas', input, writeCellInput);
  }
  get numberFormat(): unknown[][] {
    return this.read('numberFormat');
  }
  set numberFormat(input: unknown[][]) {
    this.assign('numberFormat', input, (cell, value) => {
      cell.numberFormat = String(value);
    });
  }

  load(names: string | string[]): HostRange {
    this.queueLoad(names);
    return this;
  }

  clear(applyTo: 'All' | 'Formats' | 'Contents' = 'All'): void {
    this.write(() => {
      const box = this.box();
      const sheet = this.worksheet.state();
      for (const [cellKey, cell] of [...sheet.cells]) {
        const [row = 0, column = 0] = cellKey.split(',').map(Number);
        if (row < box.top || row > box.bottom || column < box.left || column > box.right) continue;
        if (applyTo === 'All') sheet.cells.delete(cellKey);
        else if (applyTo === 'Contents') {
          cell.value = '';
          delete cell.formula;
        } else {
          delete cell.fill;
          delete cell.numberFormat;
          delete cell.bold;
        }
      }
    });
  }

  select(): void {
    this.write(() => {
      this.context.book.selection = { sheet: this.worksheet.state().name, address: formatAddress(this.box()) };
    });
  }

  /**
   * Deleting whole rows, modelled as a user's deletion (FakeWorkbook.deleteRows): on a protected sheet Excel needs
   * allowDeleteRows and every cell of the rows unlocked. Other shapes are not modelled and fail loudly.
   */
  delete(shift: 'Up' | 'Left'): void {
    this.write(() => {
      const box = this.box();
      if (shift !== 'Up' || box.left !== 0 || box.right !== MAX_COLUMNS - 1) {
        throw new FakeExcelError(
          'InvalidArgument',
          `il fake elimina solo righe intere verso l'alto (${formatAddress(box)})`,
        );
      }
      this.context.book.deleteRows(this.worksheet.state().name, box.top + 1, box.bottom - box.top + 1);
    });
  }

  private makeFormat(): HostRangeFormat {
    // On a protected sheet: cell formats need allowFormatCells, widths allowFormatColumns, the lock never changes.
    const style = (
      permission: 'allowFormatCells' | 'allowFormatColumns' | 'never',
      apply: (cell: FakeCell) => void,
      applyColumn?: (format: FakeColumnFormat) => void,
    ) =>
      this.write(() => {
        const sheet = this.worksheet.state();
        if (sheet.protected && (permission === 'never' || !sheet.protectionOptions[permission])) {
          throw new FakeExcelError('AccessDenied', `formato non modificabile nel foglio protetto ${sheet.name}`);
        }
        this.styleBox(this.box(), apply, applyColumn);
      });
    const notLoaded = (name: string): never => {
      throw new FakeExcelError('PropertyNotLoaded', name);
    };
    const ignore = (): void => undefined;
    return {
      fill: {
        get color(): string {
          return notLoaded('format.fill.color');
        },
        set color(value: string) {
          style(
            'allowFormatCells',
            (cell) => {
              cell.fill = value;
            },
            (format) => {
              format.fill = value;
            },
          );
        },
        clear: () =>
          style(
            'allowFormatCells',
            (cell) => {
              delete cell.fill;
            },
            (format) => {
              delete format.fill;
            },
          ),
      },
      font: {
        get bold(): boolean {
          return notLoaded('format.font.bold');
        },
        set bold(value: boolean) {
          style(
            'allowFormatCells',
            (cell) => {
              cell.bold = value;
            },
            ignore,
          );
        },
        get color(): string {
          return notLoaded('format.font.color');
        },
        set color(value: string) {
          style(
            'allowFormatCells',
            (cell) => {
              cell.fontColor = value;
            },
            ignore,
          );
        },
      },
      get columnWidth(): number {
        return notLoaded('format.columnWidth');
      },
      set columnWidth(_value: number) {
        style('allowFormatColumns', ignore, ignore);
      },
      get wrapText(): boolean {
        return notLoaded('format.wrapText');
      },
      set wrapText(_value: boolean) {
        style('allowFormatCells', ignore, ignore);
      },
      protection: {
        get locked(): boolean {
          return notLoaded('format.protection.locked');
        },
        set locked(value: boolean) {
          style(
            'never',
            (cell) => {
              cell.locked = value;
            },
            (format) => {
              format.locked = value;
            },
          );
        },
      },
    };
  }

  private makeValidation(): HostDataValidation {
    // A cell has at most one validation, as in Excel: a rule set on a range replaces what its cells had.
    const entry = (): FakeValidation => {
      const sheet = this.worksheet.state();
      const address = formatAddress(this.box());
      let found = sheet.validations.find((candidate) => candidate.address === address);
      if (!found) {
        removeValidations(sheet, this.box());
        found = { address };
        sheet.validations.push(found);
      }
      return found;
    };
    const notLoaded = (name: string): never => {
      throw new FakeExcelError('PropertyNotLoaded', name);
    };
    // Data validation cannot change on a protected sheet, whatever its options.
    const write = (apply: () => void) =>
      this.write(() => {
        const sheet = this.worksheet.state();
        if (sheet.protected) {
          throw new FakeExcelError('AccessDenied', `convalida non modificabile nel foglio protetto ${sheet.name}`);
        }
        apply();
      });
    return {
      clear: () => write(() => removeValidations(this.worksheet.state(), this.box())),
      get rule() {
        return notLoaded('dataValidation.rule');
      },
      set rule(value) {
        write(() => {
          entry().rule = value;
        });
      },
      get errorAlert() {
        return notLoaded('dataValidation.errorAlert');
      },
      set errorAlert(value) {
        write(() => {
          entry().errorAlert = value;
        });
      },
      get prompt() {
        return notLoaded('dataValidation.prompt');
      },
      set prompt(value) {
        write(() => {
          entry().prompt = value;
        });
      },
      get ignoreBlanks(): boolean {
        return notLoaded('dataValidation.ignoreBlanks');
      },
      set ignoreBlanks(_value: boolean) {
        write(() => undefined);
      },
    };
  }
}
