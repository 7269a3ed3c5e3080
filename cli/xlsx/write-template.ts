import ExcelJS from 'exceljs';
import { columnHelp } from '../../shared/template/help.ts';
import type { ColumnDef, SheetDef, TemplateDef } from '../../shared/template/types.ts';
import {
  columnLetter,
  computedFormula,
  FIRST_DATA_ROW,
  HEADER_ROW,
  INDICATOR_UNITS_HEADER,
  indicatorUnitsColumn,
  LISTS_SHEET,
  listColumns,
  listRangeOf,
  MARKER_NAME,
  MARKER_SHEET,
  preparedRows,
  quoteSheet,
  SHEET_PASSWORD,
} from './layout.ts';

/**
 * The blank template as an .xlsx, drawn from the template definition through the layout of layout.ts: headers with
 * notes, formats, in-cell lists, locked formulas, protection, hidden code lists and the version marker.
 */

/** exceljs has the API but not the typing for range data validations. */
interface DataValidationsApi {
  add(address: string, validation: ExcelJS.DataValidation): void;
}

function dataValidations(sheet: ExcelJS.Worksheet): DataValidationsApi {
  return (sheet as unknown as { dataValidations: DataValidationsApi }).dataValidations;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const COMPUTED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  insertRows: true,
  deleteRows: true,
  sort: true,
  autoFilter: true,
};

function headerNote(template: TemplateDef, sheet: SheetDef, column: ColumnDef): string {
  const parts = [columnHelp(template, sheet.id, column.key)];
  if (column.unit) parts.push(`Unità: ${column.unit}.`);
  if (column.requirement === 'required') parts.push('Obbligatorio.');
  else if (column.requirement === 'computed') parts.push('Calcolato dal modello: non modificare.');
  else if (typeof column.requirement === 'object') parts.push(`Obbligatorio: ${column.requirement.text}.`);
  return parts.join(' ');
}

function validationFor(template: TemplateDef, column: ColumnDef): ExcelJS.DataValidation | undefined {
  const range = listRangeOf(template, column);
  if (!range) return undefined;
  return {
    type: 'list',
    allowBlank: true,
    formulae: [range],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: 'Codice non ammesso',
    error: `Scegliere un valore dall'elenco (${column.codeList ?? ''}).`,
  };
}

function drawSheet(workbook: ExcelJS.Workbook, template: TemplateDef, definition: SheetDef): void {
  const sheet = workbook.addWorksheet(definition.name, {
    views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 1 }],
  });
  const rows = preparedRows(definition);
  const lastRow = FIRST_DATA_ROW + rows - 1;
  definition.columns.forEach((column, index) => {
    const number = index + 1;
    const sheetColumn = sheet.getColumn(number);
    sheetColumn.width = column.width;
    // The column style reaches cells beyond the prepared rows too: typed rows keep the format and stay editable.
    sheetColumn.style = {
      numFmt: column.excelFormat,
      protection: { locked: column.computed !== undefined },
    };
    const header = sheet.getCell(HEADER_ROW, number);
    header.value = column.header;
    header.note = headerNote(template, definition, column);
    header.font = { bold: true };
    header.fill = HEADER_FILL;
    header.alignment = { wrapText: true, vertical: 'top' };
    header.protection = { locked: true };

    const validation = validationFor(template, column);
    if (validation) {
      const letter = columnLetter(number);
      dataValidations(sheet).add(`${letter}${FIRST_DATA_ROW}:${letter}${lastRow}`, validation);
    }
    if (column.computed === undefined) return;
    // Only computed cells exist in the file: input cells take format and "unlocked" from the column style, which
    // keeps the template small (and quick to open) whatever the number of prepared rows.
    for (let row = FIRST_DATA_ROW; row <= lastRow; row++) {
      const cell = sheet.getCell(row, number);
      cell.value = { formula: computedFormula(template, definition, column, row) ?? '""' };
      cell.fill = COMPUTED_FILL;
      cell.protection = { locked: true };
      cell.numFmt = column.excelFormat;
    }
  });
  sheet.getRow(HEADER_ROW).height = 30;
}

function drawLists(workbook: ExcelJS.Workbook, template: TemplateDef): void {
  const sheet = workbook.addWorksheet(LISTS_SHEET, { state: 'hidden' });
  for (const entry of listColumns(template)) {
    const column = sheet.getColumn(entry.column);
    column.numFmt = '@';
    column.width = 16;
    column.values = [entry.list, ...entry.codes];
  }
  const units = indicatorUnitsColumn(template);
  sheet.getColumn(units.column).values = [INDICATOR_UNITS_HEADER, ...units.units];
  sheet.getColumn(units.column).numFmt = '@';
}

function drawMarker(workbook: ExcelJS.Workbook, template: TemplateDef): void {
  const sheet = workbook.addWorksheet(MARKER_SHEET, { state: 'veryHidden' });
  sheet.getCell('A1').value = template.id;
  sheet.getCell('B1').value = template.version;
  sheet.getCell('A1').numFmt = '@';
  sheet.getCell('B1').numFmt = '@';
  workbook.definedNames.add(`${quoteSheet(MARKER_SHEET)}!$A$1:$B$1`, MARKER_NAME);
}

export async function buildTemplateWorkbook(template: TemplateDef): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Rendiconta LEPS';
  workbook.title = `${template.title} (${template.id} ${template.version})`;
  workbook.created = new Date(`${template.publishedAt}T00:00:00Z`);
  workbook.modified = workbook.created;
  // The file carries formulas without cached results: ask the spreadsheet to compute them when it opens the file.
  workbook.calcProperties = { fullCalcOnLoad: true };
  for (const definition of template.sheets) drawSheet(workbook, template, definition);
  drawLists(workbook, template);
  drawMarker(workbook, template);
  await Promise.all(
    template.sheets.map((definition) => {
      const sheet = workbook.getWorksheet(definition.name);
      return sheet ? sheet.protect(SHEET_PASSWORD, PROTECTION) : Promise.resolve();
    }),
  );
  return workbook;
}

/** The blank template as .xlsx bytes. */
export async function templateXlsx(template: TemplateDef): Promise<Buffer> {
  const workbook = await buildTemplateWorkbook(template);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
