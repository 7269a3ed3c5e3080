import { DEFAULT_PARAMS } from '../checks/params.ts';
import type { ColumnDef, ComputedKind, SheetDef, TemplateDef } from '../template/types.ts';
import {
  columnIndexOf,
  columnLetter,
  FIRST_DATA_ROW,
  indicatorUnitsColumn,
  listColumns,
  MAX_DATA_ROWS,
  quoteSheet,
  sheetById,
} from './layout.ts';

/**
 * The Excel formula of each computed column (English syntax, comma separators, as stored in OOXML and as Office.js
 * `Range.formulas` takes it). Each computes what shared/checks/derived.ts computes for the checks, on the period the
 * workbook itself gives (envelope.ts inferPeriod); test/cli/formulas.test.ts proves each equal to its TypeScript
 * function over generated cases, recalculated by LibreOffice.
 */

/** An absolute reference to one column over every data row a sheet may hold: `'T2_ATS_Comuni'!$F$2:$F$100001`. */
export function dataColumnRange(sheet: SheetDef, key: string): string {
  const letter = columnLetter(columnIndexOf(sheet, key));
  return `${quoteSheet(sheet.name)}!$${letter}$${FIRST_DATA_ROW}:$${letter}$${FIRST_DATA_ROW + MAX_DATA_ROWS - 1}`;
}

/** A cell of the same sheet on a given row (formulas are written per row). */
function cell(sheet: SheetDef, key: string, row: number): string {
  return `${columnLetter(columnIndexOf(sheet, key))}${row}`;
}

/** The single T1 data cell of a column, absolute and sheet-qualified. */
function t1Cell(template: TemplateDef, key: string): string {
  const t1 = sheetById(template, 'T1');
  return `${quoteSheet(t1.name)}!$${columnLetter(columnIndexOf(t1, key))}$${FIRST_DATA_ROW}`;
}

/**
 * The workbook's reference date as inferPeriod (envelope.ts) gives it when T1 has ANNO_RIF: 31/08 of ANNO_RIF when a
 * financial sheet (T4, T5) dates its data 31/08 of that year and none 31/12, else 31/12 of ANNO_RIF.
 */
function periodFormula(template: TemplateDef): string {
  const year = t1Cell(template, 'ANNO_RIF');
  const dates = [
    dataColumnRange(sheetById(template, 'T4'), 'DATA_RIF'),
    dataColumnRange(sheetById(template, 'T5'), 'DATA_RIF'),
  ];
  const count = (date: string): string => dates.map((range) => `COUNTIF(${range},${date})`).join('+');
  const interim = `DATE(${year},8,31)`;
  const annual = `DATE(${year},12,31)`;
  return `IF(AND(${count(interim)}>0,${count(annual)}=0),${interim},${annual})`;
}

function populationFormula(template: TemplateDef): string {
  const t2 = sheetById(template, 'T2');
  const population = dataColumnRange(t2, 'POPOLAZIONE_RESIDENTE');
  const left = dataColumnRange(t2, 'DATA_USCITA');
  const year = t1Cell(template, 'ANNO_RIF');
  // A comune counts unless it left on or before the reference date (derived.ts isActiveComune).
  return `IF(OR(COUNT(${population})=0,${year}=""),"",SUMIFS(${population},${left},"")+SUMIFS(${population},${left},">"&${periodFormula(template)}))`;
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

/** The formula (without "=") of a computed column on an Excel row; undefined for input columns. "" on an empty row. */
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
