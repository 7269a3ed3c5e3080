import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkbook } from '../../cli/xlsx/read.ts';
import { readWorkbookStreaming } from '../../cli/xlsx/read-stream.ts';
import { buildTemplateWorkbook, templateXlsx } from '../../cli/xlsx/write-template.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { EXCEL_LAST_ROW, templateSpec, validatedRange } from '../../shared/workbook/index.ts';
import { type LibreOffice, startLibreOffice } from './support/libreoffice.ts';
import { sheetValidations, validationAt } from './support/sheet-validations.ts';
import { type TempDir, tempDir } from './support/workbooks.ts';

/**
 * The template's lists and prompts cover each input column down to Excel's last row, as one `<dataValidation>` per
 * column: a real spreadsheet (LibreOffice, headless) opens the file, keeps them and saves them again, and both .xlsx
 * readers read the file as a blank LEPS workbook.
 */

const spec = templateSpec(LEPS_ATS);
/** An xsd:boolean attribute is on when written "1" or "true" (LibreOffice writes the latter). */
const isOn = (value: string | undefined): boolean => value === '1' || value === 'true';
let template: Buffer;
let resaved: Buffer;
let lo: LibreOffice | undefined;
let dir: TempDir | undefined;

/** Row 100,000 of every validated column holds a code outside any list, as an accountant far down might type. */
const FAR_ROW = 100_000;
const OUTSIDE_THE_LIST = 'ZZ-NON-IN-ELENCO';

/**
 * LibreOffice saves cell attributes, validations included, only down to the rows it uses: a value typed at row
 * 100,000 makes it write back the validation it applies there, which shows it read the whole-column range.
 */
async function templateTypedFarDown(): Promise<Buffer> {
  const workbook = await buildTemplateWorkbook(LEPS_ATS);
  for (const sheet of spec.sheets) {
    const worksheet = workbook.getWorksheet(sheet.name);
    for (const column of sheet.columns) {
      if (worksheet && (column.list || column.prompt))
        worksheet.getCell(FAR_ROW, column.number).value = OUTSIDE_THE_LIST;
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

beforeAll(async () => {
  template = await templateXlsx(LEPS_ATS);
  dir = tempDir();
  lo = startLibreOffice();
  const [saved] = await lo.convert([dir.file('modello.xlsx', await templateTypedFarDown())]);
  if (!saved) throw new Error('LibreOffice did not convert the template');
  resaved = readFileSync(saved);
}, 180_000);

afterAll(() => {
  lo?.dispose();
  dir?.dispose();
});

describe('lists and prompts on whole input columns', () => {
  it('are one dataValidation per input column, from row 2 to row 1,048,576, in the file written', async () => {
    const written = await sheetValidations(template);
    for (const sheet of spec.sheets) {
      const expected = sheet.columns
        .filter((column) => column.list || column.prompt)
        .map((column) => validatedRange(sheet, column));
      expect(expected.length, sheet.name).toBeGreaterThan(0);
      expect((written.get(sheet.name) ?? []).map((entry) => entry.sqref).sort(), sheet.name).toEqual(expected.sort());
    }
    expect(EXCEL_LAST_ROW).toBe(1_048_576);
  });

  it('survive LibreOffice opening and saving the file: the list applies at row 2 and at row 100,000', async () => {
    // LibreOffice writes back validations only down to the last row used (here FAR_ROW), so the last row is not seen.
    const kept = await sheetValidations(resaved);
    let lists = 0;
    for (const sheet of spec.sheets) {
      const validations = kept.get(sheet.name) ?? [];
      for (const column of sheet.columns) {
        for (const row of [2, FAR_ROW]) {
          const found = validationAt(validations, column.letter, row);
          if (column.list) {
            lists += 1;
            expect(found?.attributes.get('type'), `${sheet.name}!${column.letter}${row}`).toBe('list');
            // LibreOffice may drop the quotes of a plain sheet name: the source is still the Liste column.
            expect(found?.formula1.replace(/'/g, '')).toBe(column.list.source.replace(/'/g, ''));
            expect(isOn(found?.attributes.get('showErrorMessage'))).toBe(true);
            expect(found?.attributes.get('errorStyle') ?? 'stop').toBe('stop');
          } else if (column.prompt) {
            expect(isOn(found?.attributes.get('showInputMessage')), `${sheet.name}!${column.letter}${row}`).toBe(true);
            expect(found?.attributes.get('promptTitle')).toBe(column.prompt.title);
          } else {
            expect(found, `${sheet.name}!${column.letter}${row}`).toBeUndefined();
          }
        }
        expect(validationAt(validations, column.letter, 1)).toBeUndefined();
      }
    }
    expect(lists).toBeGreaterThan(0);
  });

  it('leave the file a LEPS workbook both .xlsx readers read, before and after LibreOffice', async () => {
    for (const read of [readWorkbookStreaming, readWorkbook]) {
      const blank = await read(template);
      expect(blank.template.id).toBe(LEPS_ATS.id);
      for (const sheet of LEPS_ATS.sheets) {
        const rows = blank.submission.sheets[sheet.id] ?? [];
        expect(rows.filter((row) => Object.values(row).some((value) => value !== null && value !== ''))).toEqual([]);
      }
      const typed = await read(resaved);
      expect(typed.template.id).toBe(LEPS_ATS.id);
      expect(JSON.stringify(typed.submission.sheets)).toContain(OUTSIDE_THE_LIST);
    }
  }, 120_000);
});
