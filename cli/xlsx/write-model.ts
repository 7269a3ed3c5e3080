import ExcelJS from 'exceljs';
import { type Cell, type CellStyle, toExcelCell } from '../../shared/consolidation/cells.ts';
import type { SheetModel, WorkbookModel } from '../../shared/consolidation/model.ts';

/**
 * Renders a workbook model (shared/consolidation) with exceljs. SAFE WRITES: a text cell is always written as a
 * string cell with format "@" — exceljs only writes a formula when given {formula}, so "=HYPERLINK(…)" from a
 * submission lands as the text it is, in Excel and in LibreOffice. Excel's quote prefix, which the add-in needs for
 * Range.values, is not used here: in a file it would become part of the text.
 */

const FILLS: Record<CellStyle, string | undefined> = {
  header: 'FFDDEBF7',
  missing: 'FFFCE4D6',
  error: 'FFF8CBAD',
  warning: 'FFFFF2CC',
  ok: 'FFE2EFDA',
};

function writeCell(target: ExcelJS.Cell, cell: Cell): void {
  if (cell.kind === 'text') {
    target.value = cell.value;
    target.numFmt = '@';
  } else {
    const excel = toExcelCell(cell);
    if (typeof excel.value === 'number') {
      target.value = excel.value;
    } else if (excel.value !== '') {
      // A date that is not a real date comes back as text: strip the quote prefix meant for Range.values.
      target.value = excel.value.startsWith("'") ? excel.value.slice(1) : excel.value;
    }
    target.numFmt = excel.numberFormat;
  }
  const fill = cell.style ? FILLS[cell.style] : undefined;
  if (fill) target.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
  if (cell.style === 'header') target.font = { bold: true };
}

function writeSheet(workbook: ExcelJS.Workbook, model: SheetModel): void {
  const sheet = workbook.addWorksheet(model.name.slice(0, 31), {
    views: model.freezeRows > 0 ? [{ state: 'frozen', ySplit: model.freezeRows }] : [],
  });
  model.columns.forEach((column, index) => {
    sheet.getColumn(index + 1).width = column.width;
  });
  model.rows.forEach((row, rowIndex) => {
    row.forEach((cell, columnIndex) => {
      writeCell(sheet.getCell(rowIndex + 1, columnIndex + 1), cell);
    });
  });
  for (const mark of model.marks) {
    const target = sheet.getCell(mark.row + 1, mark.column + 1);
    const severity = mark.severity === 'error' ? 'Errore' : 'Avviso';
    target.note = `${severity} ${mark.rule}${mark.ats ? ` (${mark.ats})` : ''}: ${mark.message}`;
    target.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILLS[mark.severity] ?? 'FFFFF2CC' } };
  }
}

export async function workbookModelXlsx(model: WorkbookModel): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Rendiconta LEPS';
  workbook.title = `Consolidato Regione ${model.region} al ${model.period}`;
  for (const sheet of model.sheets) writeSheet(workbook, sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
