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
} from '../../shared/workbook/index.ts';
import type { ExcelRun, HostContext, HostWorksheet } from './host.ts';

/**
 * The Office.js writer of the blank template: it draws the workbook core's description (shared/workbook/
 * template-spec.ts), the same one the .xlsx writer renders, so both workbooks are the same.
 */

export { MARK_ROWS } from '../../shared/workbook/index.ts';

export type DrawResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

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
  const first = spec.headerRow + 1;
  const last = lastFormulaRow(spec);
  const prepared = worksheet.getRange(`${column.letter}${first}:${column.letter}${last}`);
  if (column.formula) {
    whole.format.fill.color = column.fill;
    const formula = column.formula;
    prepared.formulas = column2d(first, last, (row) => `=${formula(row)}`);
    return;
  }
  // Input columns are unlocked all the way down: an accountant types, inserts, sorts and filters any number of rows.
  whole.format.protection.locked = false;
  if (column.list) {
    prepared.dataValidation.rule = { list: { inCellDropDown: true, source: `=${column.list.source}` } };
    prepared.dataValidation.errorAlert = {
      showAlert: true,
      style: 'Stop',
      title: column.list.errorTitle,
      message: column.list.errorMessage,
    };
  }
  if (column.prompt) {
    prepared.dataValidation.prompt = { showPrompt: true, title: column.prompt.title, message: column.prompt.message };
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

function drawLists(context: HostContext, spec: TemplateSpec): void {
  const lists = context.workbook.worksheets.getItem(spec.lists.name);
  for (const entry of spec.lists.columns) {
    const range = lists.getRange(`${entry.letter}1:${entry.letter}${entry.values.length}`);
    range.numberFormat = entry.values.map(() => ['@']);
    range.values = entry.values.map((value) => [value]);
  }
  lists.visibility = spec.lists.visibility;
}

function drawMarker(context: HostContext, spec: TemplateSpec): void {
  const marker = context.workbook.worksheets.getItem(spec.marker.name);
  const range = marker.getRange(spec.marker.address);
  range.numberFormat = [['@', '@']];
  range.values = [[...spec.marker.values]];
  marker.visibility = spec.marker.visibility;
  context.workbook.names.add(spec.marker.definedName, `=${spec.marker.reference}`);
}

function drawSheet(context: HostContext, template: TemplateDef, spec: SheetSpec): void {
  const worksheet = context.workbook.worksheets.getItem(spec.name);
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
    addMaskSheet(context, definition);
    addSeverityOverlay(definition, worksheet);
  }
  worksheet.freezePanes.freezeRows(spec.freezeRows);
  protectSheet(worksheet);
}

/**
 * "Nuovo modello": adds the six sheets, the code lists and the marker. Two round trips: one to see which sheets
 * exist (a workbook that already has the template is left alone), one to draw.
 */
export async function insertTemplate(run: ExcelRun, template: TemplateDef): Promise<DrawResult> {
  const spec = templateSpec(template);
  return run(async (context) => {
    const worksheets = context.workbook.worksheets.load('items/name');
    await context.sync();
    const existing = new Set(worksheets.items.map((worksheet) => worksheet.name));
    const clash = spec.order.find((name) => existing.has(name));
    if (clash) {
      return {
        ok: false,
        message: `Il foglio «${clash}» esiste già: il modello LEPS è già presente in questa cartella di lavoro.`,
      };
    }
    // Every sheet exists before any formula names it (T1 sums T2 and T3, T6 looks up Liste).
    for (const name of spec.order) context.workbook.worksheets.add(name);
    drawLists(context, spec);
    drawMarker(context, spec);
    for (const sheet of spec.sheets) drawSheet(context, template, sheet);
    context.workbook.worksheets.getItem(spec.sheets[0]?.name ?? '').activate();
    await context.sync();
    return { ok: true };
  });
}
