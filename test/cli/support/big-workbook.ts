import ExcelJS from 'exceljs';
import { LEPS_ATS, type SheetId, type Submission, type SubmissionRow } from '../../../shared/index.ts';
import { FIRST_DATA_ROW, HEADER_ROW, MARKER_SHEET } from '../../../shared/workbook/index.ts';

/**
 * Writes a large filled workbook to disk with exceljs's streaming writer (a 100,000-row sheet in a few seconds, where
 * loading the template and filling it would take minutes and gigabytes): every template sheet with its header row,
 * the rows of `base`, then `rows` generated rows in `sheet`, and the hidden `_Modello` marker. Shared strings and a
 * date format for date columns, as Excel saves them. Computed columns are left empty (the checks recompute them).
 */
export interface BigWorkbookSpec {
  readonly base: Submission;
  /** The sheet that receives the generated rows (after its own rows of `base`, which should then be empty). */
  readonly sheet: SheetId;
  readonly rows: number;
  readonly row: (index: number) => SubmissionRow;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function writeBigXlsx(path: string, spec: BigWorkbookSpec): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  for (const definition of LEPS_ATS.sheets) {
    const sheet = writer.addWorksheet(definition.name);
    definition.columns.forEach((column, index) => {
      if (column.type === 'date') sheet.getColumn(index + 1).numFmt = 'dd/mm/yyyy';
    });
    sheet.getRow(HEADER_ROW).values = definition.columns.map((column) => column.header);
    sheet.getRow(HEADER_ROW).commit();
    const write = (row: SubmissionRow, excelRow: number): void => {
      const values = definition.columns.map((column) => {
        if (column.computed) return null;
        const value = row[column.key];
        if (value === undefined || value === null) return null;
        return column.type === 'date' && typeof value === 'string' && ISO_DATE.test(value)
          ? new Date(`${value}T00:00:00Z`)
          : value;
      });
      const target = sheet.getRow(excelRow);
      target.values = values;
      values.forEach((value, index) => {
        if (value instanceof Date) target.getCell(index + 1).numFmt = 'dd/mm/yyyy';
      });
      target.commit();
    };
    const own = spec.base.sheets[definition.id] ?? [];
    own.forEach((row, index) => {
      write(row, FIRST_DATA_ROW + index);
    });
    if (definition.id === spec.sheet) {
      for (let index = 0; index < spec.rows; index++) write(spec.row(index), FIRST_DATA_ROW + own.length + index);
    }
    sheet.commit();
  }
  const marker = writer.addWorksheet(MARKER_SHEET, { state: 'hidden' });
  marker.getRow(1).values = [LEPS_ATS.id, LEPS_ATS.version];
  marker.getRow(1).commit();
  marker.commit();
  await writer.commit();
}
