import ExcelJS from 'exceljs';
import type { TemplateDef } from '../../shared/template/types.ts';
import {
  lastFormulaRow,
  type SheetProtection,
  type SheetSpec,
  type TemplateSpec,
  templateSpec,
  validatedRange,
} from '../../shared/workbook/index.ts';

/**
 * The exceljs writer of the blank template: it renders the workbook core's description (shared/workbook/
 * template-spec.ts), the same one the add-in draws with Office.js, into an .xlsx.
 */

/** exceljs has the API but not the typing for range data validations. */
interface DataValidationsApi {
  add(address: string, validation: ExcelJS.DataValidation): void;
}

function dataValidations(sheet: ExcelJS.Worksheet): DataValidationsApi {
  return (sheet as unknown as { dataValidations: DataValidationsApi }).dataValidations;
}

/** #RRGGBB as exceljs's ARGB. */
const argb = (color: string): string => `FF${color.slice(1).toUpperCase()}`;
const solid = (color: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb: argb(color) } });

/** The core's protection (Office.js option names) as exceljs's, which maps them to OOXML's sheetProtection. */
export function xlsxProtection(protection: SheetProtection): Partial<ExcelJS.WorksheetProtection> {
  return {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatCells: protection.allowFormatCells,
    formatColumns: protection.allowFormatColumns,
    formatRows: protection.allowFormatRows,
    insertColumns: protection.allowInsertColumns,
    insertRows: protection.allowInsertRows,
    insertHyperlinks: protection.allowInsertHyperlinks,
    deleteColumns: protection.allowDeleteColumns,
    deleteRows: protection.allowDeleteRows,
    sort: protection.allowSort,
    autoFilter: protection.allowAutoFilter,
    pivotTables: protection.allowPivotTables,
    objects: protection.allowEditObjects,
  };
}

function drawSheet(workbook: ExcelJS.Workbook, spec: SheetSpec): void {
  const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: spec.freezeRows }] });
  const lastRow = lastFormulaRow(spec);
  for (const column of spec.columns) {
    const sheetColumn = sheet.getColumn(column.number);
    sheetColumn.width = column.width;
    // The column style reaches every row: typed rows keep the format, input columns stay editable all the way down.
    sheetColumn.style = {
      numFmt: column.numberFormat,
      protection: { locked: column.computed },
      ...(column.computed ? { fill: solid(column.fill) } : {}),
    };
    const header = sheet.getCell(spec.headerRow, column.number);
    header.value = column.header;
    if (column.headerNote) header.note = column.headerNote;
    header.font = { bold: true, color: { argb: argb(spec.headerFont) } };
    header.fill = solid(spec.headerFill);
    header.alignment = { wrapText: true, vertical: 'top' };
    header.protection = { locked: true };
    header.numFmt = 'General';

    // One range-wide entry: exceljs writes its address as the sqref, so the whole column costs one element.
    if (column.list || column.prompt) {
      dataValidations(sheet).add(validatedRange(spec, column), {
        type: column.list ? 'list' : 'any',
        allowBlank: true,
        formulae: column.list ? [column.list.source] : [],
        ...(column.list
          ? {
              showErrorMessage: true,
              errorStyle: 'stop',
              errorTitle: column.list.errorTitle,
              error: column.list.errorMessage,
            }
          : {}),
        ...(column.prompt
          ? { showInputMessage: true, promptTitle: column.prompt.title, prompt: column.prompt.message }
          : {}),
      } as ExcelJS.DataValidation);
    }
    if (!column.formula) continue;
    // Input cells exist only through the column style, which keeps the file small whatever the rows prepared.
    for (let row = spec.headerRow + 1; row <= lastRow; row++) {
      const cell = sheet.getCell(row, column.number);
      cell.value = { formula: column.formula(row) } as ExcelJS.CellFormulaValue;
      cell.fill = solid(column.fill);
      cell.protection = { locked: true };
      cell.numFmt = column.numberFormat;
    }
  }
  sheet.getRow(spec.headerRow).height = spec.headerHeight;
}

function drawLists(workbook: ExcelJS.Workbook, spec: TemplateSpec): void {
  const sheet = workbook.addWorksheet(spec.lists.name, { state: 'hidden' });
  for (const entry of spec.lists.columns) {
    const column = sheet.getColumn(entry.number);
    column.numFmt = '@';
    column.width = 16;
    column.values = entry.values;
  }
}

function drawMarker(workbook: ExcelJS.Workbook, spec: TemplateSpec): void {
  const marker = spec.marker;
  const sheet = workbook.addWorksheet(marker.name, { state: 'veryHidden' });
  const [first] = marker.address.split(':');
  const cell = sheet.getCell(first ?? 'A1');
  const next = sheet.getCell(cell.row, cell.col + 1);
  cell.value = marker.values[0];
  next.value = marker.values[1];
  cell.numFmt = '@';
  next.numFmt = '@';
  workbook.definedNames.add(marker.reference, marker.definedName);
}

export async function buildTemplateWorkbook(template: TemplateDef): Promise<ExcelJS.Workbook> {
  const spec = templateSpec(template);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Rendiconta LEPS';
  workbook.title = `${template.title} (${template.id} ${template.version})`;
  workbook.created = new Date(`${template.publishedAt}T00:00:00Z`);
  workbook.modified = workbook.created;
  // The file carries formulas without cached results: ask the spreadsheet to compute them when it opens the file.
  workbook.calcProperties = { fullCalcOnLoad: true };
  for (const sheet of spec.sheets) drawSheet(workbook, sheet);
  drawLists(workbook, spec);
  drawMarker(workbook, spec);
  await Promise.all(
    spec.sheets.map((sheet) => workbook.getWorksheet(sheet.name)?.protect('', xlsxProtection(sheet.protection))),
  );
  return workbook;
}

/** The blank template as .xlsx bytes. */
export async function templateXlsx(template: TemplateDef): Promise<Buffer> {
  const workbook = await buildTemplateWorkbook(template);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
