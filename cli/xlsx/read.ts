import ExcelJS from 'exceljs';
import type { Finding } from '../../shared/checks/types.ts';
import type { TemplateDef } from '../../shared/template/types.ts';
import {
  type CellMap,
  type ReadOptions as CoreReadOptions,
  createWorkbookReader,
  dateToExcelSerial,
  findingAddress,
  type GridValue,
  locateFinding,
  MARKER_NAME,
  MARKER_SHEET,
  type Marker,
  markerFromValues,
  type WorkbookRead,
  WorkbookReadError,
} from '../../shared/workbook/index.ts';
import { inspectXlsx, XLSX_LIMITS, XlsxFileError, type XlsxLimits } from './guard.ts';

/**
 * The exceljs adapter of the workbook core: after the zip guard, it loads the .xlsx and hands each worksheet's cells to
 * the core reader (shared/workbook/reader.ts) as the grid Office.js would give (grid.ts), so a file reads exactly as
 * the add-in reads the same workbook. Everything else (sheets, headers, trimming, envelope, findings) is the core's.
 */

export type { CellMap, SheetCells, WorkbookRead } from '../../shared/workbook/index.ts';

export interface ReadOptions extends CoreReadOptions {
  readonly limits?: XlsxLimits;
}

/** `T4_Quadro_Fondi!J3` for a finding, using the file's own sheet names, rows and columns. */
export function cellAddress(
  cells: CellMap,
  finding: Pick<Finding, 'sheet' | 'row' | 'column'>,
  template: TemplateDef,
): string {
  return findingAddress(locateFinding(template, cells, finding));
}

/** An exceljs cell value as Office.js `Range.values` would give it (grid.ts). */
export function gridValue(value: ExcelJS.CellValue): GridValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '#VALUE!' : dateToExcelSerial(value);
  if ('error' in value) return String(value.error);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: ExcelJS.CellValue }).result;
    return result === undefined ? null : gridValue(result);
  }
  if ('text' in value && typeof value.text === 'string') return value.text;
  return null;
}

/**
 * A cell's grid value. Formula cells are read through `cell.result` (exceljs's `cell.value` drops a result of 0 or
 * ""); the other cells of a merged area are empty, as in the file and in Office.js.
 */
function cellGridValue(cell: ExcelJS.Cell): GridValue {
  if (cell.type === ExcelJS.ValueType.Merge) return null;
  if (cell.type === ExcelJS.ValueType.Formula) return cell.result === undefined ? null : gridValue(cell.result);
  return gridValue(cell.value);
}

function readMarker(workbook: ExcelJS.Workbook): Marker | null {
  const sheet = workbook.getWorksheet(MARKER_SHEET);
  if (sheet) return markerFromValues([cellGridValue(sheet.getCell('A1')), cellGridValue(sheet.getCell('B1'))]);
  // A renamed marker sheet is still found through the defined name.
  const range = workbook.definedNames.model.find((entry) => entry.name === MARKER_NAME)?.ranges[0];
  const match = range ? /^'?(.+?)'?!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(range) : null;
  if (!match?.[1]) return null;
  const renamed = workbook.getWorksheet(match[1].replace(/''/g, "'"));
  if (!renamed) return null;
  const id = cellGridValue(renamed.getCell(`${match[2]}${match[3]}`));
  const version = match[4] ? cellGridValue(renamed.getCell(`${match[4]}${match[5]}`)) : '';
  return markerFromValues([id, version]);
}

async function loadWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    // Data validations are not read: exceljs expands each range into one entry per cell, and the template's lists
    // cover whole columns (a million cells each).
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer, { ignoreNodes: ['dataValidations'] } as never);
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
  try {
    const reader = createWorkbookReader({
      marker: readMarker(workbook),
      sheetNames: workbook.worksheets.map((worksheet) => worksheet.name),
      options,
    });
    for (const worksheet of workbook.worksheets) {
      const merges = (worksheet.model as { merges?: string[] }).merges ?? [];
      const sink = reader.sheet(worksheet.name, { merges });
      if (!sink) continue;
      worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
        const values: GridValue[] = [];
        for (let column = 1; column <= row.cellCount; column++) values.push(cellGridValue(row.getCell(column)));
        sink.row(rowNumber, values);
      });
      sink.end();
    }
    return reader.finish();
  } catch (error) {
    if (error instanceof WorkbookReadError) throw new XlsxFileError(error.message);
    throw error;
  }
}
