import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { insertTemplate } from '../../addin/excel/draw.ts';
import { type WorkbookRead as HostRead, readFromHost } from '../../addin/excel/read.ts';
import { gridValue, readWorkbook } from '../../cli/xlsx/read.ts';
import { readWorkbookStreaming } from '../../cli/xlsx/read-stream.ts';
import type { Submission, TemplateDef } from '../../shared/index.ts';
import { LEPS_ATS, latestTemplate } from '../../shared/template/index.ts';
import { MARKER_NAME, MARKER_SHEET, quoteSheet, type WorkbookRead } from '../../shared/workbook/index.ts';
import { FakeWorkbook } from '../addin/fake-excel.ts';
import { typeSubmission } from '../addin/workbook-fixture.ts';
import { filledWorkbook, toBuffer } from '../cli/support/workbooks.ts';

/**
 * The two channels' writers and readers, and converters between their workbooks, for the tests that prove one
 * workbook reads the same whichever way it was written and read. A "user edit" is applied to both kinds of workbook
 * the same way: what a person does in Excel (renaming a sheet, adding a column of notes).
 */

export type UserEdit =
  | { readonly kind: 'rename'; readonly sheet: string; readonly to: string }
  | { readonly kind: 'extra-column'; readonly sheet: string; readonly header: string; readonly value: string };

const lastColumnOf = (sheet: string): number =>
  (LEPS_ATS.sheets.find((definition) => definition.name === sheet)?.columns.length ?? 0) + 2;

/**
 * Renames a sheet as Excel does: every formula that names it follows (T1's population sums T2's cells), which exceljs
 * alone would leave pointing at a sheet that no longer exists.
 */
function renameXlsxSheet(workbook: ExcelJS.Workbook, sheet: ExcelJS.Worksheet, to: string): void {
  const from = sheet.name;
  const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const reference = new RegExp(`(?:${escaped(quoteSheet(from))}|(?<![\\w.'])${escaped(from)})!`, 'g');
  sheet.name = to;
  for (const worksheet of workbook.worksheets) {
    worksheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const value = cell.value;
        if (value && typeof value === 'object' && 'formula' in value && typeof value.formula === 'string') {
          cell.value = { ...value, formula: value.formula.replace(reference, `${quoteSheet(to)}!`) };
        }
      });
    });
  }
}

function editXlsx(workbook: ExcelJS.Workbook, edit: UserEdit): void {
  const sheet = workbook.getWorksheet(edit.sheet);
  if (!sheet) return;
  if (edit.kind === 'rename') renameXlsxSheet(workbook, sheet, edit.to);
  else {
    sheet.getCell(1, lastColumnOf(edit.sheet)).value = edit.header;
    sheet.getCell(2, lastColumnOf(edit.sheet)).value = edit.value;
  }
}

function editHost(book: FakeWorkbook, edit: UserEdit): void {
  const sheet = book.sheet(edit.sheet);
  if (!sheet) return;
  if (edit.kind === 'rename') sheet.name = edit.to;
  else {
    const column = lastColumnOf(edit.sheet) - 1;
    sheet.cells.set(`0,${column}`, { value: edit.header });
    sheet.cells.set(`1,${column}`, { value: edit.value });
  }
}

/** The .xlsx channel's writer: the exceljs template (of the given version), filled as a user would. */
export async function writeXlsx(
  submission: Submission,
  edits: readonly UserEdit[] = [],
  template: TemplateDef = LEPS_ATS,
): Promise<Buffer> {
  const workbook = await filledWorkbook(submission, template);
  for (const edit of edits) editXlsx(workbook, edit);
  return toBuffer(workbook);
}

/** The add-in channel's writer: the template (of the given version) drawn through Office.js, typed in. */
export async function writeHost(
  submission: Submission,
  edits: readonly UserEdit[] = [],
  template: TemplateDef = LEPS_ATS,
): Promise<FakeWorkbook> {
  const book = new FakeWorkbook();
  const drawn = await insertTemplate(book.run, template);
  if (!drawn.ok) throw new Error(drawn.message);
  typeSubmission(book, submission, template);
  for (const edit of edits) editHost(book, edit);
  return book;
}

export const readXlsx = (buffer: Buffer): Promise<WorkbookRead> => readWorkbook(buffer);

/** The reader `valida` and `invia` use: the .xlsx streamed from its XML, never loaded as objects. */
export const readXlsxStreaming = (buffer: Buffer): Promise<WorkbookRead> => readWorkbookStreaming(buffer);

/** The add-in's read as the task pane asks for it: the latest published version's sheets, the marker's version read. */
export async function readHost(book: FakeWorkbook): Promise<HostRead> {
  const outcome = await book.run((context) => readFromHost(context, latestTemplate()));
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.read;
}

/** An .xlsx opened in Excel: every cell's value (formulas as their cached result) in a host workbook. */
export async function xlsxIntoHost(buffer: Buffer): Promise<FakeWorkbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer, { ignoreNodes: ['dataValidations'] } as never);
  const book = new FakeWorkbook();
  for (const worksheet of workbook.worksheets) {
    const sheet = book.addSheet(worksheet.name);
    worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        if (cell.type === ExcelJS.ValueType.Merge) return;
        const value =
          cell.type === ExcelJS.ValueType.Formula
            ? cell.result === undefined
              ? null
              : gridValue(cell.result)
            : gridValue(cell.value);
        if (value !== null && value !== undefined && value !== '') {
          sheet.cells.set(`${rowNumber - 1},${column - 1}`, { value });
        }
      });
    });
  }
  return book;
}

/** A workbook from the add-in saved as .xlsx: every sheet, every value, the marker's defined name. */
export async function hostIntoXlsx(book: FakeWorkbook): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const sheet of book.sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    for (const [cellKey, cell] of sheet.cells) {
      if (cell.value === '' || cell.value === undefined) continue;
      const [row, column] = cellKey.split(',').map(Number);
      worksheet.getCell((row ?? 0) + 1, (column ?? 0) + 1).value = cell.value;
    }
  }
  workbook.definedNames.add(`${quoteSheet(MARKER_SHEET)}!$A$1:$B$1`, MARKER_NAME);
  return toBuffer(workbook);
}

/**
 * Every way a workbook travels as written, by name: the .xlsx read by `rendiconta`'s two readers and opened in Excel,
 * the add-in's workbook read in place and saved as .xlsx; `outcomeOf` says what each test compares.
 */
export async function readEveryWay<Outcome>(
  xlsx: Buffer,
  host: FakeWorkbook,
  outcomeOf: (read: WorkbookRead) => Promise<Outcome>,
): Promise<Record<string, Outcome>> {
  return {
    'xlsx → rendiconta': await outcomeOf(await readXlsx(xlsx)),
    'xlsx → rendiconta valida (streaming)': await outcomeOf(await readXlsxStreaming(xlsx)),
    'add-in → add-in': await outcomeOf(await readHost(host)),
    'xlsx → add-in': await outcomeOf(await readHost(await xlsxIntoHost(xlsx))),
    'add-in → rendiconta': await outcomeOf(await readXlsx(await hostIntoXlsx(host))),
  };
}

/** What every channel must agree on: the canonical submission, its sha256 and the findings. */
interface ChannelOutcome {
  readonly canonical: string;
  readonly sha256: string;
  readonly findings: readonly unknown[];
}

/** Asserts every channel gave what the first did, naming the channel that differs; returns the first's outcome. */
export function expectSame<Outcome extends ChannelOutcome>(outcomes: Readonly<Record<string, Outcome>>): Outcome {
  const [first, ...others] = Object.entries(outcomes);
  if (!first) throw new Error('no channel');
  for (const [channel, outcome] of others) {
    expect({ channel, canonical: outcome.canonical }).toEqual({ channel, canonical: first[1].canonical });
    expect({ channel, sha256: outcome.sha256 }).toEqual({ channel, sha256: first[1].sha256 });
    expect({ channel, findings: outcome.findings }).toEqual({ channel, findings: first[1].findings });
  }
  return first[1];
}
