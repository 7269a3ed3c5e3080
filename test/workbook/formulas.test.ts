import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { populationTotal } from '../../shared/checks/derived.ts';
import { toNormalized } from '../../shared/checks/engine.ts';
import { canonicalJson } from '../../shared/contract/canonical.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { generateSubmission } from '../../shared/demo/generate.ts';
import type { Submission, SubmissionRow } from '../../shared/index.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { checkWorkbook, type WorkbookRead } from '../../shared/workbook/index.ts';
import { type LibreOffice, startLibreOffice } from '../cli/support/libreoffice.ts';
import { type TempDir, tempDir } from '../cli/support/workbooks.ts';
import { readXlsx, writeXlsx } from './support.ts';

/**
 * The computed columns' Excel formulas equal the TypeScript the checks use: each generated workbook is recalculated
 * by LibreOffice, read back, and the checks (which compare every computed value a workbook carries with their own
 * computation: T1.9 population, T3 days and FTE, T1 FTE_AS_TI and contribution, T4 non-committed amount, T6 unit)
 * find exactly what they find without the formulas' values. The input cells read identically before and after.
 * Includes 31/08 returns with comuni leaving between September and December (counted at 31/08) and before (not).
 */

const comuni = loadComuni();
const atsList = syntheticRegion('05', comuni);
const NOW = new Date('2026-01-25T10:00:00Z');

function withComuniMoving(submission: Submission): Submission {
  const t2 = (submission.sheets.T2 ?? []).map((row) => ({ ...row }) as Record<string, SubmissionRow[string]>);
  const set = (index: number, key: string, value: string): void => {
    const row = t2[index];
    if (row) row[key] = value;
  };
  set(0, 'DATA_USCITA', '2025-10-15'); // left after 31/08: still in the ATS at the interim date
  set(1, 'DATA_USCITA', '2025-07-01'); // left before 31/08
  set(2, 'DATA_INGRESSO', '2025-09-10'); // entered after 31/08
  set(3, 'DATA_USCITA', '2025-12-31'); // left on 31/12
  return { ...submission, sheets: { ...submission.sheets, T2: t2 } };
}

const CASES: Array<{ name: string; submission: () => Submission }> = [
  {
    name: '31/08 return, comuni leaving in October and in July, one entering in September',
    submission: () =>
      withComuniMoving(
        generateSubmission({
          ats: atsList[0] as never,
          regionCode: '05',
          comuni,
          period: '2025-08-31',
          seed: 7,
          rows: 30,
        }),
      ),
  },
  {
    name: '31/12 return, same moves',
    submission: () =>
      withComuniMoving(
        generateSubmission({
          ats: atsList[1] as never,
          regionCode: '05',
          comuni,
          period: '2025-12-31',
          seed: 11,
          rows: 60,
        }),
      ),
  },
  {
    name: '31/12 return, another ATS and seed (staff, funds, indicators)',
    submission: () =>
      generateSubmission({
        ats: atsList[2] as never,
        regionCode: '05',
        comuni,
        period: '2025-12-31',
        seed: 23,
        rows: 80,
      }),
  },
];

const COMPUTED = new Map(
  LEPS_ATS.sheets.map((sheet) => [
    sheet.id,
    sheet.columns.filter((column) => column.computed).map((column) => column.key),
  ]),
);

/** The submission without its computed columns. */
function inputsOnly(read: WorkbookRead): string {
  const sheets: Record<string, SubmissionRow[]> = {};
  for (const [id, rows] of Object.entries(read.submission.sheets)) {
    const computed = COMPUTED.get(id as never) ?? [];
    sheets[id] = (rows ?? []).map((row) =>
      Object.fromEntries(Object.entries(row).filter(([key]) => !computed.includes(key))),
    );
  }
  return canonicalJson({ ...read.submission, sheets });
}

const comparable = (read: WorkbookRead) =>
  checkWorkbook(read, { comuni, now: NOW }).map(({ rule, severity, sheet, row, column, message }) => ({
    rule,
    severity,
    sheet,
    row,
    column,
    message,
  }));

let lo: LibreOffice;
let dir: TempDir;
let results: Array<{ before: WorkbookRead; after: WorkbookRead; submission: Submission }>;

beforeAll(async () => {
  lo = startLibreOffice();
  dir = tempDir('rendiconta-formulas-');
  const written = await Promise.all(
    CASES.map(async (entry, index) => {
      const submission = entry.submission();
      const buffer = await writeXlsx(submission);
      return { submission, buffer, path: dir.file(`case-${index}.xlsx`, buffer) };
    }),
  );
  const converted = await lo.convert(written.map((entry) => entry.path));
  results = await Promise.all(
    written.map(async (entry, index) => ({
      submission: entry.submission,
      before: await readXlsx(entry.buffer),
      after: await readXlsx(readFileSync(converted[index] ?? '')),
    })),
  );
}, 240_000);

afterAll(() => {
  lo?.dispose();
  dir?.dispose();
});

describe('computed columns: the Excel formula equals the TypeScript computation', () => {
  it.each(CASES.map((entry, index) => [entry.name, index] as const))('%s', (_name, index) => {
    const result = results[index];
    if (!result) throw new Error('no result');
    const { before, after } = result;
    expect(inputsOnly(after)).toBe(inputsOnly(before));
    // The formulas did compute: the recalculated workbook carries the computed values the file had none of.
    const population = after.submission.sheets.T1?.[0]?.POPOLAZIONE_TOT;
    expect(typeof population).toBe('number');
    expect(before.submission.sheets.T1?.[0]?.POPOLAZIONE_TOT).toBeUndefined();
    const normalized = toNormalized(before.submission);
    if (!normalized) throw new Error('not a submission');
    expect(population).toBe(populationTotal(normalized));
    // Every computed value is checked against the TypeScript computation: no finding may appear or disappear.
    expect(comparable(after)).toEqual(comparable(before));
  });
});
