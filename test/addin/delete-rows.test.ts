import { describe, expect, it } from 'vitest';
import { localCheck } from '../../addin/app/checks.ts';
import { deletedRowsText, deleteSelectedRows } from '../../addin/excel/delete-rows.ts';
import { insertTemplate } from '../../addin/excel/draw.ts';
import { CHECKS_SHEET, maskSheetName, SHEET_PROTECTION } from '../../addin/excel/layout.ts';
import { type Checker, validateWorkbook } from '../../addin/excel/validate.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { columnLetterOf, sheetById } from '../../shared/workbook/index.ts';
import { NOW, staff, validSubmission } from '../support/builders.ts';
import { FakeExcelError, FakeWorkbook } from './fake-excel.ts';
import { typeSubmission } from './workbook-fixture.ts';
import { workbookSnapshot } from './workbook-snapshot.ts';

/**
 * Issue #16 point 3, deleting rows: Excel refuses to delete a row of a protected sheet unless every cell of it is
 * unlocked, and the template's computed columns are locked; «Elimina righe» lifts the template's protection, deletes
 * the selected data rows and protects the sheet again with the one protection definition.
 */

const T3 = 'T3_Personale_SS';
const T1 = 'T1_ATS_Anagrafica';
const check: Checker = async (read) => localCheck(read.submission, loadComuni(), NOW);

async function templateWithStaff(count: number): Promise<FakeWorkbook> {
  const book = new FakeWorkbook();
  expect(await insertTemplate(book.run, LEPS_ATS)).toEqual({ ok: true });
  const rows = Array.from({ length: count }, (_, index) => staff(`AS-${index + 1}`));
  typeSubmission(book, validSubmission({ T3: rows }));
  return book;
}

/** A user lifting a sheet's protection (Revisione › Rimuovi protezione foglio). */
function unprotect(book: FakeWorkbook, sheetName: string): void {
  const sheet = book.sheet(sheetName);
  if (!sheet) throw new Error(`no ${sheetName}`);
  sheet.protected = false;
  sheet.protectionOptions = {};
  sheet.password = null;
}

/** A user's selection of whole rows, as Excel reports it. */
const selectRows = (book: FakeWorkbook, sheet: string, rows: string): void => {
  book.selection = { sheet, address: rows };
};

/** The T3 staff ids down their column, from row 2 to the first empty row. */
function staffIds(book: FakeWorkbook): unknown[] {
  const column = columnLetterOf(sheetById(LEPS_ATS, 'T3'), 'ID_DIPENDENTE');
  const ids: unknown[] = [];
  for (let row = 2; (book.value(T3, `${column}${row}`) ?? '') !== ''; row++)
    ids.push(book.value(T3, `${column}${row}`));
  return ids;
}

describe('the fake host deletes rows as Excel does', () => {
  it('refuses, on a protected template sheet, to delete a row through the locked computed columns', async () => {
    const book = await templateWithStaff(3);
    const before = workbookSnapshot(book);
    expect(() => book.deleteRows(T3, 3)).toThrow(/AccessDenied/);
    await expect(
      book.run(async (context) => {
        context.workbook.worksheets.getItem(T3).getRange('3:3').delete('Up');
        await context.sync();
      }),
    ).rejects.toThrow(/AccessDenied/);
    expect(workbookSnapshot(book)).toEqual(before);
  });
});

describe('Elimina righe selezionate', () => {
  it('deletes the selected data rows, keeps the marks on their cells and protects the sheet again', async () => {
    const book = await templateWithStaff(5);
    expect((await validateWorkbook({ run: book.run, template: LEPS_ATS, features: { notes: true }, check })).ok).toBe(
      true,
    );
    book.typeValues(T3, 'B6', [['']]);
    const mask = maskSheetName('T3');
    book.setValues(mask, 'A6', [[2]]);
    selectRows(book, T3, '3:4');

    const result = await deleteSelectedRows(book.run, LEPS_ATS);

    expect(result).toEqual({ ok: true, sheetName: T3, firstRow: 3, lastRow: 4 });
    expect(staffIds(book)).toEqual(['AS-1', 'AS-4', 'AS-5']);
    expect(book.value(mask, 'A4')).toBe(2);
    expect(book.sheet(T3)?.protected).toBe(true);
    expect(book.sheet(T3)?.protectionOptions).toEqual({ ...SHEET_PROTECTION });
    expect(book.sheet(T3)?.password).toBeNull();
    expect(result.ok && deletedRowsText(result)).toBe(
      `Eliminate le righe 3–4 (2 righe) del foglio «${T3}»; le righe sotto sono salite e il foglio è di nuovo ` +
        'protetto come nel modello.',
    );
  });

  it('protects the sheet again when Excel fails the batch after lifting its protection, and says so', async () => {
    const book = await templateWithStaff(5);
    expect((await validateWorkbook({ run: book.run, template: LEPS_ATS, features: { notes: true }, check })).ok).toBe(
      true,
    );
    const mask = maskSheetName('T3');
    // Excel applies a batch up to the operation that fails: here the mask's delete, after the unprotect.
    const deleteRows = book.deleteRows.bind(book);
    book.deleteRows = (sheetName, firstRow, count) => {
      if (sheetName === mask) throw new FakeExcelError('AccessDenied', 'errore simulato');
      deleteRows(sheetName, firstRow, count);
    };
    selectRows(book, T3, '3:4');

    await expect(deleteSelectedRows(book.run, LEPS_ATS)).rejects.toThrow(/errore simulato/);

    expect(book.sheet(T3)?.protected).toBe(true);
    expect(book.sheet(T3)?.protectionOptions).toEqual({ ...SHEET_PROTECTION });
  });

  it('deletes one row of a sheet the user unprotected, and leaves it unprotected', async () => {
    const book = await templateWithStaff(3);
    unprotect(book, T3);
    selectRows(book, T3, 'C2');

    const result = await deleteSelectedRows(book.run, LEPS_ATS);

    expect(result).toEqual({ ok: true, sheetName: T3, firstRow: 2, lastRow: 2 });
    expect(staffIds(book)).toEqual(['AS-2', 'AS-3']);
    expect(book.sheet(T3)?.protected).toBe(false);
  });

  it.each([
    ['the header row', T3, '1:2', 'comprende la riga 1'],
    ['a sheet that is not a template data sheet', CHECKS_SHEET, '2:3', 'non è un foglio dati del modello LEPS'],
    ['the single data row of T1', T1, '2:2', 'ha una sola riga di dati'],
  ])('refuses %s in Italian and changes nothing', async (_case, sheet, rows, message) => {
    const book = await templateWithStaff(3);
    if (!book.sheet(CHECKS_SHEET)) book.addSheet(CHECKS_SHEET);
    selectRows(book, sheet, rows);
    const before = workbookSnapshot(book);

    const result = await deleteSelectedRows(book.run, LEPS_ATS);

    expect(result).toEqual({ ok: false, message: expect.stringContaining(message) });
    expect(workbookSnapshot(book)).toEqual(before);
  });

  it('names a sheet protected with a password and changes nothing', async () => {
    const book = await templateWithStaff(3);
    unprotect(book, T3);
    book.protectSheet(T3, { ...SHEET_PROTECTION }, 'segreta');
    selectRows(book, T3, '3:3');
    const before = workbookSnapshot(book);

    const result = await deleteSelectedRows(book.run, LEPS_ATS);

    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining(`Il foglio «${T3}» è protetto con una password`),
    });
    expect(workbookSnapshot(book)).toEqual(before);
  });
});
