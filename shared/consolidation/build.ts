import type { Finding } from '../checks/types.ts';
import type { ConsolidatedAts, ConsolidatedResponse } from '../contract/api.ts';
import { statusDescription } from '../contract/status-labels.ts';
import { latestTemplate } from '../template/index.ts';
import { type ColumnDef, SHEET_IDS, type SheetDef, type SheetId, type TemplateDef } from '../template/types.ts';
import {
  type Cell,
  DATE_FORMAT,
  DATE_TIME_FORMAT,
  date,
  empty,
  number,
  TEXT_FORMAT,
  text,
  withStyle,
} from './cells.ts';
import type { CellMark, SheetModel, WorkbookModel } from './model.ts';
import { cellAddress, sheetReference } from './model.ts';
import { buildSummarySheet, type SummaryOptions } from './summary.ts';

/**
 * From the consolidated response (GET /v1/regions/{region}/consolidated) to the workbook model: "Stato invii", one
 * sheet per template sheet with the rows of every ATS (COD_ATS first), "Sintesi" with its charts, and "Rilievi" with
 * every finding that was marked on a cell. Pure: the same response always gives the same model.
 */

export const STATUS_SHEET = 'Stato invii';
export const FINDINGS_SHEET = 'Rilievi';

export interface BuildOptions extends SummaryOptions {
  readonly template?: TemplateDef;
}

const SEVERITY_LABEL = { error: 'Errore', warning: 'Avviso' } as const;

const header = (title: string): Cell => text(title, 'header');

/** Every submitted value as a typed cell: what the column expects when it is that, otherwise the text as sent. */
export function dataCell(column: ColumnDef, value: unknown): Cell {
  if (value === null || value === undefined || value === '') return empty(column.excelFormat);
  if (typeof value === 'number') {
    if (column.type === 'code' || column.type === 'text' || column.type === 'flag') return text(String(value));
    return number(value, column.excelFormat);
  }
  if (typeof value === 'string') {
    if (column.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return date(value, DATE_FORMAT);
    return text(value);
  }
  if (typeof value === 'boolean') return text(value ? 'VERO' : 'FALSO');
  return text(JSON.stringify(value) ?? '');
}

/** The consolidated sheet's columns: COD_ATS first, then the template's columns in order. */
export function consolidatedColumns(sheet: SheetDef): ColumnDef[] {
  const atsColumn = sheet.columns.find((column) => column.key === 'COD_ATS');
  const others = sheet.columns.filter((column) => column.key !== 'COD_ATS');
  const first: ColumnDef = atsColumn ?? {
    key: 'COD_ATS',
    header: 'Codice Ambito',
    type: 'code',
    requirement: 'required',
    excelFormat: TEXT_FORMAT,
    width: 14,
  };
  return [first, ...others];
}

type Row = Readonly<Record<string, unknown>>;

/** Where each ATS's n-th row of a sheet landed in the consolidated sheet (0-based sheet row, header at 0). */
type RowIndex = Map<string, number[]>;

interface DataSheet {
  readonly model: Omit<SheetModel, 'marks'>;
  readonly columns: readonly ColumnDef[];
  readonly rowIndex: RowIndex;
}

function atsOf(row: Row): string {
  const value = row.COD_ATS;
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function buildDataSheet(sheet: SheetDef, rows: readonly Row[]): DataSheet {
  const columns = consolidatedColumns(sheet);
  const rowIndex: RowIndex = new Map();
  const cells: Cell[][] = [columns.map((column) => header(column.key))];
  for (const row of rows) {
    const ats = atsOf(row);
    const positions = rowIndex.get(ats) ?? [];
    positions.push(cells.length);
    rowIndex.set(ats, positions);
    cells.push(columns.map((column) => dataCell(column, row[column.key])));
  }
  return {
    columns,
    rowIndex,
    model: {
      name: sheet.name,
      role: 'data',
      columns: columns.map((column) => ({ width: column.width })),
      rows: cells,
      charts: [],
      freezeRows: 1,
    },
  };
}

interface Located {
  readonly finding: Finding;
  readonly ats: string | null;
  readonly level: 'Regionale' | 'Ambito';
  readonly sheetName: string | null;
  readonly row: number | null;
  readonly column: number | null;
}

/**
 * A finding's cell in the consolidated sheets: the ATS's n-th row of the sheet, the column by name. A finding without
 * row or column still lands on the row (COD_ATS cell) or stays listed in "Rilievi" only.
 */
function locate(
  finding: Finding,
  ats: string | null,
  level: Located['level'],
  sheets: ReadonlyMap<SheetId, DataSheet>,
): Located {
  const data = finding.sheet ? sheets.get(finding.sheet) : undefined;
  const base = { finding, ats, level, sheetName: data?.model.name ?? null };
  if (!data || ats === null || finding.row === null) return { ...base, row: null, column: null };
  const row = data.rowIndex.get(ats)?.[finding.row - 1];
  if (row === undefined) return { ...base, row: null, column: null };
  const found = finding.column === null ? -1 : data.columns.findIndex((column) => column.key === finding.column);
  return { ...base, row, column: Math.max(found, 0) };
}

function statusRow(entry: ConsolidatedAts, regionalCount: number): Cell[] {
  const missing = !entry.submitted;
  const receipt = entry.receipt;
  const cells: Cell[] = [
    text(entry.ats),
    entry.name === null ? empty(TEXT_FORMAT) : text(entry.name),
    text(entry.registered ? 'Sì' : 'No'),
    text(missing ? 'NO — mancante' : 'Sì'),
    entry.version === null ? empty() : number(entry.version, '0'),
    entry.status === null ? text('Nessun invio') : text(statusDescription(entry.status)),
    number(entry.errors, '0', entry.errors > 0 ? 'error' : undefined),
    number(entry.warnings, '0', entry.warnings > 0 ? 'warning' : undefined),
    number(regionalCount, '0', regionalCount > 0 ? 'warning' : undefined),
    receipt ? text(receipt.sha256) : empty(TEXT_FORMAT),
    receipt ? date(receipt.receivedAt, DATE_TIME_FORMAT) : empty(DATE_TIME_FORMAT),
    receipt ? text(receipt.templateVersion) : empty(TEXT_FORMAT),
  ];
  if (missing) return cells.map((cell) => withStyle(cell, 'missing'));
  if (entry.status === 'APPROVED') cells[5] = withStyle(cells[5] ?? empty(), 'ok');
  if (entry.status === 'REJECTED') cells[5] = withStyle(cells[5] ?? empty(), 'error');
  return cells;
}

const STATUS_HEADERS = [
  ['COD_ATS', 14],
  ['Denominazione', 36],
  ['Registrato', 11],
  ['Inviato', 14],
  ['Versione', 9],
  ['Stato', 40],
  ['Errori', 8],
  ['Avvisi', 8],
  ['Rilievi regionali', 10],
  ['Impronta ricevuta (SHA-256)', 66],
  ['Ultimo aggiornamento (UTC)', 18],
  ['Versione modello', 12],
] as const;

/** The entry of a registered ATS that has submitted nothing for the period. */
export function unsubmittedAts(code: string, name: string | null = null): ConsolidatedAts {
  return {
    ats: code,
    name,
    registered: true,
    submitted: false,
    status: null,
    version: null,
    receipt: null,
    errors: 0,
    warnings: 0,
    summary: null,
  };
}

/** Every ATS the response names, registered or not, with the missing ones that only appear in `missing`. */
export function allAts(response: ConsolidatedResponse): ConsolidatedAts[] {
  const entries = new Map(response.ats.map((entry) => [entry.ats, entry]));
  for (const code of response.missing) {
    if (!entries.has(code)) entries.set(code, unsubmittedAts(code));
  }
  return [...entries.values()].sort((left, right) => left.ats.localeCompare(right.ats));
}

function statusSheet(entries: readonly ConsolidatedAts[], regional: ReadonlyMap<string, number>): SheetModel {
  return {
    name: STATUS_SHEET,
    role: 'status',
    columns: STATUS_HEADERS.map(([, width]) => ({ width })),
    rows: [
      STATUS_HEADERS.map(([title]) => header(title)),
      ...entries.map((entry) => statusRow(entry, regional.get(entry.ats) ?? 0)),
    ],
    marks: [],
    charts: [],
    freezeRows: 1,
  };
}

const FINDINGS_HEADERS = [
  ['Livello', 11],
  ['COD_ATS', 14],
  ['Foglio', 20],
  ['Riga dell’Ambito', 10],
  ['Colonna', 24],
  ['Cella', 26],
  ['Regola', 8],
  ['Gravità', 9],
  ['Messaggio', 90],
  ['Riferimento', 30],
] as const;

function findingsSheet(located: readonly Located[]): SheetModel {
  const rows = located.map((entry): Cell[] => {
    const severity = entry.finding.severity;
    return [
      text(entry.level),
      entry.ats === null ? empty(TEXT_FORMAT) : text(entry.ats),
      entry.sheetName === null ? empty(TEXT_FORMAT) : text(entry.sheetName),
      entry.finding.row === null ? empty() : number(entry.finding.row, '0'),
      entry.finding.column === null ? empty(TEXT_FORMAT) : text(entry.finding.column),
      entry.sheetName !== null && entry.row !== null && entry.column !== null
        ? text(`${sheetReference(entry.sheetName)}!${cellAddress(entry.row, entry.column)}`)
        : empty(TEXT_FORMAT),
      text(entry.finding.rule),
      text(SEVERITY_LABEL[severity], severity),
      text(entry.finding.message),
      text(entry.finding.ref),
    ];
  });
  return {
    name: FINDINGS_SHEET,
    role: 'findings',
    columns: FINDINGS_HEADERS.map(([, width]) => ({ width })),
    rows: [FINDINGS_HEADERS.map(([title]) => header(title)), ...rows],
    marks: [],
    charts: [],
    freezeRows: 1,
  };
}

/** Rows of one template sheet from the response; a sheet the response leaves out is empty, never an error. */
function sheetRows(response: ConsolidatedResponse, sheet: SheetId): readonly Row[] {
  return response.rows[sheet] ?? [];
}

export function buildConsolidatedWorkbook(response: ConsolidatedResponse, options: BuildOptions = {}): WorkbookModel {
  const template = options.template ?? latestTemplate();
  const entries = allAts(response);

  const dataSheets = new Map<SheetId, DataSheet>();
  for (const id of SHEET_IDS) {
    const sheet = template.sheets.find((candidate) => candidate.id === id);
    if (sheet) dataSheets.set(id, buildDataSheet(sheet, sheetRows(response, id)));
  }

  const located: Located[] = [];
  for (const finding of response.findings) {
    located.push(locate(finding, finding.ats ?? null, 'Regionale', dataSheets));
  }
  for (const entry of entries) {
    for (const finding of entry.receipt?.findings ?? []) {
      located.push(locate(finding, entry.ats, 'Ambito', dataSheets));
    }
  }

  const marksBySheet = new Map<string, CellMark[]>();
  for (const entry of located) {
    if (entry.sheetName === null || entry.row === null || entry.column === null) continue;
    const marks = marksBySheet.get(entry.sheetName) ?? [];
    marks.push({
      row: entry.row,
      column: entry.column,
      severity: entry.finding.severity,
      rule: entry.finding.rule,
      message: entry.finding.message,
      ats: entry.ats,
    });
    marksBySheet.set(entry.sheetName, marks);
  }

  const regionalByAts = new Map<string, number>();
  for (const finding of response.findings) {
    if (finding.ats) regionalByAts.set(finding.ats, (regionalByAts.get(finding.ats) ?? 0) + 1);
  }

  const sheets: SheetModel[] = [statusSheet(entries, regionalByAts)];
  for (const data of dataSheets.values()) {
    sheets.push({ ...data.model, marks: marksBySheet.get(data.model.name) ?? [] });
  }
  sheets.push(buildSummarySheet(response, entries, template, options));
  sheets.push(findingsSheet(located));
  return { region: response.region, period: response.period, sheets };
}
