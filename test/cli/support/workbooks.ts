import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { templateXlsx } from '../../../cli/xlsx/write-template.ts';
import { LEPS_ATS, type Submission, type SubmissionCell, type TemplateDef } from '../../../shared/index.ts';
import { columnIndexOf, FIRST_DATA_ROW } from '../../../shared/workbook/index.ts';

/**
 * Fills the blank template the way a user would: codes and text as text, numbers as numbers, dates as dates, and a
 * string where the data has a string (so "480.000,00" in an amount column stays text, as typed in Italian Excel).
 * Computed columns are left to the template's formulas. The template is `rendiconta modello`'s of the given version.
 */
export async function filledWorkbook(
  submission: Submission,
  template: TemplateDef = LEPS_ATS,
): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // Without the lists: exceljs would expand the template's whole-column validations into a million entries each.
  await workbook.xlsx.load(
    (await templateXlsx(template)) as unknown as ExcelJS.Buffer,
    {
      ignoreNodes: ['dataValidations'],
    } as never,
  );
  for (const definition of template.sheets) {
    const sheet = workbook.getWorksheet(definition.name);
    if (!sheet) throw new Error(`missing ${definition.name}`);
    (submission.sheets[definition.id] ?? []).forEach((row, index) => {
      for (const column of definition.columns) {
        if (column.computed) continue;
        const value: SubmissionCell | undefined = row[column.key];
        if (value === undefined || value === null) continue;
        const cell = sheet.getCell(FIRST_DATA_ROW + index, columnIndexOf(definition, column.key));
        cell.value =
          column.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
            ? new Date(`${value}T00:00:00Z`)
            : value;
      }
    });
  }
  return workbook;
}

export async function filledXlsx(submission: Submission, template: TemplateDef = LEPS_ATS): Promise<Buffer> {
  return Buffer.from(await (await filledWorkbook(submission, template)).xlsx.writeBuffer());
}

export async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface TempDir {
  readonly path: string;
  file(name: string, data: Buffer | string): string;
  dispose(): void;
}

export function tempDir(prefix = 'rendiconta-cli-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file(name: string, data: Buffer | string): string {
      const target = join(path, name);
      writeFileSync(target, data);
      return target;
    },
    dispose(): void {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
