import { DEFAULT_PARAMS } from '../../shared/checks/params.ts';
import { columnLetter as letterOfIndex } from '../../shared/consolidation/model.ts';
import { ATS_CODE, PERIOD, type SubmissionCell, type SubmissionRow } from '../../shared/contract/submission.ts';
import { parseIsoDate, parseItalianDate } from '../../shared/domain/italian-format.ts';
import type {
  CodeListId,
  ColumnDef,
  ComputedKind,
  SheetDef,
  SheetId,
  TemplateDef,
} from '../../shared/template/types.ts';

/**
 * The workbook layout shared by the .xlsx writer/reader and the Excel add-in, as pure data and functions (no exceljs,
 * no Office.js), so a file made by one is read by the other:
 *
 * - one sheet per template sheet, named `SheetDef.name`; row 1 holds the Italian headers in definition order, data
 *   starts on row 2 (T1 has a single data row);
 * - a hidden sheet "Liste" with one column per code list (row 1 = list id, codes from row 2) and, after them, the unit
 *   of each indicator aligned with the INDICATORE column (for the T6 UNITA formula);
 * - a hidden sheet "_Modello" with A1 = template id and B1 = version, also reachable through the defined name
 *   `RENDICONTA_MODELLO`, so readers recognise their own workbooks and older versions;
 * - computed columns hold formulas (English syntax, comma separators, as stored in OOXML) on the first
 *   FORMULA_ROWS data rows; sums over other sheets cover MAX_DATA_ROWS rows.
 */

export const HEADER_ROW = 1;
export const FIRST_DATA_ROW = 2;
/** Data rows pre-formatted with formulas, lists and unlocked cells on each multi-row sheet. */
export const FORMULA_ROWS = 500;
/** Rows per sheet the reader accepts from a file, and the extent of the cross-sheet sums. */
export const MAX_DATA_ROWS = 50_000;
export const LISTS_SHEET = 'Liste';
export const MARKER_SHEET = '_Modello';
export const MARKER_NAME = 'RENDICONTA_MODELLO';
/**
 * Sheet protection guards formulas against accidents, not attackers: no password, so anyone can lift it from the
 * Review menu when the Region asks for it.
 */
export const SHEET_PASSWORD = '';
/** The name of the column holding indicator units on the Liste sheet. */
export const INDICATOR_UNITS_HEADER = 'UNITA_INDICATORE';

/** 1-based column number to letters: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  return letterOfIndex(column - 1);
}

/** Letters to 1-based column number: A → 1, AA → 27. */
export function columnNumber(letters: string): number {
  let value = 0;
  for (const char of letters.toUpperCase()) value = value * 26 + (char.charCodeAt(0) - 64);
  return value;
}

/** A sheet name as it appears in a formula: always quoted, so names that look like cell references stay names. */
export function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

export function sheetById(template: TemplateDef, id: SheetId): SheetDef {
  const sheet = template.sheets.find((candidate) => candidate.id === id);
  if (!sheet) throw new Error(`Template ${template.id} has no sheet ${id}`);
  return sheet;
}

/** 1-based column number of a column in the template layout. */
export function columnIndexOf(sheet: SheetDef, key: string): number {
  const index = sheet.columns.findIndex((column) => column.key === key);
  if (index < 0) throw new Error(`Sheet ${sheet.id} has no column ${key}`);
  return index + 1;
}

/** Excel row of the n-th (1-based) data row, as findings count rows, in the blank layout. */
export function excelRowOf(rowNumber: number): number {
  return FIRST_DATA_ROW + rowNumber - 1;
}

/** Data rows the template prepares on a sheet. */
export function preparedRows(sheet: SheetDef): number {
  return sheet.singleRow ? 1 : FORMULA_ROWS;
}

/** `T4_Quadro_Fondi!J3` for a finding's (sheet, row, column) in the blank layout; the sheet alone when row is null. */
export function findingAddress(
  template: TemplateDef,
  finding: { readonly sheet: SheetId | null; readonly row: number | null; readonly column: string | null },
): string | null {
  if (finding.sheet === null) return null;
  const sheet = sheetById(template, finding.sheet);
  if (finding.row === null) return sheet.name;
  const known = finding.column !== null && sheet.columns.some((column) => column.key === finding.column);
  if (!known || finding.column === null) return `${sheet.name}!${excelRowOf(finding.row)}:${excelRowOf(finding.row)}`;
  return `${sheet.name}!${columnLetter(columnIndexOf(sheet, finding.column))}${excelRowOf(finding.row)}`;
}

export interface ListColumn {
  readonly list: CodeListId;
  /** 1-based column on the Liste sheet. */
  readonly column: number;
  readonly codes: readonly string[];
  /** Absolute reference usable in a data validation or formula, e.g. `'Liste'!$C$2:$C$15`. */
  readonly range: string;
}

/** The Liste sheet: one column per code list, in the template's order. */
export function listColumns(template: TemplateDef): ListColumn[] {
  return (Object.keys(template.codeLists) as CodeListId[]).map((list, index) => {
    const codes = template.codeLists[list].values.map((value) => value.code);
    const letter = columnLetter(index + 1);
    return {
      list,
      column: index + 1,
      codes,
      range: `${quoteSheet(LISTS_SHEET)}!$${letter}$2:$${letter}$${codes.length + 1}`,
    };
  });
}

/** Column of indicator units on Liste, aligned row by row with the INDICATORE list. */
export function indicatorUnitsColumn(template: TemplateDef): { column: number; units: string[]; range: string } {
  const lists = listColumns(template);
  const column = lists.length + 2;
  const indicatorCodes = lists.find((entry) => entry.list === 'INDICATORE')?.codes ?? [];
  const units = indicatorCodes.map((code) => template.indicators.find((item) => item.code === code)?.unit ?? '');
  const letter = columnLetter(column);
  return { column, units, range: `${quoteSheet(LISTS_SHEET)}!$${letter}$2:$${letter}$${units.length + 1}` };
}

/** The data-validation list source of a column, or undefined when it has no code list. */
export function listRangeOf(template: TemplateDef, column: ColumnDef): string | undefined {
  if (!column.codeList) return undefined;
  return listColumns(template).find((entry) => entry.list === column.codeList)?.range;
}

/** An absolute reference to one column over every data row a sheet may hold: `'T2_ATS_Comuni'!$F$2:$F$50001`. */
export function dataColumnRange(sheet: SheetDef, key: string): string {
  const letter = columnLetter(columnIndexOf(sheet, key));
  return `${quoteSheet(sheet.name)}!$${letter}$${FIRST_DATA_ROW}:$${letter}$${FIRST_DATA_ROW + MAX_DATA_ROWS - 1}`;
}

/** A cell of the same sheet on a given row, relative column, absolute nothing (formulas are written per row). */
function cell(sheet: SheetDef, key: string, row: number): string {
  return `${columnLetter(columnIndexOf(sheet, key))}${row}`;
}

/** The single T1 data cell of a column, absolute and sheet-qualified. */
function t1Cell(template: TemplateDef, key: string): string {
  const t1 = sheetById(template, 'T1');
  return `${quoteSheet(t1.name)}!$${columnLetter(columnIndexOf(t1, key))}$${FIRST_DATA_ROW}`;
}

function populationFormula(template: TemplateDef): string {
  const t2 = sheetById(template, 'T2');
  const population = dataColumnRange(t2, 'POPOLAZIONE_RESIDENTE');
  const left = dataColumnRange(t2, 'DATA_USCITA');
  const year = t1Cell(template, 'ANNO_RIF');
  // A comune counts unless it left on or before the reference date (derived.ts isActiveComune).
  return `IF(COUNT(${population})=0,"",SUMIFS(${population},${left},"")+SUMIFS(${population},${left},">"&DATE(${year},12,31)))`;
}

function fteAsTiFormula(template: TemplateDef): string {
  const t3 = sheetById(template, 'T3');
  const range = (key: string): string => dataColumnRange(t3, key);
  const year = t1Cell(template, 'ANNO_RIF');
  const counted = [
    `${range('PROFILO')},"ASSISTENTE_SOCIALE"`,
    `${range('TIPO_RAPPORTO')},"TI"`,
    `${range('TIPO_DATO')},"CONSUNTIVO"`,
    `${range('IMPIEGO_SERVIZI_TERRITORIALI')},"S"`,
    `${range('ANNO_RIF')},${year}`,
  ].join(',');
  // ASL staff count only when the costs are borne by the comuni or the ATS (derived.ts staffRow).
  const aslWithoutCosts = `${range('ENTE_DATORE_TIPO')},"ASL_DELEGA_RIMBORSO",${range('ONERI_A_CARICO_ENTE_ATS')},"<>S"`;
  return `IF(${year}="","",SUMIFS(${range('FTE')},${counted})-SUMIFS(${range('FTE')},${counted},${aslWithoutCosts}))`;
}

function contributionFormula(template: TemplateDef): string {
  const rules = DEFAULT_PARAMS.contribution;
  const fte = t1Cell(template, 'FTE_AS_TI');
  const popRif = t1Cell(template, 'POP_RIF');
  const popTot = t1Cell(template, 'POPOLAZIONE_TOT');
  const p = `MAX(0,IF(ISNUMBER(${popRif}),${popRif},N(${popTot})))`;
  const n = `MAX(0,N(${fte}))`;
  const band1 = `MAX(0,MIN(${n},${p}/${rules.lepRatio})-${p}/${rules.minimumRatio})`;
  const band2 = `MAX(0,MIN(${n},${p}/${rules.targetRatio})-${p}/${rules.lepRatio})`;
  return `IF(${fte}="","",ROUND(${rules.band1EuroPerFte}*${band1}+${rules.band2EuroPerFte}*${band2},2))`;
}

function daysFormula(sheet: SheetDef, row: number): string {
  const year = cell(sheet, 'ANNO_RIF', row);
  const start = cell(sheet, 'DATA_INIZIO', row);
  const end = cell(sheet, 'DATA_FINE', row);
  const yearEnd = `DATE(${year},12,31)`;
  return `IF(OR(${year}="",${start}=""),"",MAX(0,MIN(${yearEnd},IF(${end}="",${yearEnd},${end}))-MAX(DATE(${year},1,1),${start})+1))`;
}

function fteFormula(sheet: SheetDef, row: number): string {
  const year = cell(sheet, 'ANNO_RIF', row);
  const start = cell(sheet, 'DATA_INIZIO', row);
  const hours = cell(sheet, 'ORE_SETT', row);
  const fullTimeCell = cell(sheet, 'ORE_TEMPO_PIENO', row);
  const days = cell(sheet, 'GIORNI_IN_SERVIZIO', row);
  // An empty full-time cell means the parameter's default (derived.ts staffRow).
  const fullTime = `IF(${fullTimeCell}="",${DEFAULT_PARAMS.fullTimeHours},${fullTimeCell})`;
  const yearDays = `(DATE(${year},12,31)-DATE(${year},1,1)+1)`;
  return `IF(OR(${year}="",${start}="",${hours}=""),"",IF(OR(${fullTime}<=0,${hours}<=0),0,MIN(${hours},${fullTime})/${fullTime}*${days}/${yearDays}))`;
}

function notCommittedFormula(sheet: SheetDef, row: number): string {
  const assigned = cell(sheet, 'IMPORTO_ASSEGNATO', row);
  const committed = cell(sheet, 'IMPORTO_IMPEGNATO', row);
  // IFERROR: an amount typed as text ("1.234,56") leaves the cell blank rather than #VALUE!; S.3 reports the cause.
  return `IF(OR(${assigned}="",${committed}=""),"",IFERROR(${assigned}-${committed},""))`;
}

function unitFormula(template: TemplateDef, sheet: SheetDef, row: number): string {
  const indicator = cell(sheet, 'COD_INDICATORE', row);
  const codes = listColumns(template).find((entry) => entry.list === 'INDICATORE')?.range ?? '';
  const units = indicatorUnitsColumn(template).range;
  return `IF(${indicator}="","",IFERROR(INDEX(${units},MATCH(${indicator},${codes},0)),""))`;
}

/**
 * The formula (without "=") of a computed column on an Excel row; undefined for input columns. Each gives "" on an
 * empty row and computes what shared/checks/derived.ts computes, which the LibreOffice round trip test proves.
 */
export function computedFormula(
  template: TemplateDef,
  sheet: SheetDef,
  column: ColumnDef,
  row: number,
): string | undefined {
  const kind: ComputedKind | undefined = column.computed;
  switch (kind) {
    case undefined:
      return undefined;
    case 'T1_POPOLAZIONE_TOT':
      return populationFormula(template);
    case 'T1_FTE_AS_TI':
      return fteAsTiFormula(template);
    case 'T1_CONTRIBUTO_AS':
      return contributionFormula(template);
    case 'T3_GIORNI_IN_SERVIZIO':
      return daysFormula(sheet, row);
    case 'T3_FTE':
      return fteFormula(sheet, row);
    case 'T4_IMPORTO_NON_IMPEGNATO':
      return notCommittedFormula(sheet, row);
    case 'T6_UNITA':
      return unitFormula(template, sheet, row);
  }
}

/** The default file name of a blank template. */
export function templateFileName(template: TemplateDef): string {
  return `${template.id}-${template.version}.xlsx`;
}

/* Reading rules, shared by every reader of the workbook (the CLI's exceljs reader, the add-in's Office.js reader). */

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

function asIsoDate(value: SubmissionCell | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  return parseIsoDate(value.trim()) ?? parseItalianDate(value) ?? undefined;
}

/** The ATS of a workbook: T1's COD_ATS, upper case; undefined when missing or not ATS-RR-NNN. */
export function inferAts(t1: readonly SubmissionRow[]): string | undefined {
  const value = t1.map((row) => row.COD_ATS).find((cell) => typeof cell === 'string' && cell.trim() !== '');
  const ats = typeof value === 'string' ? value.trim().toUpperCase() : undefined;
  return ats && ATS_CODE.test(ats) ? ats : undefined;
}

/**
 * The period of a workbook, which the user does not type: the first DATA_RIF of the financial sheets (T4, T5) that is
 * a reporting date (31/12 or 31/08), else 31/12 of T1's ANNO_RIF; undefined when neither is there.
 */
export function inferPeriod(sheets: {
  readonly T1: readonly SubmissionRow[];
  readonly T4: readonly SubmissionRow[];
  readonly T5: readonly SubmissionRow[];
}): string | undefined {
  for (const row of [...sheets.T4, ...sheets.T5]) {
    const date = asIsoDate(row.DATA_RIF);
    if (date && PERIOD.test(date)) return date;
  }
  const year = sheets.T1[0]?.ANNO_RIF;
  return typeof year === 'number' && Number.isInteger(year) && PERIOD.test(`${year}-12-31`)
    ? `${year}-12-31`
    : undefined;
}
