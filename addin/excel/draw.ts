import type { SheetDef, TemplateDef } from '../../shared/template/types.ts';
import {
  type ColumnSpec,
  lastFormulaRow,
  maskSheetName,
  overlayRules,
  SHEET_PROTECTION,
  type SheetSpec,
  type TemplateSpec,
  templateSpec,
  validatedRange,
} from '../../shared/workbook/index.ts';
import type { ExcelRun, HostContext, HostNamedItem, HostRange, HostWorksheet, HostWorksheets } from './host.ts';
import { type ProtectedSheet, passwordMessage, sheetThatRefusesUnprotect } from './protection.ts';

/**
 * The Office.js writer of the blank template: it draws the workbook core's description (shared/workbook/
 * template-spec.ts), the same one the .xlsx writer renders, so both workbooks are the same.
 */

export { MARK_ROWS } from '../../shared/workbook/index.ts';

/** `repaired` when a template (partial, complete or older) was already there and was completed. */
export type DrawResult =
  | { readonly ok: true; readonly repaired?: true }
  | { readonly ok: false; readonly message: string };

/** Excel's column width is in points; the template gives characters. */
const POINTS_PER_CHARACTER = 7;

/**
 * One value for every cell of a range. Office.js takes a single value for a whole range ("If the specified value is a
 * single value, it is applied to all cells"), the only way to format a whole column without a million-row array; the
 * typings only list the array form.
 */
function setForAll(target: { numberFormat: unknown[][] }, value: string): void {
  (target as { numberFormat: unknown }).numberFormat = value;
}

function column2d<T>(first: number, last: number, value: (row: number) => T): T[][] {
  return Array.from({ length: last - first + 1 }, (_, index) => [value(first + index)]);
}

function drawColumn(spec: SheetSpec, worksheet: HostWorksheet, column: ColumnSpec): void {
  const whole = worksheet.getRange(`${column.letter}:${column.letter}`);
  setForAll(whole, column.numberFormat);
  whole.format.columnWidth = column.width * POINTS_PER_CHARACTER;
  if (column.formula) {
    whole.format.fill.color = column.fill;
    const formula = column.formula;
    const first = spec.headerRow + 1;
    const last = lastFormulaRow(spec);
    const prepared = worksheet.getRange(`${column.letter}${first}:${column.letter}${last}`);
    prepared.formulas = column2d(first, last, (row) => `=${formula(row)}`);
    return;
  }
  // Input columns are unlocked all the way down: an accountant types, inserts, sorts and filters any number of rows.
  whole.format.protection.locked = false;
  // The list and the prompt reach as far down: one rule on the whole column below the header, one small request.
  const validated = worksheet.getRange(validatedRange(spec, column));
  if (column.list) {
    validated.dataValidation.rule = { list: { inCellDropDown: true, source: `=${column.list.source}` } };
    validated.dataValidation.errorAlert = {
      showAlert: true,
      style: 'Stop',
      title: column.list.errorTitle,
      message: column.list.errorMessage,
    };
  }
  if (column.prompt) {
    validated.dataValidation.prompt = { showPrompt: true, title: column.prompt.title, message: column.prompt.message };
  }
}

/** The overlay that colours marked cells: reads the mask sheet, so the user's own formats are never touched. */
export function addSeverityOverlay(sheet: SheetDef, worksheet: HostWorksheet): void {
  const overlay = overlayRules(sheet);
  const area = worksheet.getRange(overlay.area);
  for (const rule of overlay.rules) {
    const format = area.conditionalFormats.add('Custom');
    format.custom.rule.formula = `=${rule.formula}`;
    format.custom.format.fill.color = rule.fill;
  }
}

export function addMaskSheet(context: HostContext, sheet: SheetDef): HostWorksheet {
  const mask = context.workbook.worksheets.add(maskSheetName(sheet.id));
  mask.visibility = 'VeryHidden';
  return mask;
}

/** The template's protection, the same as the .xlsx's (shared/workbook/layout.ts SHEET_PROTECTION). */
export function protectSheet(worksheet: HostWorksheet): void {
  worksheet.protection.protect({ ...SHEET_PROTECTION });
}

function drawLists(context: HostContext, spec: TemplateSpec, existing: boolean): void {
  const lists = context.workbook.worksheets.getItem(spec.lists.name);
  // The Liste sheet is the template's own: an older version's codes are cleared so none outlives its list.
  if (existing) lists.getRange().clear('Contents');
  for (const entry of spec.lists.columns) {
    const range = lists.getRange(`${entry.letter}1:${entry.letter}${entry.values.length}`);
    range.numberFormat = entry.values.map(() => ['@']);
    range.values = entry.values.map((value) => [value]);
  }
  lists.visibility = spec.lists.visibility;
}

function drawMarker(context: HostContext, spec: TemplateSpec, nameDefined: boolean): void {
  const marker = context.workbook.worksheets.getItem(spec.marker.name);
  const range = marker.getRange(spec.marker.address);
  range.numberFormat = [['@', '@']];
  range.values = [[...spec.marker.values]];
  marker.visibility = spec.marker.visibility;
  if (!nameDefined) context.workbook.names.add(spec.marker.definedName, `=${spec.marker.reference}`);
}

interface SheetState {
  /** The sheet was there before this run (a partial, complete or older template): it is repaired, not drawn anew. */
  readonly existing: boolean;
  readonly maskExists: boolean;
}

function drawSheet(context: HostContext, template: TemplateDef, spec: SheetSpec, state: SheetState): void {
  const worksheet = context.workbook.worksheets.getItem(spec.name);
  if (state.existing) {
    // A repaired sheet's lists and prompts are replaced, never stacked on the previous run's (an older template's
    // covered only its prepared rows: clearing the whole column below the header clears those too).
    for (const column of spec.columns) {
      if (!column.computed) worksheet.getRange(validatedRange(spec, column)).dataValidation.clear();
    }
  }
  for (const column of spec.columns) drawColumn(spec, worksheet, column);
  const last = spec.columns[spec.columns.length - 1]?.letter ?? 'A';
  const header = worksheet.getRange(`A${spec.headerRow}:${last}${spec.headerRow}`);
  header.values = [spec.columns.map((column) => column.header)];
  header.format.font.bold = true;
  header.format.font.color = spec.headerFont;
  header.format.fill.color = spec.headerFill;
  header.format.wrapText = true;
  header.format.protection.locked = true;
  const definition = template.sheets.find((sheet) => sheet.id === spec.id);
  if (definition) {
    if (!state.maskExists) addMaskSheet(context, definition);
    // The overlay is replaced as a whole: a run that stopped between its two rules leaves no duplicate.
    if (state.existing) worksheet.getRange(overlayRules(definition).area).conditionalFormats.clearAll();
    addSeverityOverlay(definition, worksheet);
  }
  worksheet.freezePanes.freezeRows(spec.freezeRows);
  protectSheet(worksheet);
}

interface ComputedCells {
  readonly column: ColumnSpec;
  /** The sheet row of the range's first cell. */
  readonly firstRow: number;
  readonly range: HostRange;
}

interface SurveyedSheet {
  readonly worksheet: HostWorksheet;
  /** Row 1: the headers, the Liste sheet's list ids or the marker. */
  readonly firstRow: HostRange;
  /** The prepared rows of each computed column, where the draw writes formulas. */
  readonly computed: readonly ComputedCells[];
}

/** What the first round trip learns about the sheets the template needs. */
interface Survey {
  readonly worksheets: HostWorksheets;
  readonly marker: HostRange;
  readonly definedName: HostNamedItem;
  readonly sheets: ReadonlyMap<string, SurveyedSheet>;
}

function surveySheet(worksheets: HostWorksheets, name: string, lastLetter: string, computed: ComputedCells[]) {
  const worksheet = worksheets.getItemOrNullObject(name);
  worksheet.protection.load(['protected', 'options']);
  return { worksheet, firstRow: worksheet.getRange(`A1:${lastLetter}1`).load('values'), computed };
}

function queueSurvey(context: HostContext, spec: TemplateSpec): Survey {
  const worksheets = context.workbook.worksheets.load('items/name');
  const sheets = new Map<string, SurveyedSheet>();
  for (const sheet of spec.sheets) {
    const worksheet = worksheets.getItemOrNullObject(sheet.name);
    const computed = sheet.columns
      .filter((column) => column.computed)
      .map((column) => ({
        column,
        firstRow: sheet.headerRow + 1,
        range: worksheet
          .getRange(`${column.letter}${sheet.headerRow + 1}:${column.letter}${lastFormulaRow(sheet)}`)
          .load('formulas'),
      }));
    sheets.set(
      sheet.name,
      surveySheet(worksheets, sheet.name, sheet.columns[sheet.columns.length - 1]?.letter ?? 'A', computed),
    );
  }
  const listsLast = spec.lists.columns[spec.lists.columns.length - 1]?.letter ?? 'A';
  sheets.set(spec.lists.name, surveySheet(worksheets, spec.lists.name, listsLast, []));
  const markerSheet = surveySheet(worksheets, spec.marker.name, 'B', []);
  sheets.set(spec.marker.name, markerSheet);
  const definedName = context.workbook.names.getItemOrNullObject(spec.marker.definedName).load('name');
  return { worksheets, marker: markerSheet.firstRow, definedName, sheets };
}

/** The first row the template writes on each of its sheets (headers, list ids). */
function expectedFirstRow(spec: TemplateSpec, name: string): readonly string[] {
  if (name === spec.lists.name) return spec.lists.columns.map((column) => column.values[0] ?? '');
  return spec.sheets.find((sheet) => sheet.name === name)?.columns.map((column) => column.header) ?? [];
}

const isBlank = (value: unknown): boolean => value === '' || value === null || value === undefined;

/**
 * Why this workbook's existing sheets cannot be completed into the template, or null. A sheet is the template's when
 * the marker names this template (any version: an older one is repaired), or when its first row is blank or the
 * template's own (a run that stopped part way). A value typed where the template computes a formula is never
 * overwritten.
 */
function refusal(survey: Survey, names: ReadonlySet<string>, spec: TemplateSpec, template: TemplateDef): string | null {
  const markerId = names.has(spec.marker.name) ? survey.marker.values[0]?.[0] : undefined;
  if (!isBlank(markerId) && markerId !== template.id) {
    return (
      `Il foglio nascosto «${spec.marker.name}» indica un altro modello («${String(markerId)}»): questa cartella di ` +
      'lavoro non è un modello LEPS-ATS. Usare «Nuovo modello» in una cartella di lavoro nuova.'
    );
  }
  const marked = markerId === template.id;
  for (const [name, entry] of survey.sheets) {
    if (!names.has(name) || name === spec.marker.name) continue;
    const expected = expectedFirstRow(spec, name);
    const found = entry.firstRow.values[0] ?? [];
    const ours = marked || found.every((value, index) => isBlank(value) || value === expected[index]);
    if (!ours) {
      return (
        `Il foglio «${name}» esiste già e non è un foglio del modello LEPS (la riga 1 non ne ha le intestazioni): ` +
        'rinominarlo o spostarlo in un’altra cartella di lavoro, poi ripetere «Nuovo modello».'
      );
    }
    for (const { column, firstRow, range } of entry.computed) {
      const offset = range.formulas.findIndex((line) => !isBlank(line[0]) && !String(line[0]).startsWith('='));
      if (offset >= 0) {
        const cell = `${column.letter}${firstRow + offset}`;
        return (
          `Il foglio «${name}», colonna «${column.header}», contiene un valore digitato (cella ${cell}) dove il ` +
          'modello calcola una formula: spostarlo in un’altra colonna o cancellarlo, poi ripetere «Nuovo modello».'
        );
      }
    }
  }
  return null;
}

function protectedSheets(survey: Survey, names: ReadonlySet<string>): ProtectedSheet[] {
  return [...survey.sheets]
    .filter(([name, entry]) => names.has(name) && entry.worksheet.protection.protected)
    .map(([name, entry]) => ({ sheetName: name, options: entry.worksheet.protection.options }));
}

/**
 * "Nuovo modello": adds the six sheets, the code lists and the marker, or completes and repairs a template already
 * there (a run that stopped part way, a complete template, an older version) without touching what the user typed:
 * only headers, formats, lists, prompts, the overlay, formulas of computed columns and protection are written. It
 * refuses, saying why, a sheet of the same name that is not the template's, a typed value where a formula goes, and a
 * sheet protected with a password it does not know. Round trips: one to look, one to check that protection can be
 * lifted (only when a sheet is protected; more only to name the one that cannot), one to draw.
 */
export async function insertTemplate(run: ExcelRun, template: TemplateDef): Promise<DrawResult> {
  const spec = templateSpec(template);
  const looked = await run(async (context) => {
    const survey = queueSurvey(context, spec);
    await context.sync();
    const names = new Set(survey.worksheets.items.map((worksheet) => worksheet.name));
    const reason = refusal(survey, names, spec, template);
    const lifted = reason ? [] : protectedSheets(survey, names);
    return { reason, names, nameDefined: !survey.definedName.isNullObject, lifted };
  });
  if (looked.reason) return { ok: false, message: looked.reason };
  const locked = await sheetThatRefusesUnprotect(run, looked.lifted);
  if (locked) return { ok: false, message: passwordMessage(locked, '«Nuovo modello»') };
  const existing = looked.names;
  await run(async (context) => {
    const worksheets = context.workbook.worksheets;
    // Every sheet exists before any formula names it (T1 sums T2 and T3, T6 looks up Liste).
    for (const name of spec.order) if (!existing.has(name)) worksheets.add(name);
    for (const sheet of looked.lifted) worksheets.getItem(sheet.sheetName).protection.unprotect();
    drawLists(context, spec, existing.has(spec.lists.name));
    drawMarker(context, spec, looked.nameDefined);
    for (const sheet of spec.sheets) {
      drawSheet(context, template, sheet, {
        existing: existing.has(sheet.name),
        maskExists: existing.has(maskSheetName(sheet.id)),
      });
    }
    // The template does not protect Liste or the marker: a protection the user gave them is restored as it was.
    for (const sheet of looked.lifted) {
      if (!spec.sheets.some((data) => data.name === sheet.sheetName)) {
        worksheets.getItem(sheet.sheetName).protection.protect({ ...sheet.options });
      }
    }
    worksheets.getItem(spec.sheets[0]?.name ?? '').activate();
    await context.sync();
  });
  return spec.order.some((name) => existing.has(name)) ? { ok: true, repaired: true } : { ok: true };
}
