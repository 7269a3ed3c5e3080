import type {
  RegionalChart,
  RegionalChartSeries,
  RegionalContext,
  RegionalRange,
  RegionalRun,
  RegionalWorksheet,
  RegionalWorksheets,
  WritableRange,
} from '../../addin/regional/host.ts';
import type { RequestMeter } from '../support/request-meter.ts';

/**
 * A fake Excel host for the regional surface (charts, sheet renaming, selection) with Excel's proxy semantics:
 * commands are queued and run at `sync()`, a property read before it was loaded and synced throws, a value matrix of
 * the wrong shape throws. With a meter (test/support/office-request.ts) each request is measured as Microsoft's
 * Office.js serialises it and one over Excel on the web's 5 MB fails the batch; without one (the browser page), each
 * sync's size is only approximated by the JSON of its queued commands.
 *
 * It also models what matters for formula injection: a string written through `values` that starts with "=", "+" or
 * "-" becomes a formula (as office-js documents) and reads back as "#FORMULA", a string with a leading apostrophe is
 * stored as text without it, and in a cell that is not formatted as text a numeric-looking string becomes a number.
 */

interface StoredCell {
  value: string | number | boolean;
  format: string;
  formula: string | null;
  fill: string | null;
}

export interface FakeChart {
  type: string;
  source: string;
  seriesCount: number;
  title: string;
  categories: Array<string | null>;
  seriesTypes: Array<string | null>;
  position: string | null;
}

export interface FakeSheet {
  name: string;
  cells: Map<string, StoredCell>;
  charts: FakeChart[];
  frozenRows: number;
  notes: Map<string, string>;
  columnWidths: Map<number, number>;
  boldCells: Set<string>;
}

interface Rect {
  readonly row: number;
  readonly column: number;
  readonly rows: number;
  readonly columns: number;
}

const MAX_ROWS = 1_048_576;

function parseColumn(letters: string): number {
  let value = 0;
  for (const char of letters) value = value * 26 + (char.charCodeAt(0) - 64);
  return value - 1;
}

export function parseAddress(address: string): Rect {
  const local = address.includes('!') ? (address.split('!').pop() ?? '') : address;
  const whole = /^([A-Z]+):([A-Z]+)$/.exec(local);
  if (whole) {
    const first = parseColumn(whole[1] ?? 'A');
    return { row: 0, column: first, rows: MAX_ROWS, columns: parseColumn(whole[2] ?? 'A') - first + 1 };
  }
  const match = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(local);
  if (!match) throw new Error(`InvalidArgument: address ${address}`);
  const row = Number(match[2]) - 1;
  const column = parseColumn(match[1] ?? 'A');
  const lastRow = match[4] ? Number(match[4]) - 1 : row;
  const lastColumn = match[3] ? parseColumn(match[3]) : column;
  return { row, column, rows: lastRow - row + 1, columns: lastColumn - column + 1 };
}

const key = (row: number, column: number): string => `${row},${column}`;

class NotLoaded extends Error {
  constructor(property: string) {
    super(`PropertyNotLoaded: ${property} was read before load() and sync()`);
  }
}

export class FakeWorkbook {
  readonly sheets: FakeSheet[] = [];
  syncs = 0;
  private readonly approximateBytes: number[] = [];
  private queue: Array<{ bytes: number; run: () => void }> = [];
  selection: { sheet: string; address: string } | null = null;
  readonly meter: RequestMeter | undefined;

  constructor(sheetNames: readonly string[] = ['Foglio1'], options: { readonly meter?: RequestMeter } = {}) {
    for (const name of sheetNames) this.sheets.push(FakeWorkbook.emptySheet(name));
    this.meter = options.meter;
  }

  /** Bytes of each request: measured with Office.js when metered, else approximated from the queued commands. */
  get requestBytes(): readonly number[] {
    return this.meter?.requestBytes ?? this.approximateBytes;
  }

  static emptySheet(name: string): FakeSheet {
    return {
      name,
      cells: new Map(),
      charts: [],
      frozenRows: 0,
      notes: new Map(),
      columnWidths: new Map(),
      boldCells: new Set(),
    };
  }

  sheet(name: string): FakeSheet {
    const found = this.sheets.find((sheet) => sheet.name === name);
    if (!found) throw new Error(`ItemNotFound: worksheet ${name}`);
    return found;
  }

  /** What Excel's `values` would return for a rectangle (formulas read back as "#FORMULA"). */
  read(name: string, address: string): Array<Array<string | number | boolean>> {
    const sheet = this.sheet(name);
    const rect = parseAddress(address);
    return Array.from({ length: rect.rows }, (_, r) =>
      Array.from({ length: rect.columns }, (_, c) => {
        const cell = sheet.cells.get(key(rect.row + r, rect.column + c));
        if (!cell) return '';
        return cell.formula === null ? cell.value : '#FORMULA';
      }),
    );
  }

  cell(name: string, address: string): StoredCell | undefined {
    const rect = parseAddress(address);
    return this.sheet(name).cells.get(key(rect.row, rect.column));
  }

  enqueue(description: unknown, run: () => void): void {
    this.queue.push({ bytes: JSON.stringify(description).length, run });
  }

  async sync(): Promise<void> {
    this.syncs++;
    const queue = this.queue;
    this.queue = [];
    this.approximateBytes.push(queue.reduce((total, entry) => total + entry.bytes, 0));
    for (const entry of queue) entry.run();
  }

  run: RegionalRun = async (batch) => {
    const context = this.context();
    return batch(this.meter ? this.meter.wrap(context) : context);
  };

  private context(): RegionalContext {
    return {
      workbook: {
        worksheets: new FakeWorksheets(this),
        getSelectedRange: () => {
          const selection = this.selection;
          if (!selection) throw new Error('No selection');
          return new FakeRange(this, () => this.sheet(selection.sheet), selection.address);
        },
      },
      sync: () => this.sync(),
    };
  }
}

class FakeWorksheets implements RegionalWorksheets {
  private loaded: Array<{ name: string }> | null = null;
  constructor(private readonly workbook: FakeWorkbook) {}

  get items(): Array<{ name: string }> {
    if (this.loaded === null) throw new NotLoaded('worksheets.items');
    return this.loaded;
  }

  load(): unknown {
    this.workbook.enqueue({ load: 'worksheets' }, () => {
      this.loaded = this.workbook.sheets.map((sheet) => ({ name: sheet.name }));
    });
    return this;
  }

  add(name?: string): RegionalWorksheet {
    const sheet = FakeWorkbook.emptySheet(name ?? `Foglio${this.workbook.sheets.length + 1}`);
    this.workbook.enqueue({ add: name }, () => {
      if (this.workbook.sheets.some((existing) => existing.name.toLowerCase() === sheet.name.toLowerCase())) {
        throw new Error(`ItemAlreadyExists: worksheet ${sheet.name}`);
      }
      this.workbook.sheets.push(sheet);
    });
    return new FakeWorksheet(this.workbook, () => sheet);
  }

  getItem(name: string): RegionalWorksheet {
    return new FakeWorksheet(this.workbook, () => this.workbook.sheet(name));
  }

  getItemOrNullObject(
    name: string,
  ): RegionalWorksheet & { readonly isNullObject: boolean; load(names: string | string[]): unknown } {
    const proxy = new FakeWorksheet(this.workbook, () => this.workbook.sheet(name));
    let isNull: boolean | null = null;
    this.workbook.enqueue({ getItemOrNullObject: name }, () => {
      isNull = !this.workbook.sheets.some((sheet) => sheet.name === name);
    });
    Object.defineProperty(proxy, 'load', { value: () => proxy });
    // defineProperty, not Object.assign: assign would read the getter now, before any sync.
    Object.defineProperty(proxy, 'isNullObject', {
      get(): boolean {
        if (isNull === null) throw new NotLoaded('isNullObject');
        return isNull;
      },
    });
    return proxy as FakeWorksheet & { readonly isNullObject: boolean; load(names: string | string[]): unknown };
  }
}

class FakeWorksheet implements RegionalWorksheet {
  constructor(
    private readonly workbook: FakeWorkbook,
    private readonly resolve: () => FakeSheet,
  ) {}

  get name(): string {
    throw new NotLoaded('worksheet.name');
  }

  set name(value: string) {
    this.workbook.enqueue({ rename: value }, () => {
      if (value.length > 31 || /[[\]:*?/\\]/.test(value)) throw new Error(`InvalidArgument: sheet name ${value}`);
      if (this.workbook.sheets.some((sheet) => sheet.name === value)) throw new Error(`ItemAlreadyExists: ${value}`);
      this.resolve().name = value;
    });
  }

  getRange(address = 'A1'): WritableRange {
    return new FakeRange(this.workbook, this.resolve, address);
  }

  getUsedRangeOrNullObject(): WritableRange & { readonly isNullObject: boolean } {
    const range = new FakeRange(this.workbook, this.resolve, null);
    return range;
  }

  get charts(): RegionalWorksheet['charts'] {
    return {
      add: (type, source): RegionalChart => {
        const chart: FakeChart = {
          type,
          source: (source as FakeRange).addressForChart(),
          seriesCount: 0,
          title: '',
          categories: [],
          seriesTypes: [],
          position: null,
        };
        this.workbook.enqueue({ chart: type, source: chart.source }, () => {
          const rect = parseAddress(chart.source);
          chart.seriesCount = rect.columns;
          chart.categories = Array.from({ length: rect.columns }, () => null);
          chart.seriesTypes = Array.from({ length: rect.columns }, () => null);
          this.resolve().charts.push(chart);
        });
        const workbook = this.workbook;
        return {
          title: {
            set text(value: string) {
              workbook.enqueue({ title: value }, () => {
                chart.title = value;
              });
            },
            get text(): string {
              throw new NotLoaded('chart.title.text');
            },
          },
          series: {
            getItemAt: (index: number): RegionalChartSeries => {
              const check = (): void => {
                if (index >= chart.seriesCount) throw new Error(`ItemNotFound: series ${index}`);
              };
              return {
                set chartType(value: string) {
                  workbook.enqueue({ seriesType: value }, () => {
                    check();
                    chart.seriesTypes[index] = value;
                  });
                },
                get chartType(): string {
                  throw new NotLoaded('series.chartType');
                },
                setXAxisValues: (range) => {
                  workbook.enqueue({ xAxis: index }, () => {
                    check();
                    chart.categories[index] = (range as FakeRange).addressForChart();
                  });
                },
              };
            },
          },
          setPosition: (start: string, end?: string) => {
            workbook.enqueue({ position: start }, () => {
              chart.position = `${start}:${end ?? start}`;
            });
          },
        };
      },
    };
  }

  get freezePanes(): RegionalWorksheet['freezePanes'] {
    return {
      freezeRows: (count = 1) =>
        this.workbook.enqueue({ freeze: count }, () => {
          this.resolve().frozenRows = count;
        }),
    };
  }

  get notes(): NonNullable<RegionalWorksheet['notes']> {
    return {
      add: (address: string, content: string) =>
        this.workbook.enqueue({ note: address, content }, () => {
          this.resolve().notes.set(address, content);
        }),
    };
  }

  activate(): void {
    this.workbook.enqueue({ activate: true }, () => {
      this.resolve();
    });
  }

  delete(): void {
    this.workbook.enqueue({ delete: true }, () => {
      const sheet = this.resolve();
      if (this.workbook.sheets.length === 1) throw new Error('InvalidOperation: a workbook needs one sheet');
      this.workbook.sheets.splice(this.workbook.sheets.indexOf(sheet), 1);
    });
  }
}

const FORMULA_START = /^[=+-]/;
const NUMERIC = /^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

class FakeRange implements WritableRange {
  private loadedValues: unknown[][] | null = null;
  private loadedRowIndex: number | null = null;
  private loadedNull: boolean | null = null;
  private readonly sheetName: { name: string | null } = { name: null };

  constructor(
    private readonly workbook: FakeWorkbook,
    private readonly resolve: () => FakeSheet,
    /** null: the used range, resolved at sync. */
    private readonly fixedAddress: string | null,
  ) {}

  addressForChart(): string {
    if (this.fixedAddress === null) throw new Error('chart source must be an address');
    return this.fixedAddress;
  }

  private rect(): Rect {
    if (this.fixedAddress !== null) return parseAddress(this.fixedAddress);
    const sheet = this.resolve();
    let lastRow = -1;
    let lastColumn = -1;
    for (const [position, cell] of sheet.cells) {
      if (cell.value === '' && cell.formula === null) continue;
      const [row, column] = position.split(',').map(Number);
      lastRow = Math.max(lastRow, row ?? 0);
      lastColumn = Math.max(lastColumn, column ?? 0);
    }
    return { row: 0, column: 0, rows: lastRow + 1, columns: lastColumn + 1 };
  }

  get address(): string {
    throw new NotLoaded('range.address');
  }

  get rowIndex(): number {
    if (this.loadedRowIndex === null) throw new NotLoaded('range.rowIndex');
    return this.loadedRowIndex;
  }

  get isNullObject(): boolean {
    if (this.loadedNull === null) throw new NotLoaded('range.isNullObject');
    return this.loadedNull;
  }

  get values(): unknown[][] {
    if (this.loadedValues === null) throw new NotLoaded('range.values');
    return this.loadedValues;
  }

  set values(matrix: unknown[][]) {
    this.workbook.enqueue({ values: matrix }, () => {
      const rect = this.checkShape(matrix, 'values');
      const sheet = this.resolve();
      matrix.forEach((row, r) => {
        row.forEach((value, c) => {
          const position = key(rect.row + r, rect.column + c);
          const cell = sheet.cells.get(position) ?? { value: '', format: 'General', formula: null, fill: null };
          cell.formula = null;
          if (typeof value === 'string' && value.startsWith("'")) cell.value = value.slice(1);
          else if (typeof value === 'string' && FORMULA_START.test(value) && !NUMERIC.test(value)) {
            cell.formula = value;
            cell.value = '';
          } else if (typeof value === 'string' && cell.format !== '@' && NUMERIC.test(value))
            cell.value = Number(value);
          else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
            cell.value = value;
          else throw new Error(`InvalidArgument: value ${String(value)}`);
          sheet.cells.set(position, cell);
        });
      });
    });
  }

  get numberFormat(): unknown[][] {
    throw new NotLoaded('range.numberFormat');
  }

  set numberFormat(matrix: unknown[][]) {
    this.workbook.enqueue({ numberFormat: matrix }, () => {
      const rect = this.checkShape(matrix, 'numberFormat');
      const sheet = this.resolve();
      matrix.forEach((row, r) => {
        row.forEach((format, c) => {
          if (typeof format !== 'string') throw new Error('InvalidArgument: number format');
          const position = key(rect.row + r, rect.column + c);
          const cell = sheet.cells.get(position) ?? { value: '', format: 'General', formula: null, fill: null };
          cell.format = format;
          sheet.cells.set(position, cell);
        });
      });
    });
  }

  private checkShape(matrix: unknown[][], what: string): Rect {
    const rect = this.rect();
    if (matrix.length !== rect.rows || matrix.some((row) => row.length !== rect.columns)) {
      throw new Error(`InvalidArgument: ${what} is not ${rect.rows}×${rect.columns} for ${this.fixedAddress}`);
    }
    return rect;
  }

  get format(): WritableRange['format'] {
    const workbook = this.workbook;
    const each = (apply: (sheet: FakeSheet, row: number, column: number) => void): void => {
      const rect = this.rect();
      const sheet = this.resolve();
      const rows = Math.min(rect.rows, 2000);
      for (let r = 0; r < rows; r++) for (let c = 0; c < rect.columns; c++) apply(sheet, rect.row + r, rect.column + c);
    };
    const address = this.fixedAddress;
    const resolve = this.resolve;
    return {
      fill: {
        set color(value: string) {
          workbook.enqueue({ fill: value, address }, () =>
            each((sheet, row, column) => {
              const cell = sheet.cells.get(key(row, column)) ?? {
                value: '',
                format: 'General',
                formula: null,
                fill: null,
              };
              cell.fill = value;
              sheet.cells.set(key(row, column), cell);
            }),
          );
        },
        get color(): string {
          throw new NotLoaded('fill.color');
        },
      },
      font: {
        set bold(value: boolean) {
          workbook.enqueue({ bold: value, address }, () =>
            each((sheet, row, column) => {
              if (value) sheet.boldCells.add(key(row, column));
            }),
          );
        },
        get bold(): boolean {
          throw new NotLoaded('font.bold');
        },
        set color(value: string) {
          workbook.enqueue({ fontColor: value, address }, () => undefined);
        },
        get color(): string {
          throw new NotLoaded('font.color');
        },
      },
      set columnWidth(value: number) {
        workbook.enqueue({ columnWidth: value, address }, () => {
          const rect = parseAddress(address ?? 'A1');
          const sheet = resolve();
          for (let c = 0; c < rect.columns; c++) sheet.columnWidths.set(rect.column + c, value);
        });
      },
      get columnWidth(): number {
        throw new NotLoaded('columnWidth');
      },
      set wrapText(value: boolean) {
        workbook.enqueue({ wrapText: value, address }, () => undefined);
      },
      get wrapText(): boolean {
        throw new NotLoaded('wrapText');
      },
    };
  }

  get worksheet(): RegionalRange['worksheet'] {
    const sheetName = this.sheetName;
    const workbook = this.workbook;
    const resolve = this.resolve;
    return {
      get name(): string {
        if (sheetName.name === null) throw new NotLoaded('worksheet.name');
        return sheetName.name;
      },
      load: () => {
        workbook.enqueue({ load: 'worksheet.name' }, () => {
          sheetName.name = resolve().name;
        });
        return undefined;
      },
    };
  }

  load(properties: string | string[]): unknown {
    const wanted = Array.isArray(properties) ? properties : properties.split(',').map((entry) => entry.trim());
    this.workbook.enqueue({ load: wanted }, () => {
      if (this.fixedAddress === null) {
        const rect = this.rect();
        this.loadedNull = rect.rows === 0;
        if (this.loadedNull) return;
      }
      if (wanted.includes('values')) {
        const rect = this.rect();
        const sheet = this.resolve();
        this.loadedValues = Array.from({ length: rect.rows }, (_, r) =>
          Array.from({ length: rect.columns }, (_, c) => {
            const cell = sheet.cells.get(key(rect.row + r, rect.column + c));
            if (!cell) return '';
            return cell.formula === null ? cell.value : '#FORMULA';
          }),
        );
      }
      if (wanted.includes('rowIndex')) this.loadedRowIndex = this.rect().row;
    });
    return this;
  }
}
