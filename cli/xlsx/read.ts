import ExcelJS from 'exceljs';
import { ruleDef } from '../../shared/checks/catalogue.ts';
import { columnRule } from '../../shared/checks/normalize.ts';
import type { Finding, Severity } from '../../shared/checks/types.ts';
import {
  ATS_CODE,
  LIMITS,
  PERIOD,
  type Submission,
  type SubmissionCell,
  type SubmissionRow,
} from '../../shared/contract/submission.ts';
import { excelSerialToIsoDate } from '../../shared/domain/italian-format.ts';
import { findTemplate, TEMPLATES } from '../../shared/template/index.ts';
import type { ColumnDef, SheetDef, SheetId, TemplateDef } from '../../shared/template/types.ts';
import { SHEET_IDS } from '../../shared/template/types.ts';
import { inspectXlsx, XLSX_LIMITS, XlsxFileError, type XlsxLimits } from './guard.ts';
import {
  columnForHeader,
  columnLetter,
  FIRST_DATA_ROW,
  HEADER_ROW,
  headerMatchCount,
  headerMatchThreshold,
  inferAts,
  inferPeriod,
  LISTS_SHEET,
  MARKER_NAME,
  MARKER_SHEET,
  MAX_DATA_ROWS,
} from './layout.ts';

/**
 * Reads a workbook filled in Excel or LibreOffice back into a Submission, remembering where each value came from.
 * Whatever the user did to the layout (renamed or reordered sheets, moved or extra columns, merged cells, numbers
 * typed as text) becomes a finding on its cell; only a file that is not a workbook of ours is an error (XlsxFileError).
 */

/** Where each (sheet, row, column) of the submission sits in the file. */
export interface SheetCells {
  /** The worksheet's name in this file (it may have been renamed). */
  readonly sheetName: string;
  /** Excel row of each data row: rows[0] is data row 1. */
  readonly rows: readonly number[];
  /** Column key → column letters in this file. */
  readonly columns: ReadonlyMap<string, string>;
}

export type CellMap = Readonly<Partial<Record<SheetId, SheetCells>>>;

export interface WorkbookRead {
  readonly template: TemplateDef;
  readonly submission: Submission;
  readonly cells: CellMap;
  /** Problems of the file itself (layout, merged cells, unreadable cells), as findings. */
  readonly findings: readonly Finding[];
}

export interface ReadOptions {
  /** Overrides the ATS code read from T1 (COD_ATS). */
  readonly ats?: string;
  /** Overrides the period read from T4/T5 DATA_RIF or T1 ANNO_RIF. */
  readonly period?: string;
  readonly limits?: XlsxLimits;
}

/** `T4_Quadro_Fondi!J3` for a finding, using the file's own sheet names, rows and columns. */
export function cellAddress(
  cells: CellMap,
  finding: Pick<Finding, 'sheet' | 'row' | 'column'>,
  template?: TemplateDef,
): string {
  if (finding.sheet === null) return '(cartella)';
  const sheet = cells[finding.sheet];
  const name = sheet?.sheetName ?? template?.sheets.find((entry) => entry.id === finding.sheet)?.name ?? finding.sheet;
  if (finding.row === null) return name;
  const excelRow = sheet?.rows[finding.row - 1] ?? FIRST_DATA_ROW + finding.row - 1;
  const letter = finding.column === null ? undefined : sheet?.columns.get(finding.column);
  return letter ? `${name}!${letter}${excelRow}` : `${name}!${excelRow}:${excelRow}`;
}

function makeFinding(
  rule: string,
  severity: Severity,
  sheet: SheetId | null,
  row: number | null,
  column: string | null,
  message: string,
): Finding {
  return { rule, severity, sheet, row, column, message, ref: ruleDef(rule).ref };
}

function plainText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return plainText(value.result as ExcelJS.CellValue);
  return '';
}

function headersOf(worksheet: ExcelJS.Worksheet): Array<{ number: number; text: string }> {
  const headers: Array<{ number: number; text: string }> = [];
  worksheet.getRow(HEADER_ROW).eachCell({ includeEmpty: false }, (cell, number) => {
    const text = plainText(cell.value).trim();
    if (text !== '') headers.push({ number, text });
  });
  return headers;
}

interface Marker {
  readonly id: string;
  readonly version: string;
}

function readMarker(workbook: ExcelJS.Workbook): Marker | null {
  let sheet = workbook.getWorksheet(MARKER_SHEET);
  let idCell = 'A1';
  let versionCell = 'B1';
  if (!sheet) {
    // A renamed marker sheet is still found through the defined name.
    const range = workbook.definedNames.model.find((entry) => entry.name === MARKER_NAME)?.ranges[0];
    const match = range ? /^'?(.+?)'?!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(range) : null;
    if (!match?.[1]) return null;
    sheet = workbook.getWorksheet(match[1].replace(/''/g, "'"));
    idCell = `${match[2]}${match[3]}`;
    versionCell = match[4] ? `${match[4]}${match[5]}` : '';
  }
  if (!sheet) return null;
  const id = plainText(sheet.getCell(idCell).value).trim();
  const version = versionCell ? plainText(sheet.getCell(versionCell).value).trim() : '';
  return id ? { id, version } : null;
}

/**
 * The value of a cell as exceljs parsed it. Formula cells are read through `cell.result`: exceljs's `cell.value`
 * drops a result of 0 or "" (it copies only truthy fields). A merged cell takes its master's value.
 */
function rawValue(cell: ExcelJS.Cell): ExcelJS.CellValue {
  const source = cell.type === ExcelJS.ValueType.Merge && cell.master !== cell ? cell.master : cell;
  if (source.type === ExcelJS.ValueType.Formula) {
    return { formula: source.formula ?? '', result: source.result } as ExcelJS.CellFormulaValue;
  }
  return source.value;
}

type Converted = { value: SubmissionCell } | { error: string } | null;

/** One cell as the submission carries it: numbers stay numbers, dates become ISO, text passes through for the checks. */
function convertCell(column: ColumnDef, raw: ExcelJS.CellValue): Converted {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { error: 'numero non valido' };
    if (column.type === 'date') return { value: excelSerialToIsoDate(raw) ?? raw };
    return { value: raw };
  }
  if (typeof raw === 'string') return raw.trim() === '' ? null : { value: raw };
  if (typeof raw === 'boolean') return { value: raw };
  if (raw instanceof Date) {
    return Number.isNaN(raw.getTime()) ? { error: 'data non valida' } : { value: raw.toISOString().slice(0, 10) };
  }
  if ('error' in raw) return { error: String(raw.error) };
  if ('richText' in raw) return convertCell(column, raw.richText.map((part) => part.text).join(''));
  if ('formula' in raw || 'sharedFormula' in raw) {
    const result = (raw as { result?: unknown }).result;
    if (result === undefined || result === null) return null;
    if (typeof result === 'object' && result !== null && 'error' in result) {
      return { error: String((result as { error: unknown }).error) };
    }
    return convertCell(column, result as ExcelJS.CellValue);
  }
  if ('text' in raw && typeof raw.text === 'string') return convertCell(column, raw.text);
  return { error: 'contenuto non riconosciuto' };
}

interface SheetRead {
  readonly rows: SubmissionRow[];
  readonly cells: SheetCells;
}

function readSheet(
  template: TemplateDef,
  definition: SheetDef,
  worksheet: ExcelJS.Worksheet,
  findings: Finding[],
): SheetRead {
  const sheetId = definition.id;
  const columns = new Map<string, number>();
  for (const header of headersOf(worksheet)) {
    const column = columnForHeader(definition, header.text);
    const where = `${worksheet.name}!${columnLetter(header.number)}${HEADER_ROW}`;
    if (!column) {
      findings.push(
        makeFinding(
          'S.2',
          'warning',
          sheetId,
          null,
          null,
          `Colonna "${header.text.slice(0, 60)}" (${where}) non prevista dal modello ${template.id} ${template.version}: ignorata.`,
        ),
      );
    } else if (columns.has(column.key)) {
      findings.push(
        makeFinding(
          'S.2',
          'warning',
          sheetId,
          null,
          column.key,
          `Colonna "${column.header}" ripetuta (${where}): letta solo la prima.`,
        ),
      );
    } else {
      columns.set(column.key, header.number);
    }
  }
  for (const column of definition.columns) {
    if (columns.has(column.key)) continue;
    const essential = column.requirement === 'required';
    findings.push(
      makeFinding(
        'S.2',
        essential ? 'error' : 'warning',
        sheetId,
        null,
        column.key,
        `Colonna "${column.header}" mancante nel foglio ${worksheet.name}: ripristinarla dal modello ${template.id} ${template.version}.`,
      ),
    );
  }

  const merges = (worksheet.model as { merges?: string[] }).merges ?? [];
  for (const range of merges.slice(0, 20)) {
    findings.push(
      makeFinding(
        'S.2',
        'warning',
        sheetId,
        null,
        null,
        `Celle unite ${worksheet.name}!${range}: ogni cella dell'intervallo è letta con il valore della prima; separare le celle.`,
      ),
    );
  }

  const rows: SubmissionRow[] = [];
  const excelRows: number[] = [];
  const inputKeys = definition.columns.filter((column) => column.computed === undefined).map((column) => column.key);
  const lastRow = Math.min(worksheet.rowCount, HEADER_ROW + MAX_DATA_ROWS + 100);
  for (let number = FIRST_DATA_ROW; number <= lastRow; number++) {
    const excelRow = worksheet.getRow(number);
    const row: Record<string, SubmissionCell> = {};
    const problems: Array<{ key: string; message: string }> = [];
    for (const column of definition.columns) {
      const at = columns.get(column.key);
      if (at === undefined) continue;
      const converted = convertCell(column, rawValue(excelRow.getCell(at)));
      if (converted === null) continue;
      if ('error' in converted) {
        // A computed cell in error is recomputed by the checks; its cause is reported on the input cell.
        if (column.computed !== undefined) continue;
        problems.push({ key: column.key, message: `${column.header}: cella in errore (${converted.error}).` });
        continue;
      }
      let value = converted.value;
      if (typeof value === 'string' && value.length > LIMITS.maxCellLength) {
        problems.push({
          key: column.key,
          message: `${column.header}: testo troppo lungo (${value.length} caratteri), letti i primi ${LIMITS.maxCellLength}.`,
        });
        value = value.slice(0, LIMITS.maxCellLength);
      }
      row[column.key] = value;
    }
    const hasInput = inputKeys.some((key) => row[key] !== undefined) || problems.length > 0;
    if (!hasInput) continue;
    if (rows.length >= MAX_DATA_ROWS) {
      throw new XlsxFileError(
        `File non valido: il foglio ${worksheet.name} supera ${MAX_DATA_ROWS.toLocaleString('it-IT')} righe di dati.`,
      );
    }
    rows.push(row);
    excelRows.push(number);
    for (const problem of problems) {
      findings.push(makeFinding(columnRule(sheetId), 'error', sheetId, rows.length, problem.key, problem.message));
    }
  }
  const letters = new Map<string, string>();
  for (const [key, number] of columns) letters.set(key, columnLetter(number));
  return { rows, cells: { sheetName: worksheet.name, rows: excelRows, columns: letters } };
}

/** Matches each template sheet to a worksheet: by name first, then by its header row (renamed or reordered sheets). */
function matchSheets(
  template: TemplateDef,
  workbook: ExcelJS.Workbook,
  findings: Finding[],
): Map<SheetId, ExcelJS.Worksheet> {
  const reserved = new Set([LISTS_SHEET, MARKER_SHEET]);
  const candidates = workbook.worksheets.filter((sheet) => !reserved.has(sheet.name));
  const matched = new Map<SheetId, ExcelJS.Worksheet>();
  const used = new Set<string>();
  for (const definition of template.sheets) {
    const byName = candidates.find((sheet) => sheet.name.trim().toLowerCase() === definition.name.toLowerCase());
    if (byName) {
      matched.set(definition.id, byName);
      used.add(byName.name);
    }
  }
  for (const definition of template.sheets) {
    if (matched.has(definition.id)) continue;
    const threshold = headerMatchThreshold(definition);
    let best: { sheet: ExcelJS.Worksheet; score: number } | undefined;
    for (const sheet of candidates) {
      if (used.has(sheet.name)) continue;
      const score = headerMatchCount(
        definition,
        headersOf(sheet).map((header) => header.text),
      );
      if (score >= threshold && (!best || score > best.score)) best = { sheet, score };
    }
    if (best) {
      matched.set(definition.id, best.sheet);
      used.add(best.sheet.name);
      findings.push(
        makeFinding(
          'S.2',
          'warning',
          definition.id,
          null,
          null,
          `Foglio "${definition.name}" non trovato: letto il foglio "${best.sheet.name.slice(0, 40)}", riconosciuto dalle intestazioni. Ripristinare il nome originale.`,
        ),
      );
    } else {
      findings.push(
        makeFinding(
          'S.2',
          'error',
          definition.id,
          null,
          null,
          `Foglio "${definition.name}" mancante: ripristinarlo dal modello ${template.id} ${template.version}.`,
        ),
      );
    }
  }
  for (const sheet of candidates) {
    if (!used.has(sheet.name)) {
      findings.push(
        makeFinding(
          'S.2',
          'warning',
          null,
          null,
          null,
          `Foglio "${sheet.name.slice(0, 40)}" non previsto dal modello: ignorato.`,
        ),
      );
    }
  }
  return matched;
}

/**
 * The envelope is not typed by the user: the ATS is T1's COD_ATS; the period is the reference date of the financial
 * sheets (T4, T5) when it is a reporting date, else 31/12 of T1's ANNO_RIF.
 */
function envelope(
  sheets: Record<SheetId, SubmissionRow[]>,
  options: ReadOptions,
  findings: Finding[],
): { ats: string; period: string } {
  let ats = options.ats?.trim().toUpperCase() ?? inferAts(sheets.T1);
  if (!ats || !ATS_CODE.test(ats)) {
    findings.push(
      makeFinding(
        'T1.1',
        'error',
        'T1',
        sheets.T1.length > 0 ? 1 : null,
        'COD_ATS',
        'Codice Ambito mancante o non valido nel foglio anagrafica: impossibile attribuire il file a un Ambito.',
      ),
    );
    ats = 'ATS-00-000';
  }
  let period = options.period ?? inferPeriod(sheets);
  if (!period || !PERIOD.test(period)) {
    findings.push(
      makeFinding(
        'S.1',
        'error',
        null,
        null,
        null,
        'Periodo non determinabile: indicare la data di riferimento (31/12 o 31/08) nei fogli finanziari o l’anno in anagrafica.',
      ),
    );
    period = `${new Date().getUTCFullYear() - 1}-12-31`;
  }
  return { ats, period };
}

async function loadWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch {
    throw new XlsxFileError(
      'File non valido: la cartella di lavoro .xlsx non è leggibile (struttura interna danneggiata).',
    );
  }
  return workbook;
}

/** Reads an .xlsx (bytes) into a submission, its cell map and the findings about the file itself. */
export async function readWorkbook(buffer: Buffer, options: ReadOptions = {}): Promise<WorkbookRead> {
  await inspectXlsx(buffer, options.limits ?? XLSX_LIMITS);
  const workbook = await loadWorkbook(buffer);
  const marker = readMarker(workbook);
  if (!marker) {
    throw new XlsxFileError(
      'File non riconosciuto: manca il marcatore del modello (foglio nascosto _Modello). Scaricare il modello con «npx rendiconta modello» e copiarvi i dati.',
    );
  }
  const latest = TEMPLATES.find((template) => template.id === marker.id);
  if (!latest) {
    throw new XlsxFileError(`File non riconosciuto: modello "${marker.id.slice(0, 40)}" sconosciuto.`);
  }
  const template = findTemplate(marker.id, marker.version) ?? latest;
  const findings: Finding[] = [];
  const matched = matchSheets(template, workbook, findings);
  const sheets = Object.fromEntries(SHEET_IDS.map((id) => [id, [] as SubmissionRow[]])) as Record<
    SheetId,
    SubmissionRow[]
  >;
  const cells: Partial<Record<SheetId, SheetCells>> = {};
  for (const definition of template.sheets) {
    const worksheet = matched.get(definition.id);
    if (!worksheet) continue;
    const read = readSheet(template, definition, worksheet, findings);
    sheets[definition.id] = read.rows;
    cells[definition.id] = read.cells;
  }
  const { ats, period } = envelope(sheets, options, findings);
  return {
    template,
    submission: {
      template: marker.id,
      // An older or unknown version travels as written: the engine reports S.2 with the version to download.
      templateVersion: marker.version || '(assente)',
      ats,
      period,
      sheets,
    },
    cells,
    findings,
  };
}
