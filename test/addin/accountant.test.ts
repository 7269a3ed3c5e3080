import { describe, expect, it } from 'vitest';
import { localCheck } from '../../addin/app/checks.ts';
import { insertTemplate } from '../../addin/excel/draw.ts';
import type { CellScalar } from '../../addin/excel/host.ts';
import { type Checker, validateWorkbook } from '../../addin/excel/validate.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { isoDateToExcelSerial } from '../../shared/domain/italian-format.ts';
import type { SubmissionRow } from '../../shared/index.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { columnLetter, SHEET_PROTECTION, sheetById } from '../../shared/workbook/index.ts';
import { validSubmission } from '../support/builders.ts';
import { FakeExcelError, FakeWorkbook } from './fake-excel.ts';

/**
 * The template as an accountant uses it (issue: "a template an accountant can fill"), in the test host that refuses
 * what Excel refuses on a protected sheet: 20,000 spending rows typed into T5, sorted, a row inserted and one deleted,
 * then validated; computed cells stay locked; validating keeps the template's protection options.
 */

const NOW = new Date('2026-01-25T10:00:00Z');
const comuni = loadComuni();
const check: Checker = async (read) => localCheck(read.submission, comuni, NOW);
const features = { notes: true };
const ROWS = 20_000;

const t5 = sheetById(LEPS_ATS, 'T5');
const lastT5 = columnLetter(t5.columns.length);

function asTyped(row: SubmissionRow): CellScalar[] {
  return t5.columns.map((column) => {
    const value = row[column.key];
    if (value === undefined || value === null) return '';
    if (column.type === 'date' && typeof value === 'string') return isoDateToExcelSerial(value);
    return value;
  });
}

describe('a template an accountant can fill', () => {
  it('takes 20,000 typed T5 rows, sorting, inserting and clearing rows, and validates them', async () => {
    const book = new FakeWorkbook();
    expect(await insertTemplate(book.run, LEPS_ATS)).toEqual({ ok: true });
    const submission = validSubmission();
    const sample = submission.sheets.T5 ?? [];
    expect(sample.length).toBeGreaterThan(0);
    const amountKey = t5.columns.find((column) => column.type === 'money')?.key ?? '';
    const rows = Array.from({ length: ROWS }, (_, index) => {
      const base = sample[index % sample.length] ?? {};
      return asTyped({ ...base, [amountKey]: ((index * 7919) % 100_000) + 0.5 });
    });
    // Typed far beyond the 500 prepared rows: the input columns are unlocked all the way down.
    book.typeValues(t5.name, 'A2', rows);
    const amountLetter = columnLetter(t5.columns.findIndex((column) => column.key === amountKey) + 1);
    book.sortRows(t5.name, `A2:${lastT5}${ROWS + 1}`, amountLetter, 'Descending');
    book.insertRows(t5.name, 10);
    book.typeValues(t5.name, 'A10', [asTyped(sample[0] ?? {})]);
    // Excel deletes a row of a protected sheet only when every cell of it is unlocked, up to column XFD, which the
    // template does not do (see docs/workbook.md): a row is taken away by clearing its cells, which the reader skips.
    expect(() => book.deleteRows(t5.name, 12)).toThrow(FakeExcelError);
    book.typeValues(t5.name, 'A12', [t5.columns.map(() => '')]);
    // Copy the rest of the workbook's data so the return is complete, as the accountant would.
    for (const id of ['T1', 'T2', 'T3', 'T4', 'T6'] as const) {
      const sheet = sheetById(LEPS_ATS, id);
      const data = (submission.sheets[id] ?? []).map((row) =>
        sheet.columns.map((column) => {
          const value = row[column.key];
          if (column.computed || value === undefined || value === null) return null;
          return column.type === 'date' && typeof value === 'string' ? isoDateToExcelSerial(value) : value;
        }),
      );
      data.forEach((line, index) => {
        line.forEach((value, column) => {
          if (value !== null) book.typeValues(sheet.name, `${columnLetter(column + 1)}${index + 2}`, [[value]]);
        });
      });
    }

    const outcome = await validateWorkbook({ run: book.run, template: LEPS_ATS, features, check });
    if (!outcome.ok) throw new Error(outcome.message);
    const read = outcome.read.submission.sheets.T5 ?? [];
    expect(read).toHaveLength(ROWS);
    const amounts = read.map((row) => row[amountKey]).filter((value): value is number => typeof value === 'number');
    expect(amounts.slice(0, 8)).toEqual([...amounts.slice(0, 8)].sort((a, b) => b - a));
    expect(outcome.result.findings.filter((finding) => finding.rule === 'S.2')).toEqual([]);
    // Validating drew its overlay and marks without touching the template's protection.
    for (const sheet of LEPS_ATS.sheets) {
      expect(book.sheet(sheet.name)?.protected).toBe(true);
      expect(book.sheet(sheet.name)?.protectionOptions).toEqual({ ...SHEET_PROTECTION });
    }
  }, 300_000);

  it('keeps computed cells locked: typing a formula away is refused as Excel refuses it', async () => {
    const book = new FakeWorkbook();
    await insertTemplate(book.run, LEPS_ATS);
    const t3 = sheetById(LEPS_ATS, 'T3');
    const computed = columnLetter(t3.columns.findIndex((column) => column.computed) + 1);
    expect(() => book.typeValues(t3.name, `${computed}2`, [[12]])).toThrow(FakeExcelError);
    expect(() => book.typeValues(t3.name, `${computed}9000`, [[12]])).toThrow(FakeExcelError);
    expect(() => book.typeValues(t3.name, 'A1', [['Intestazione']])).toThrow(FakeExcelError);
    expect(() => book.typeValues(t3.name, 'A9000', [['ATS-05-001']])).not.toThrow();
  });

  it('restores the options a protected sheet had when a validation adds its overlay (a workbook from rendiconta)', async () => {
    const book = new FakeWorkbook();
    await insertTemplate(book.run, LEPS_ATS);
    // A file made by the command line has no mask sheets: drop them, and give one sheet the user's own options.
    for (const sheet of LEPS_ATS.sheets) {
      const index = book.sheets.findIndex((candidate) => candidate.name === `LEPS_Segni_${sheet.id}`);
      if (index >= 0) book.sheets.splice(index, 1);
      const drawn = book.sheet(sheet.name);
      if (drawn) drawn.conditionalFormats.length = 0;
    }
    const own = { allowSort: true, allowAutoFilter: true, allowFormatCells: true };
    const t2 = book.sheet(sheetById(LEPS_ATS, 'T2').name);
    if (t2) t2.protectionOptions = { ...own };
    const outcome = await validateWorkbook({ run: book.run, template: LEPS_ATS, features, check });
    expect(outcome.ok).toBe(true);
    expect(t2?.protectionOptions).toEqual(own);
    expect(book.sheet(sheetById(LEPS_ATS, 'T5').name)?.protectionOptions).toEqual({ ...SHEET_PROTECTION });
  });
});
