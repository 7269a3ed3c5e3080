import { INDICATOR_UNITS_HEADER } from '../../cli/xlsx/layout.ts';
import { columnHelp } from '../../shared/template/help.ts';
import type { ColumnDef, SheetDef, TemplateDef } from '../../shared/template/types.ts';
import type { ExcelRun, HostContext, HostWorksheet } from './host.ts';
import {
  COLORS,
  columnDataRange,
  columnLetter,
  computedFormula,
  dataArea,
  FIRST_DATA_ROW,
  headerRange,
  indicatorUnitsColumn,
  LISTS_SHEET,
  listColumns,
  listRangeOf,
  MARKER_ADDRESS,
  MARKER_SHEET,
  maskSheetName,
  preparedRows,
  SEVERITY_CODE,
} from './layout.ts';

/** Rows covered by the severity overlay: far beyond any ATS, cheap for Excel (one rule per range). */
export const MARK_ROWS = 200_000;

export type DrawResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Excel's column width is in points; the template gives characters. */
const POINTS_PER_CHARACTER = 7;

function column2d<T>(rows: number, value: (row: number) => T): T[][] {
  return Array.from({ length: rows }, (_, index) => [value(FIRST_DATA_ROW + index)]);
}

/** Excel limits: prompt title 32 characters, message 255. */
const clip = (text: string, length: number): string => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

function drawColumn(template: TemplateDef, sheet: SheetDef, worksheet: HostWorksheet, column: ColumnDef): void {
  const rows = preparedRows(sheet);
  const range = worksheet.getRange(columnDataRange(sheet, column.key));
  range.numberFormat = column2d(rows, () => column.excelFormat);
  range.format.columnWidth = column.width * POINTS_PER_CHARACTER;
  if (column.computed) {
    range.formulas = column2d(rows, (row) => `=${computedFormula(template, sheet, column, row) ?? ''}`);
    range.format.fill.color = COLORS.computed;
    return;
  }
  range.format.fill.color = COLORS.input;
  range.format.protection.locked = false;
  const source = listRangeOf(template, column);
  if (source) {
    range.dataValidation.rule = { list: { inCellDropDown: true, source: `=${source}` } };
    range.dataValidation.errorAlert = {
      showAlert: true,
      style: 'Stop',
      title: 'Codice non ammesso',
      message: clip(`${column.header}: scegliere un valore dall’elenco.`, 255),
    };
  }
  range.dataValidation.prompt = {
    showPrompt: true,
    title: clip(column.header, 32),
    message: clip(columnHelp(template, sheet.id, column.key), 255),
  };
}

/** The overlay that colours marked cells: reads the mask sheet, so the user's own formats are never touched. */
export function addSeverityOverlay(sheet: SheetDef, worksheet: HostWorksheet): void {
  const area = worksheet.getRange(dataArea(sheet, MARK_ROWS));
  const mask = maskSheetName(sheet.id);
  for (const [severity, code] of [
    ['error', SEVERITY_CODE.error],
    ['warning', SEVERITY_CODE.warning],
  ] as const) {
    const format = area.conditionalFormats.add('Custom');
    format.custom.rule.formula = `=${mask}!A${FIRST_DATA_ROW}=${code}`;
    format.custom.format.fill.color = COLORS[severity];
  }
}

export function addMaskSheet(context: HostContext, sheet: SheetDef): HostWorksheet {
  const mask = context.workbook.worksheets.add(maskSheetName(sheet.id));
  mask.visibility = 'VeryHidden';
  return mask;
}

function drawLists(context: HostContext, template: TemplateDef): void {
  const marker = context.workbook.worksheets.add(MARKER_SHEET);
  marker.getRange(MARKER_ADDRESS).values = [[template.id, template.version]];
  marker.visibility = 'Hidden';
  const lists = context.workbook.worksheets.add(LISTS_SHEET);
  for (const entry of listColumns(template)) {
    const letter = columnLetter(entry.column - 1);
    const range = lists.getRange(`${letter}1:${letter}${entry.codes.length + 1}`);
    range.numberFormat = [['@'], ...entry.codes.map(() => ['@'])];
    range.values = [[entry.list], ...entry.codes.map((code) => [code])];
  }
  const units = indicatorUnitsColumn(template);
  const letter = columnLetter(units.column - 1);
  lists.getRange(`${letter}1:${letter}${units.units.length + 1}`).values = [
    [INDICATOR_UNITS_HEADER],
    ...units.units.map((unit) => [unit]),
  ];
  lists.visibility = 'Hidden';
}
function drawSheet(context: HostContext, template: TemplateDef, sheet: SheetDef): void {
  const worksheet = context.workbook.worksheets.add(sheet.name);
  const header = worksheet.getRange(headerRange(sheet));
  header.values = [sheet.columns.map((column) => column.header)];
  header.format.font.bold = true;
  header.format.font.color = COLORS.headerFont;
  header.format.fill.color = COLORS.header;
  header.format.wrapText = true;
  for (const column of sheet.columns) drawColumn(template, sheet, worksheet, column);
  addMaskSheet(context, sheet);
  addSeverityOverlay(sheet, worksheet);
  worksheet.freezePanes.freezeRows(1);
  // No password: protection keeps formulas and headers from accidental edits, it is not a security boundary.
  worksheet.protection.protect({
    allowAutoFilter: true,
    allowSort: true,
    allowFormatColumns: true,
    allowEditObjects: true,
  });
}

/**
 * "Nuovo modello": adds the six sheets, the code lists and the marker. Two round trips: one to see which sheets
 * exist (a workbook that already has the template is left alone), one to draw.
 */
export async function insertTemplate(run: ExcelRun, template: TemplateDef): Promise<DrawResult> {
  return run(async (context) => {
    const worksheets = context.workbook.worksheets.load('items/name');
    await context.sync();
    const existing = new Set(worksheets.items.map((worksheet) => worksheet.name));
    const clash = [MARKER_SHEET, LISTS_SHEET, ...template.sheets.map((sheet) => sheet.name)].find((name) =>
      existing.has(name),
    );
    if (clash) {
      return {
        ok: false,
        message: `Il foglio «${clash}» esiste già: il modello LEPS è già presente in questa cartella di lavoro.`,
      };
    }
    drawLists(context, template);
    for (const sheet of template.sheets) drawSheet(context, template, sheet);
    context.workbook.worksheets.getItem(template.sheets[0]?.name ?? '').activate();
    await context.sync();
    return { ok: true };
  });
}
