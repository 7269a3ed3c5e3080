import { beforeEach, describe, expect, it } from 'vitest';
import { localCheck } from '../../addin/app/checks.ts';
import { insertTemplate } from '../../addin/excel/draw.ts';
import { CHECKS_SHEET, COLORS, maskSheetName, SEVERITY_CODE } from '../../addin/excel/layout.ts';
import { NOTE_PREFIX } from '../../addin/excel/marks.ts';
import { selectCell } from '../../addin/excel/receipt.ts';
import { type Checker, validateWorkbook } from '../../addin/excel/validate.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { comuni, NOW, staff, staffRows, validSubmission, withRow } from '../support/builders.ts';
import { FakeExcelError, FakeWorkbook, validationAt } from './fake-excel.ts';
import { typeSubmission } from './workbook-fixture.ts';

const check: Checker = async (read) => localCheck(read.submission, loadComuni(), NOW);
const T3 = 'T3_Personale_SS';
const T2 = 'T2_ATS_Comuni';

async function validate(book: FakeWorkbook, activateChecks = false) {
  book.syncCount = 0;
  const outcome = await validateWorkbook({
    run: book.run,
    template: LEPS_ATS,
    features: { notes: book.supportsNotes },
    check,
    activateChecks,
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome;
}

describe('the fake host fails where Excel fails', () => {
  it('refuses to read a property that was not loaded and synced', async () => {
    const book = new FakeWorkbook();
    book.setValues('Foglio1', 'A1', [[1]]);
    await book.run(async (context) => {
      const range = context.workbook.worksheets.getItem('Foglio1').getRange('A1');
      expect(() => range.values).toThrow(FakeExcelError);
      range.load('values');
      expect(() => range.values).toThrow(/PropertyNotLoaded/);
      await context.sync();
      expect(range.values).toEqual([[1]]);
    });
  });

  it('fails the batch when a value array does not have the shape of the range', async () => {
    const book = new FakeWorkbook();
    book.addSheet('Foglio1');
    await expect(
      book.run(async (context) => {
        context.workbook.worksheets.getItem('Foglio1').getRange('A1:B2').values = [[1]];
        await context.sync();
      }),
    ).rejects.toThrow(/InvalidArgument/);
  });
});

describe('Nuovo modello', () => {
  let book: FakeWorkbook;
  beforeEach(async () => {
    book = new FakeWorkbook();
    expect(await insertTemplate(book.run, LEPS_ATS)).toEqual({ ok: true });
  });

  it('draws one protected sheet per T1–T6 with Italian headers, the marker and the code lists', () => {
    for (const sheet of LEPS_ATS.sheets) {
      const drawn = book.sheet(sheet.name);
      expect(drawn?.protected).toBe(true);
      expect(book.value(sheet.name, 'A1')).toBe(sheet.columns[0]?.header);
      expect(drawn?.frozenRows).toBe(1);
    }
    expect(book.value('_Modello', 'A1')).toBe(LEPS_ATS.id);
    expect(book.value('_Modello', 'B1')).toBe(LEPS_ATS.version);
    expect(book.sheet('_Modello')?.visibility).toBe('VeryHidden');
    expect(book.names.get('RENDICONTA_MODELLO')).toBe("='_Modello'!$A$1:$B$1");
    expect(book.sheet('Liste')?.visibility).toBe('Hidden');
    expect(book.value('Liste', 'A1')).toBe('FONDO');
    expect(book.value('Liste', 'A2')).toBe('FP');
  });

  it('formats codes as text, money with two decimals and dates; inputs unlocked, computed columns locked formulas', () => {
    // T3: A COD_ATS (code), K DATA_INIZIO (date), M GIORNI_IN_SERVIZIO (computed), R COSTO_ANNUO (money)
    // Formats and locks are set on whole columns, so they reach every row an accountant types.
    const column = (index: number) => book.sheet(T3)?.columnFormats.get(index);
    expect(column(0)?.numberFormat).toBe('@');
    expect(column(10)?.numberFormat).toBe('dd/mm/yyyy');
    expect(column(17)?.numberFormat).toBe('#,##0.00');
    expect(column(0)?.locked).toBe(false);
    expect(column(12)?.locked).toBeUndefined();
    expect(book.cell(T3, 'M2')?.locked).toBeUndefined();
    expect(book.cell(T3, 'A1')?.locked).toBe(true);
    expect(book.cell(T3, 'M2')?.formula).toMatch(/^=IF\(OR\(B2="",K2=""\)/);
    expect(column(12)?.fill).toBe(COLORS.computed);
    expect(column(0)?.fill).toBeUndefined();
    const profile = book.sheet(T3)?.validations.find((entry) => entry.address === 'G2:G1048576');
    expect(profile?.rule).toEqual({ list: { inCellDropDown: true, source: expect.stringContaining("'Liste'!$") } });
  });

  it('offers each list and prompt on every row the input column unlocks, never on the header', async () => {
    const sheet = book.sheet(T3);
    if (!sheet) throw new Error('no T3');
    for (const row of [2, 501, 100_000, 1_048_576]) {
      expect(validationAt(sheet, `G${row}`)?.rule, `G${row}`).toMatchObject({ list: { inCellDropDown: true } });
      expect(validationAt(sheet, `A${row}`)?.prompt, `A${row}`).toMatchObject({ showPrompt: true });
    }
    expect(validationAt(sheet, 'G1')).toBeUndefined();
    expect(validationAt(sheet, 'M2'), 'computed column').toBeUndefined();
    // One validation per validated column: a repaired template replaces them rather than stacking a second set.
    const count = sheet.validations.length;
    expect(new Set(sheet.validations.map((entry) => entry.address)).size).toBe(count);
    await expect(insertTemplate(book.run, LEPS_ATS)).resolves.toEqual({ ok: true, repaired: true });
    expect(book.sheet(T3)?.validations).toHaveLength(count);
  });

  it('adds a severity overlay that reads a very hidden mask, not the user’s formats', () => {
    const overlay = book.sheet(T3)?.conditionalFormats ?? [];
    expect(overlay.map((entry) => entry.formula)).toEqual([
      `=${maskSheetName('T3')}!A2=2`,
      `=${maskSheetName('T3')}!A2=1`,
    ]);
    expect(book.sheet(maskSheetName('T3'))?.visibility).toBe('VeryHidden');
  });

  it('completes rather than refuses a workbook that already has the template (test/addin/new-template.test.ts)', async () => {
    const again = await insertTemplate(book.run, LEPS_ATS);
    expect(again).toEqual({ ok: true, repaired: true });
  });
});

describe('Valida', () => {
  it('reads the whole workbook into the submission, remembering cells, in two round trips', async () => {
    const book = new FakeWorkbook();
    await insertTemplate(book.run, LEPS_ATS);
    typeSubmission(book, validSubmission());
    const outcome = await validate(book);
    expect(book.syncCount).toBe(2);
    expect(outcome.result.findings).toEqual([]);
    const expected = validSubmission();
    expect(outcome.read.submission.sheets.T2).toEqual(expected.sheets.T2);
    expect(outcome.read.submission.sheets.T3?.[0]?.DATA_INIZIO).toBe('2020-01-01');
    expect(outcome.read.submission.ats).toBe('ATS-05-001');
    expect(outcome.read.submission.period).toBe('2025-12-31');
    expect(outcome.read.cells.T3?.rows.slice(0, 2)).toEqual([2, 3]);
    expect(book.value(CHECKS_SHEET, 'A1')).toBe('Gravità');
  });

  it('marks each finding on its cell, lists it with a link, and the next validation clears only its own marks', async () => {
    const book = new FakeWorkbook();
    const bad = validSubmission({ T3: withRow(staffRows(), 3, { ORE_SETT: 40 }) });
    typeSubmission(book, bad);
    // Row 3 of T3 is worksheet row 4; column I is ORE_SETT. The user has coloured that cell green.
    const userFill = { value: 40, fill: '#00FF00' };
    book.sheet(T3)?.cells.set('3,8', userFill);
    const first = await validate(book);
    expect(book.syncCount).toBe(2);
    const finding = first.result.findings.find((entry) => entry.sheet === 'T3' && entry.column === 'ORE_SETT');
    expect(finding).toBeDefined();
    expect(book.value(maskSheetName('T3'), 'I4')).toBe(SEVERITY_CODE[finding?.severity ?? 'error']);
    expect(book.sheet(T3)?.notes.get('I4')).toContain(NOTE_PREFIX);
    const links = [...(book.sheet(CHECKS_SHEET)?.cells.values() ?? [])].map((cell) => cell.formula).filter(Boolean);
    expect(links).toContain(`=HYPERLINK("#'${T3}'!I4","I4")`);

    typeSubmission(book, validSubmission());
    book.sheet(T3)?.cells.set('3,8', { ...userFill, value: 36 });
    const second = await validate(book);
    expect(second.result.findings).toEqual([]);
    expect(book.syncCount).toBe(2);
    expect(book.value(maskSheetName('T3'), 'I4') ?? '').toBe('');
    expect(book.sheet(T3)?.notes.size).toBe(0);
    expect(book.cell(T3, 'I4')?.fill).toBe('#00FF00');
    expect(book.value(CHECKS_SHEET, 'A2') ?? '').toBe('');
  });

  it('keeps text inert in the Controlli sheet (no formula injection)', async () => {
    const book = new FakeWorkbook();
    typeSubmission(
      book,
      validSubmission({ T2: withRow(comuni(), 1, { DENOMINAZIONE_COMUNE: 'x', CF_COMUNE: '=cmd()' }) }),
    );
    await validate(book);
    const formulas = [...(book.sheet(CHECKS_SHEET)?.cells.values() ?? [])]
      .map((cell) => cell.formula)
      .filter((formula): formula is string => formula !== undefined);
    expect(formulas.every((formula) => formula.startsWith('=HYPERLINK('))).toBe(true);
  });

  it('marks without notes on a host older than ExcelApi 1.18, still in two round trips', async () => {
    const book = new FakeWorkbook({ notes: false });
    typeSubmission(book, validSubmission({ T2: withRow(comuni(), 2, { POPOLAZIONE_RESIDENTE: -5 }) }));
    const outcome = await validate(book);
    expect(book.syncCount).toBe(2);
    expect(outcome.notesWritten).toBe(false);
    expect(book.value(maskSheetName('T2'), 'F3')).toBe(SEVERITY_CODE.error);
  });

  it('falls back to marks without notes when a cell already carries the user’s own note', async () => {
    const book = new FakeWorkbook();
    typeSubmission(book, validSubmission({ T2: withRow(comuni(), 2, { POPOLAZIONE_RESIDENTE: -5 }) }));
    book.sheet(T2)?.notes.set('F3', 'nota mia');
    const outcome = await validate(book);
    expect(outcome.notesWritten).toBe(false);
    expect(book.sheet(T2)?.notes.get('F3')).toBe('nota mia');
    expect(book.value(maskSheetName('T2'), 'F3')).toBe(SEVERITY_CODE.error);
  });

  it('says when the workbook has no template', async () => {
    const book = new FakeWorkbook();
    book.setValues('Foglio1', 'A1', [['x']]);
    const outcome = await validateWorkbook({
      run: book.run,
      template: LEPS_ATS,
      features: { notes: true },
      check,
    });
    expect(outcome.ok).toBe(false);
    expect(book.syncCount).toBe(1);
  });

  it.each([10, 10_000])('makes exactly two round trips for %i staff rows', async (count) => {
    const book = new FakeWorkbook();
    await insertTemplate(book.run, LEPS_ATS);
    const rows = Array.from({ length: count }, (_, index) =>
      staff(`AS-${index}`, { ORE_SETT: index % 50 === 0 ? 40 : 36 }),
    );
    typeSubmission(book, validSubmission({ T3: rows }));
    const outcome = await validate(book);
    expect(book.syncCount).toBe(2);
    expect(outcome.read.submission.sheets.T3).toHaveLength(count);
    expect(outcome.result.findings.some((finding) => finding.sheet === 'T3')).toBe(true);
  });

  it('selects a finding’s cell in one round trip', async () => {
    const book = new FakeWorkbook();
    typeSubmission(book, validSubmission());
    book.syncCount = 0;
    await selectCell(book.run, { sheetName: T3, address: 'I4' });
    expect(book.selection).toEqual({ sheet: T3, address: 'I4' });
    expect(book.activeSheet).toBe(T3);
    expect(book.syncCount).toBe(1);
  });
});
