import { describe, expect, it } from 'vitest';
import { FakeWorkbook, isLocked } from './fake-excel.ts';

/**
 * The fake host's worksheet protection, rule by rule as Microsoft documents it (Excel.WorksheetProtection and
 * WorksheetProtectionOptions in @types/office-js, the VBA Protection.AllowSorting/AllowDeletingRows remarks): what the
 * add-in may write and what a user may type, sort, insert and delete on a protected sheet.
 */

const SHEET = 'Dati';

/** A sheet with column B unlocked as a whole column and A (the default) locked, then protected. */
async function protectedSheet(options: Record<string, boolean> = {}, password?: string): Promise<FakeWorkbook> {
  const book = new FakeWorkbook();
  book.addSheet(SHEET);
  await book.run(async (context) => {
    const sheet = context.workbook.worksheets.getItem(SHEET);
    sheet.getRange('B:B').format.protection.locked = false;
    (sheet.protection.protect as (options: object, password?: string) => void)(options, password);
    await context.sync();
  });
  return book;
}

const write = (book: FakeWorkbook, address: string, values: unknown[][]) =>
  book.run(async (context) => {
    context.workbook.worksheets.getItem(SHEET).getRange(address).values = values;
    await context.sync();
  });

describe('the fake host’s protected sheets', () => {
  it('keeps a whole column’s lock on the column: every row of B is unlocked, A is locked by default', async () => {
    const book = await protectedSheet();
    const sheet = book.sheet(SHEET);
    if (!sheet) throw new Error('no sheet');
    expect(isLocked(sheet, 1_048_575, 1)).toBe(false);
    expect(isLocked(sheet, 0, 0)).toBe(true);
  });

  it('refuses values into a locked cell with AccessDenied and accepts them in the unlocked column', async () => {
    const book = await protectedSheet();
    await expect(write(book, 'A2', [['x']])).rejects.toThrow(/AccessDenied/);
    await expect(write(book, 'A2:B2', [['x', 'y']])).rejects.toThrow(/AccessDenied: la cella A2/);
    await write(book, 'B20000', [['y']]);
    expect(book.value(SHEET, 'B20000')).toBe('y');
  });

  it('refuses formats without allowFormatCells, widths without allowFormatColumns, and any change of the lock', async () => {
    const book = await protectedSheet({ allowFormatColumns: true });
    const attempt = (change: (range: ReturnType<typeof rangeOf>) => void) =>
      book.run(async (context) => {
        change(context.workbook.worksheets.getItem(SHEET).getRange('B2'));
        await context.sync();
      });
    const rangeOf = (range: unknown) => range as { format: { fill: { color: string }; columnWidth: number } };
    await expect(
      attempt((range) => {
        range.format.fill.color = '#FF0000';
      }),
    ).rejects.toThrow(/AccessDenied/);
    await attempt((range) => {
      range.format.columnWidth = 100;
    });
    await expect(
      book.run(async (context) => {
        context.workbook.worksheets.getItem(SHEET).getRange('B2').format.protection.locked = true;
        await context.sync();
      }),
    ).rejects.toThrow(/AccessDenied/);
  });

  it('refuses notes unless objects may be edited', async () => {
    const addNote = (book: FakeWorkbook) =>
      book.run(async (context) => {
        context.workbook.worksheets.getItem(SHEET).notes.add('B2', 'nota');
        await context.sync();
      });
    await expect(addNote(await protectedSheet())).rejects.toThrow(/AccessDenied/);
    await addNote(await protectedSheet({ allowEditObjects: true }));
  });

  it('lets a user type only into unlocked cells', async () => {
    const book = await protectedSheet();
    expect(() => book.typeValues(SHEET, 'A2', [['x']])).toThrow(/AccessDenied/);
    book.typeValues(SHEET, 'B2', [['=1+1'], ["'0012"], [3]]);
    expect(book.cell(SHEET, 'B2')?.formula).toBe('=1+1');
    expect(book.value(SHEET, 'B3')).toBe('0012');
    expect(book.value(SHEET, 'B4')).toBe(3);
  });

  it('sorts only with allowSort and only unlocked cells, numbers before text and blanks last', async () => {
    const refused = await protectedSheet();
    expect(() => refused.sortRows(SHEET, 'B2:B4', 'B')).toThrow(/AccessDenied/);

    const book = await protectedSheet({ allowSort: true });
    book.typeValues(SHEET, 'B2', [['beta'], [''], [2], ['Alfa'], [1]]);
    expect(() => book.sortRows(SHEET, 'A2:B6', 'B')).toThrow(/AccessDenied: la cella A2/);
    book.sortRows(SHEET, 'B2:B6', 'B');
    expect([2, 3, 4, 5, 6].map((row) => book.value(SHEET, `B${row}`))).toEqual([1, 2, 'Alfa', 'beta', '']);
    book.sortRows(SHEET, 'B2:B5', 'B', 'Descending');
    expect([2, 3, 4, 5].map((row) => book.value(SHEET, `B${row}`))).toEqual(['beta', 'Alfa', 2, 1]);
  });

  it('inserts rows only with allowInsertRows; the new rows take the formats of the row above', async () => {
    expect(() => {
      const book = new FakeWorkbook();
      book.addSheet(SHEET);
      book.protectSheet(SHEET);
      book.insertRows(SHEET, 2);
    }).toThrow(/AccessDenied/);

    const book = new FakeWorkbook();
    book.addSheet(SHEET);
    book.setValues(SHEET, 'A1', [
      ['intestazione', 'x'],
      ['riga 2', 'y'],
    ]);
    const cell = book.cell(SHEET, 'B2');
    if (cell) Object.assign(cell, { locked: false, numberFormat: '@' });
    book.protectSheet(SHEET, { allowInsertRows: true });
    book.insertRows(SHEET, 3, 2);
    book.insertRows(SHEET, 2);
    expect(book.value(SHEET, 'A3')).toBe('riga 2');
    expect(book.value(SHEET, 'B2')).toBe('');
    expect(book.cell(SHEET, 'B4')).toEqual({ value: '', locked: false, numberFormat: '@' });
    book.typeValues(SHEET, 'B5', [['nuova']]);
    expect(() => book.typeValues(SHEET, 'A5', [['nuova']])).toThrow(/AccessDenied/);
  });

  it('deletes rows only with allowDeleteRows and when every cell of them is unlocked', async () => {
    const book = new FakeWorkbook();
    book.addSheet(SHEET);
    book.setValues(SHEET, 'A1', [['a1'], ['a2'], ['a3']]);
    book.protectSheet(SHEET, { allowDeleteRows: true });
    expect(() => book.deleteRows(SHEET, 2)).toThrow(/AccessDenied/);

    const open = new FakeWorkbook();
    open.addSheet(SHEET);
    await open.run(async (context) => {
      context.workbook.worksheets.getItem(SHEET).getRange('A:XFD').format.protection.locked = false;
      await context.sync();
    });
    open.setValues(SHEET, 'A1', [['a1'], ['a2'], ['a3']]);
    open.protectSheet(SHEET, { allowDeleteRows: true });
    open.deleteRows(SHEET, 2);
    expect([open.value(SHEET, 'A1'), open.value(SHEET, 'A2'), open.value(SHEET, 'A3')]).toEqual([
      'a1',
      'a3',
      undefined,
    ]);
  });

  it('fails protect() on a protected sheet and unprotect() without the sheet’s password, with InvalidArgument', async () => {
    const book = await protectedSheet({}, 'segreta');
    const unprotect = (password?: string) =>
      book.run(async (context) => {
        (context.workbook.worksheets.getItem(SHEET).protection.unprotect as (password?: string) => void)(password);
        await context.sync();
      });
    await expect(unprotect()).rejects.toThrow(/InvalidArgument/);
    await expect(unprotect('sbagliata')).rejects.toThrow(/InvalidArgument/);
    await expect(
      book.run(async (context) => {
        context.workbook.worksheets.getItem(SHEET).protection.protect();
        await context.sync();
      }),
    ).rejects.toThrow(/InvalidArgument/);
    await unprotect('segreta');
    expect(book.sheet(SHEET)?.protected).toBe(false);
    await write(book, 'A2', [['x']]);
  });

  it('loads the protection state, its options and whether it has a password', async () => {
    const book = await protectedSheet({ allowSort: true }, 'segreta');
    await book.run(async (context) => {
      const protection = context.workbook.worksheets.getItem(SHEET).protection as unknown as {
        load(names: string): void;
        protected: boolean;
        options: { allowSort?: boolean };
        isPasswordProtected: boolean;
      };
      protection.load('protected,options,isPasswordProtected');
      await context.sync();
      expect(protection.protected).toBe(true);
      expect(protection.options.allowSort).toBe(true);
      expect(protection.isPasswordProtected).toBe(true);
    });
  });
});
