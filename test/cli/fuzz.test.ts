import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateWorkbook } from '../../cli/commands/valida.ts';
import { XlsxFileError } from '../../cli/xlsx/guard.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { HEADER_ROW, MARKER_NAME, MARKER_SHEET } from '../../shared/workbook/index.ts';
import { NOW } from '../support/builders.ts';

/**
 * Whatever lands in the cells of a workbook of ours — any type, errors, formulas, merges, text in number columns,
 * cells beyond the headers — `valida` answers with findings, each on a cell, and never throws anything but a
 * XlsxFileError. A light workbook (headers and marker only) keeps each run fast.
 */

const cellValue: fc.Arbitrary<ExcelJS.CellValue> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('1.234,56', '31/12/2025', '2025-12-31', 'S', 'n', 'ATS-05-001', '025006', '=1+1', '', '   '),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
  fc.integer({ min: -100000, max: 100000 }),
  fc.boolean(),
  fc.date({ min: new Date('1900-03-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }),
  fc.constantFrom<ExcelJS.CellValue>(
    { formula: '1/0', result: { error: '#DIV/0!' } },
    { formula: 'A1', result: 'testo' },
    { formula: '2+2', result: 4 },
    { error: '#N/A' },
    { richText: [{ text: 'ric' }, { text: 'co' }] },
    { text: 'collegamento', hyperlink: 'https://example.invalid' },
    null,
  ),
);

interface Edit {
  readonly sheet: number;
  readonly row: number;
  readonly column: number;
  readonly value: ExcelJS.CellValue;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  sheet: fc.integer({ min: 0, max: LEPS_ATS.sheets.length - 1 }),
  row: fc.integer({ min: HEADER_ROW + 1, max: 12 }),
  column: fc.integer({ min: 1, max: 50 }),
  value: cellValue,
});

async function workbookWith(edits: readonly Edit[], merge: boolean): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const definition of LEPS_ATS.sheets) {
    const sheet = workbook.addWorksheet(definition.name);
    definition.columns.forEach((column, index) => {
      sheet.getCell(HEADER_ROW, index + 1).value = column.header;
    });
  }
  const marker = workbook.addWorksheet(MARKER_SHEET, { state: 'hidden' });
  marker.getCell('A1').value = LEPS_ATS.id;
  marker.getCell('B1').value = LEPS_ATS.version;
  workbook.definedNames.add(`'${MARKER_SHEET}'!$A$1:$B$1`, MARKER_NAME);
  for (const change of edits) {
    const definition = LEPS_ATS.sheets[change.sheet];
    const sheet = definition ? workbook.getWorksheet(definition.name) : undefined;
    if (sheet) sheet.getCell(change.row, change.column).value = change.value;
  }
  if (merge) workbook.getWorksheet(LEPS_ATS.sheets[3]?.name ?? '')?.mergeCells('B2:D4');
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('valida on arbitrary cell contents', () => {
  it('always answers with located findings, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { maxLength: 40 }), fc.boolean(), async (edits, merge) => {
        const bytes = await workbookWith(edits, merge);
        try {
          const report = await validateWorkbook(bytes, { now: NOW });
          for (const finding of report.findings) {
            expect(finding.cell).toMatch(/^(\(cartella\)|T\d_\w+(!.+)?)$/);
            expect(finding.message.length).toBeGreaterThan(0);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(XlsxFileError);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
