import { describe, expect, it } from 'vitest';
import { localCheck } from '../../addin/app/checks.ts';
import { insertTemplate } from '../../addin/excel/draw.ts';
import { LISTS_SHEET, MARKER_SHEET, maskSheetName } from '../../addin/excel/layout.ts';
import { type Checker, validateWorkbook } from '../../addin/excel/validate.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { NOW, staff, validSubmission } from '../support/builders.ts';
import { FakeWorkbook } from './fake-excel.ts';
import { typeSubmission } from './workbook-fixture.ts';
import { runFailingPartWay, typedData, workbookSnapshot } from './workbook-snapshot.ts';

/** Issue #16 point 5: "Nuovo modello" completes or repairs a template already there, or says exactly why not. */

const check: Checker = async (read) => localCheck(read.submission, loadComuni(), NOW);
const T3 = 'T3_Personale_SS';
const T1 = LEPS_ATS.sheets[0]?.name ?? '';
const submission = () => validSubmission({ T3: [staff('AS-1', { ORE_SETT: 40 }), staff('AS-2', { ORE_SETT: 999 })] });

function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing in the fake workbook');
  return value;
}

/** A workbook drawn in one go and then typed in: what a repaired workbook must be identical to. */
async function drawnAndTyped(): Promise<FakeWorkbook> {
  const book = new FakeWorkbook();
  expect(await insertTemplate(book.run, LEPS_ATS)).toEqual({ ok: true });
  typeSubmission(book, submission());
  return book;
}

describe('Nuovo modello on a workbook where a previous run stopped part way', () => {
  for (const fraction of [0.05, 0.5, 0.95]) {
    it(`completes a draw that failed after ${fraction * 100} % of its operations, keeping what was typed`, async () => {
      const book = new FakeWorkbook();
      // Round trip 1 looks, round trip 2 draws: the draw fails part way and Excel keeps what ran before.
      await expect(insertTemplate(runFailingPartWay(book, 2, fraction), LEPS_ATS)).rejects.toThrow(/interrotta/);
      typeSubmission(book, submission());
      const typed = typedData(book);

      expect(await insertTemplate(book.run, LEPS_ATS)).toEqual({ ok: true, repaired: true });

      expect(typedData(book)).toEqual(typed);
      expect(workbookSnapshot(book)).toEqual(workbookSnapshot(await drawnAndTyped()));
    });
  }

  it('completes a template whose data sheets were deleted while the very hidden marker and mask sheets remain', async () => {
    const book = await drawnAndTyped();
    const expected = workbookSnapshot(book);
    const typedT3 = typedData(book)[T3];
    for (const name of LEPS_ATS.sheets.filter((sheet) => sheet.id !== 'T3').map((sheet) => sheet.name)) {
      book.sheets.splice(book.sheets.indexOf(present(book.sheet(name))), 1);
    }
    // T3 lost its header row and its overlay; the masks, Liste and the marker are still there.
    const t3 = present(book.sheet(T3));
    for (const cellKey of [...t3.cells.keys()]) if (cellKey.startsWith('0,')) t3.cells.delete(cellKey);
    t3.conditionalFormats.splice(0);
    expect(book.sheet(maskSheetName('T1'))?.visibility).toBe('VeryHidden');

    const result = await insertTemplate(book.run, LEPS_ATS);

    expect(result).toEqual({ ok: true, repaired: true });
    expect(typedData(book)[T3]).toEqual(typedT3);
    // The sheets deleted with their data come back blank; everything else is as a template drawn in one go.
    const blankAgain = await drawnAndTyped();
    for (const sheet of LEPS_ATS.sheets.filter((entry) => entry.id !== 'T3')) {
      const state = present(blankAgain.sheet(sheet.name));
      for (const [cellKey, cell] of [...state.cells]) {
        if (!cellKey.startsWith('0,') && cell.formula === undefined) state.cells.delete(cellKey);
      }
    }
    expect(workbookSnapshot(book)).toEqual(workbookSnapshot(blankAgain));
    expect(expected).not.toEqual(workbookSnapshot(book));
  });
});

describe('Nuovo modello on a complete template', () => {
  it('changes nothing on a validated template with data, marks and notes', async () => {
    const book = await drawnAndTyped();
    const validated = await validateWorkbook({ run: book.run, template: LEPS_ATS, features: { notes: true }, check });
    expect(validated.ok && validated.result.findings.length).toBeGreaterThan(0);
    const before = workbookSnapshot(book);

    expect(await insertTemplate(book.run, LEPS_ATS)).toEqual({ ok: true, repaired: true });

    expect(workbookSnapshot(book)).toEqual(before);
  });

  it('repairs an older version: marker, headers and code lists brought up to date, data untouched', async () => {
    const book = await drawnAndTyped();
    const expected = workbookSnapshot(book);
    const typed = typedData(book);
    book.setValues(MARKER_SHEET, 'A1', [[LEPS_ATS.id, '0.9']]);
    book.setValues(T1, 'A1', [['Vecchia intestazione']]);
    book.setValues(LISTS_SHEET, 'A400', [['CODICE_RITIRATO']]);

    expect(await insertTemplate(book.run, LEPS_ATS)).toEqual({ ok: true, repaired: true });

    expect(typedData(book)).toEqual(typed);
    expect(workbookSnapshot(book)).toEqual(expected);
  });
});

describe('Nuovo modello says exactly why not, and writes nothing', () => {
  it('refuses a sheet of the same name that is not the template’s', async () => {
    const book = new FakeWorkbook();
    book.setValues(T3, 'A1', [
      ['Nome', 'Cognome'],
      ['Mario', 'Rossi'],
    ]);
    const before = workbookSnapshot(book);

    const result = await insertTemplate(book.run, LEPS_ATS);

    expect(result).toEqual({ ok: false, message: expect.stringContaining(`Il foglio «${T3}» esiste già`) });
    expect(workbookSnapshot(book)).toEqual(before);
  });

  it('refuses a value typed where the template computes a formula, naming sheet, column and cell', async () => {
    const book = await drawnAndTyped();
    const sheet = present(LEPS_ATS.sheets.find((entry) => entry.id === 'T3'));
    const index = sheet.columns.findIndex((column) => column.computed);
    const letter = String.fromCharCode(65 + index);
    book.setValues(sheet.name, `${letter}2`, [[123]]);
    delete present(book.cell(sheet.name, `${letter}2`)).formula;
    const before = workbookSnapshot(book);

    const result = await insertTemplate(book.run, LEPS_ATS);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(
      `Il foglio «${sheet.name}», colonna «${sheet.columns[index]?.header}»`,
    );
    expect(!result.ok && result.message).toContain(`cella ${letter}2`);
    expect(workbookSnapshot(book)).toEqual(before);
  });

  it('refuses a workbook whose marker names another template', async () => {
    const book = new FakeWorkbook();
    book.setValues(MARKER_SHEET, 'A1', [['ALTRO-MODELLO', '1.0']]);
    const before = workbookSnapshot(book);

    const result = await insertTemplate(book.run, LEPS_ATS);

    expect(!result.ok && result.message).toContain('«ALTRO-MODELLO»');
    expect(workbookSnapshot(book)).toEqual(before);
  });
});
