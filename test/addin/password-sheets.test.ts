import { describe, expect, it } from 'vitest';
import { localCheck } from '../../addin/app/checks.ts';
import { insertTemplate } from '../../addin/excel/draw.ts';
import { CHECKS_SHEET, maskSheetName, RECEIPT_SHEET, SHEET_PROTECTION } from '../../addin/excel/layout.ts';
import { ReceiptSheetLocked, writeReceipt } from '../../addin/excel/receipt.ts';
import { type Checker, validateWorkbook } from '../../addin/excel/validate.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { NOW, receiptOf, staff, validSubmission } from '../support/builders.ts';
import { FakeWorkbook } from './fake-excel.ts';
import { typeSubmission } from './workbook-fixture.ts';
import { workbookSnapshot } from './workbook-snapshot.ts';

/**
 * Issue #16 point 6: a sheet the add-in must write to, protected with a password it does not know, is named in an
 * Italian message and nothing is written. The fake refuses unprotect() without the password, as Excel does.
 */

const check: Checker = async (read) => localCheck(read.submission, loadComuni(), NOW);
const T3 = 'T3_Personale_SS';
const T4 = 'T4_Quadro_Fondi';

async function templateWithData(): Promise<FakeWorkbook> {
  const book = new FakeWorkbook();
  await insertTemplate(book.run, LEPS_ATS);
  typeSubmission(book, validSubmission({ T3: [staff('AS-1', { ORE_SETT: 999 })] }));
  return book;
}

/** The template's protection on a sheet, now with a password the add-in does not know. */
function protectWithPassword(book: FakeWorkbook, sheetName: string): void {
  book.protectSheet(sheetName, { ...SHEET_PROTECTION }, 'segreta');
}

const RECEIPT = receiptOf();

const validate = (book: FakeWorkbook) =>
  validateWorkbook({ run: book.run, template: LEPS_ATS, features: { notes: true }, check });

describe('Nuovo modello and a sheet protected with a password', () => {
  it('names the sheet and writes nothing', async () => {
    const book = await templateWithData();
    protectWithPassword(book, T4);
    // A sheet lost its overlay: there is something to repair, and still nothing may be written.
    const t3 = book.sheet(T3);
    t3?.conditionalFormats.splice(0);
    const before = workbookSnapshot(book);

    const result = await insertTemplate(book.run, LEPS_ATS);

    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining(`Il foglio «${T4}» è protetto con una password`),
    });
    expect(!result.ok && result.message).toContain('«Nuovo modello» non ha modificato nulla');
    expect(workbookSnapshot(book)).toEqual(before);
  });

  it('completes the template once the user has removed the password', async () => {
    const book = await templateWithData();
    protectWithPassword(book, T4);
    await insertTemplate(book.run, LEPS_ATS);
    book.protectSheet(T4, { ...SHEET_PROTECTION });

    expect(await insertTemplate(book.run, LEPS_ATS)).toEqual({ ok: true, repaired: true });
    expect(book.sheet(T4)?.protected).toBe(true);
  });
});

describe('Valida and a sheet protected with a password', () => {
  it('names the sheet and writes nothing when its protection must be lifted (no overlay yet)', async () => {
    const book = await templateWithData();
    // As the command line writes it: no mask sheet for T3, so the validation would lift T3's protection.
    const mask = book.sheet(maskSheetName('T3'));
    if (mask) book.sheets.splice(book.sheets.indexOf(mask), 1);
    protectWithPassword(book, T3);
    const before = workbookSnapshot(book);

    const outcome = await validate(book);

    expect(outcome).toEqual({
      ok: false,
      message: expect.stringContaining(`Il foglio «${T3}» è protetto con una password`),
    });
    expect(!outcome.ok && outcome.message).toContain('il controllo non ha modificato nulla');
    expect(book.sheet(CHECKS_SHEET)).toBeUndefined();
    expect(workbookSnapshot(book)).toEqual(before);
  });

  it('marks as usual a password-protected sheet whose overlay is already there (nothing to lift)', async () => {
    const book = await templateWithData();
    protectWithPassword(book, T3);

    const outcome = await validate(book);

    expect(outcome.ok).toBe(true);
    expect(book.sheet(CHECKS_SHEET)).toBeDefined();
    expect([...(book.sheet(maskSheetName('T3'))?.cells.values() ?? [])].some((cell) => Number(cell.value) > 0)).toBe(
      true,
    );
    expect(book.sheet(T3)?.password).toBe('segreta');
  });
});

describe('the sheets a validation or a submission writes besides the data sheets', () => {
  /** A template validated once, so Controlli and the masks exist, then the user protects an output sheet. */
  async function validatedOnce(): Promise<FakeWorkbook> {
    const book = await templateWithData();
    expect((await validate(book)).ok).toBe(true);
    return book;
  }

  it.each([[CHECKS_SHEET], [maskSheetName('T3')]])(
    '%s protected with a password: named, and nothing written',
    async (sheetName) => {
      const book = await validatedOnce();
      book.typeValues(T3, 'A3', [['AS-2']]);
      protectWithPassword(book, sheetName);
      const before = workbookSnapshot(book);

      const outcome = await validate(book);

      expect(outcome).toEqual({
        ok: false,
        message: expect.stringContaining(`Il foglio «${sheetName}» è protetto con una password`),
      });
      expect(!outcome.ok && outcome.message).toContain('il controllo non ha modificato nulla');
      expect(workbookSnapshot(book)).toEqual(before);
    },
  );

  it('Controlli protected without a password: rewritten, and protected again with the user’s options', async () => {
    const book = await validatedOnce();
    const userOptions = { allowFormatColumns: true };
    book.protectSheet(CHECKS_SHEET, userOptions);

    const outcome = await validate(book);

    expect(outcome.ok).toBe(true);
    const checks = book.sheet(CHECKS_SHEET);
    expect(checks?.protected).toBe(true);
    expect(checks?.protectionOptions).toEqual(userOptions);
    expect(checks?.password).toBeNull();
    expect(checks?.cells.size).toBeGreaterThan(0);
  });

  it('Ricevuta protected with a password: the write is refused, naming the sheet, and nothing is written', async () => {
    const book = await validatedOnce();
    await writeReceipt(book.run, RECEIPT);
    protectWithPassword(book, RECEIPT_SHEET);
    const before = workbookSnapshot(book);

    const written = writeReceipt(book.run, { ...RECEIPT, version: 4 });

    await expect(written).rejects.toBeInstanceOf(ReceiptSheetLocked);
    await expect(written).rejects.toThrow(`Il foglio «${RECEIPT_SHEET}» è protetto con una password`);
    expect(workbookSnapshot(book)).toEqual(before);
  });

  it('Ricevuta protected without a password: replaced, and protected again as it was', async () => {
    const book = await validatedOnce();
    await writeReceipt(book.run, RECEIPT);
    book.protectSheet(RECEIPT_SHEET, { ...SHEET_PROTECTION });

    await writeReceipt(book.run, { ...RECEIPT, version: 4 });

    const sheet = book.sheet(RECEIPT_SHEET);
    expect(sheet?.protected).toBe(true);
    expect(sheet?.protectionOptions).toEqual({ ...SHEET_PROTECTION });
    expect(JSON.stringify([...(sheet?.cells.values() ?? [])].map((cell) => cell.value))).toContain('"4"');
  });
});
