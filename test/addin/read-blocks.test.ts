import { describe, expect, it } from 'vitest';
import { columnLetter } from '../../addin/excel/layout.ts';
import { readFromHost, type WorkbookRead } from '../../addin/excel/read.ts';
import { EXCEL_WEB_RESPONSE_LIMIT, readInBlocks } from '../../addin/excel/read-blocks.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { staff, validSubmission } from '../support/builders.ts';
import { FakeExcelError, FakeWorkbook } from './fake-excel.ts';
import { typeSubmission } from './workbook-fixture.ts';

/**
 * Excel on the web refuses an answer over 5 MB (ResponsePayloadSizeLimitExceeded) and so does the fake host: a read
 * whose values exceed it passes only because the add-in reads the used ranges in row blocks, and reads the same
 * submission and cells as a small read in one answer.
 */

const T3 = 'T3_Personale_SS';

function bookWith(rowCount: number): FakeWorkbook {
  const book = new FakeWorkbook();
  const rows = Array.from({ length: rowCount }, (_, index) => staff(`AS-${index}`));
  typeSubmission(book, validSubmission({ T3: rows }));
  return book;
}

async function read(book: FakeWorkbook): Promise<WorkbookRead> {
  book.syncCount = 0;
  const outcome = await book.run((context) => readFromHost(context, LEPS_ATS));
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.read;
}

describe('reading a workbook larger than one answer', () => {
  it('refuses an answer over 5 MB as Excel on the web does, delivering nothing', async () => {
    const book = bookWith(40_000);
    const failure = await book
      .run(async (context) => {
        const range = context.workbook.worksheets.getItem(T3).getUsedRangeOrNullObject(true).load('values');
        await context.sync();
        return range;
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FakeExcelError);
    expect((failure as FakeExcelError).code).toBe('ResponsePayloadSizeLimitExceeded');
    expect(book.refusedResponses).toBe(1);
    expect(book.responseBytes).toEqual([]);
  });

  it('reads 40,000 T3 rows (over 5 MB of values) in blocks: every answer under 5 MB, the same read as in one answer', async () => {
    const small = await read(bookWith(10));
    expect(small).toBeDefined();
    const book = bookWith(40_000);
    const large = await read(book);
    expect(book.refusedResponses).toBe(1);
    expect(book.responseBytes.reduce((sum, bytes) => sum + bytes, 0)).toBeGreaterThan(EXCEL_WEB_RESPONSE_LIMIT);
    expect(Math.max(...book.responseBytes)).toBeLessThanOrEqual(EXCEL_WEB_RESPONSE_LIMIT);
    // Refused optimistic read, sizes, then the blocks.
    expect(book.syncCount).toBe(2 + book.responseBytes.length - 1);
    const rows = large.submission.sheets.T3 ?? [];
    expect(rows).toHaveLength(40_000);
    expect(rows.map((row) => row.ID_DIPENDENTE)).toEqual(rows.map((_, index) => `AS-${index}`));
    expect(rows.slice(0, 10)).toEqual(small.submission.sheets.T3);
    expect(large.cells.T3?.rows.slice(0, 10)).toEqual(small.cells.T3?.rows);
    expect(large.cells.T3?.rows.at(-1)).toBe(40_001);
    const { T3: _large, ...otherLarge } = large.submission.sheets;
    const { T3: _small, ...otherSmall } = small.submission.sheets;
    expect(otherLarge).toEqual(otherSmall);
    expect(large.findings).toEqual(small.findings);
  }, 60_000);

  it('halves a refused block when cells hold far more text than typical data', async () => {
    const book = bookWith(400);
    const long = 'x'.repeat(30_000);
    // 400 cells of 30,000 characters: 12 MB in a column the plan expected to be a few KB.
    const staffSheet = LEPS_ATS.sheets.find((sheet) => sheet.id === 'T3');
    const id = columnLetter(staffSheet?.columns.findIndex((column) => column.key === 'ID_DIPENDENTE') ?? -1);
    for (let row = 1; row <= 400; row++) book.setValues(T3, `${id}${row + 1}`, [[`${long}${row}`]]);
    const result = await read(book);
    expect(result.submission.sheets.T3).toHaveLength(400);
    expect(book.refusedResponses).toBeGreaterThanOrEqual(3);
    expect(Math.max(...book.responseBytes)).toBeLessThanOrEqual(EXCEL_WEB_RESPONSE_LIMIT);
    // The blocks put together are the sheet's values exactly (the core reader then bounds long texts on its own).
    const width = staffSheet?.columns.length ?? 0;
    const [grid] = await book.run((context) =>
      readInBlocks(context, [{ sheet: T3, rowIndex: 0, columnIndex: 0, rowCount: 401, columnCount: width }]),
    );
    expect(grid?.values).toHaveLength(401);
    const mismatch = (grid?.values ?? []).findIndex((line, row) =>
      line.some((value, column) => value !== (book.cell(T3, `${columnLetter(column)}${row + 1}`)?.value ?? '')),
    );
    expect(mismatch).toBe(-1);
  });

  it('says in Italian which row is too large when a single row exceeds 5 MB', async () => {
    const book = bookWith(3);
    const long = 'y'.repeat(30_000);
    book.setValues(T3, 'A3', [Array.from({ length: 200 }, () => long)]);
    const outcome = await book.run((context) => readFromHost(context, LEPS_ATS));
    expect(outcome).toEqual({
      ok: false,
      message: expect.stringContaining(`La riga 3 del foglio «${T3}»`),
    });
    expect(Math.max(0, ...book.responseBytes)).toBeLessThanOrEqual(EXCEL_WEB_RESPONSE_LIMIT);
  });
});
