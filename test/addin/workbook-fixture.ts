import type { CellScalar } from '../../addin/excel/host.ts';
import { isoDateToExcelSerial } from '../../shared/domain/italian-format.ts';
import type { Submission } from '../../shared/index.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import type { TemplateDef } from '../../shared/template/types.ts';
import type { FakeWorkbook } from './fake-excel.ts';

/**
 * Writes a submission into a fake workbook the way an accountant would have typed it: the header row, one row per
 * record, dates as Excel serial numbers, computed columns left to their formulas, in the columns and headers of
 * `template` (LEPS-ATS 2025.1 unless said). No round trips (test setup).
 */
export function typeSubmission(book: FakeWorkbook, submission: Submission, template: TemplateDef = LEPS_ATS): void {
  if (!book.sheet('_Modello')) {
    book.setValues('_Modello', 'A1', [[template.id, template.version]]);
  }
  for (const sheet of template.sheets) {
    const rows = submission.sheets[sheet.id] ?? [];
    book.setValues(sheet.name, 'A1', [sheet.columns.map((column) => column.header)]);
    const values: CellScalar[][] = rows.map((row) =>
      sheet.columns.map((column) => {
        if (column.computed) return '';
        const value = row[column.key];
        if (value === undefined || value === null) return '';
        if (column.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
          return isoDateToExcelSerial(value);
        }
        return value;
      }),
    );
    if (values.length > 0) book.setValues(sheet.name, 'A2', values);
  }
}
