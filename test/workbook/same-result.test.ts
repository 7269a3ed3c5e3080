import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { populationTotal } from '../../shared/checks/derived.ts';
import { toNormalized } from '../../shared/checks/engine.ts';
import { canonicalJson, submissionSha256 } from '../../shared/contract/canonical.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { generateSubmission } from '../../shared/demo/generate.ts';
import { badVariant, demoCase, VARIANT_RULES } from '../../shared/demo/variants.ts';
import type { Finding, Submission, SubmissionRow } from '../../shared/index.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { checkWorkbook, findingAddress, locateFinding, type WorkbookRead } from '../../shared/workbook/index.ts';
import { type LibreOffice, startLibreOffice } from '../cli/support/libreoffice.ts';
import { type TempDir, tempDir } from '../cli/support/workbooks.ts';
import { computedCells, inputsOnly, sameComputedValue } from './computed.ts';
import {
  expectSame,
  readEveryWay,
  readHost,
  readXlsx,
  readXlsxStreaming,
  type UserEdit,
  writeHost,
  writeXlsx,
  xlsxIntoHost,
} from './support.ts';

/**
 * Same workbook, same result, by construction: a submission written through either channel's writer (exceljs for the
 * .xlsx, Office.js for the add-in) and read back through either reader (the add-in's, `rendiconta`'s exceljs and
 * streaming readers) gives the identical canonical submission, the identical sha256 and the identical findings,
 * placed on the identical cells. The .xlsx also goes through real LibreOffice, which opens it, recalculates every
 * formula and saves it, as a spreadsheet does before a file is sent: read back, its input cells give the same
 * submission and the same findings, and every computed column shows what the core's TypeScript computes.
 *
 * The cases are the demo generator's returns and its bad variants, with hostile text typed in and what people do to
 * workbooks, each arm one of the ways the two channels used to disagree: spaces around text (trimming), a renamed
 * sheet, an unknown column, a missing ATS code, and comuni entering or leaving the ATS during the year on 31/08
 * returns (the population formula counted them at 31/12, the checks at the period: a false T1.9). The cases are
 * sampled once with a fixed seed and all recalculated by one LibreOffice run, since starting it is the cost.
 */

const comuni = loadComuni();
const atsList = syntheticRegion('05', comuni);
const NOW = new Date('2026-01-25T10:00:00Z');

/** Cases drawn from the generators; with the examples below, one LibreOffice run of about 30 s on this machine. */
const SAMPLED_CASES = 24;

const HOSTILE = [
  '  spazi intorno  ',
  "=cmd|' /C calc'!A0",
  '+SUM(1,2)',
  '@INDIRECT("A1")',
  'Città di Forlì — ü ß 🙂',
  '\tTab iniziale',
  "'apostrofo",
];

type Mutation =
  | { readonly kind: 'text'; readonly sheet: 'T2' | 'T5' | 'T6'; readonly row: number; readonly text: string }
  | { readonly kind: 'no-ats' }
  | { readonly kind: 'edit'; readonly edit: UserEdit }
  | {
      readonly kind: 'move';
      readonly row: number;
      readonly column: 'DATA_USCITA' | 'DATA_INGRESSO';
      readonly date: string;
    };

const YEAR_START = Date.UTC(2025, 0, 1);
const isoDayOf2025 = (day: number): string => new Date(YEAR_START + day * 86_400_000).toISOString().slice(0, 10);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('text' as const),
    sheet: fc.constantFrom('T2' as const, 'T5' as const, 'T6' as const),
    row: fc.nat(5),
    text: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'grapheme', maxLength: 12 })),
  }),
  fc.constant({ kind: 'no-ats' as const }),
  fc.constant({ kind: 'edit' as const, edit: { kind: 'rename' as const, sheet: 'T2_ATS_Comuni', to: 'Comuni' } }),
  fc.constant({
    kind: 'edit' as const,
    edit: { kind: 'extra-column' as const, sheet: 'T4_Quadro_Fondi', header: 'Note interne', value: ' da rivedere ' },
  }),
  fc.record({
    kind: fc.constant('move' as const),
    row: fc.nat(5),
    column: fc.constantFrom('DATA_USCITA' as const, 'DATA_INGRESSO' as const),
    date: fc.nat(364).map(isoDayOf2025),
  }),
);

/** The free-text column of each sheet the hostile text goes into. */
const TEXT_COLUMN = { T2: 'DENOMINAZIONE_COMUNE', T5: 'NOTE', T6: 'NOTE' } as const;

function applyMutations(
  submission: Submission,
  mutations: readonly Mutation[],
): { submission: Submission; edits: UserEdit[] } {
  const sheets: Record<string, Array<Record<string, SubmissionRow[string]>>> = {};
  for (const [id, rows] of Object.entries(submission.sheets)) sheets[id] = (rows ?? []).map((row) => ({ ...row }));
  const edits: UserEdit[] = [];
  const rowOf = (id: string, index: number) => {
    const rows = sheets[id] ?? [];
    return rows[index % Math.max(rows.length, 1)];
  };
  for (const change of mutations) {
    if (change.kind === 'edit') edits.push(change.edit);
    else if (change.kind === 'no-ats') {
      for (const row of sheets.T1 ?? []) delete row.COD_ATS;
    } else if (change.kind === 'move') {
      const row = rowOf('T2', change.row);
      if (row) row[change.column] = change.date;
    } else {
      const row = rowOf(change.sheet, change.row);
      const column = TEXT_COLUMN[change.sheet];
      const known = LEPS_ATS.sheets.find((sheet) => sheet.id === change.sheet)?.columns.some((c) => c.key === column);
      if (row && known) row[column] = change.text;
    }
  }
  return { submission: { ...submission, sheets }, edits };
}

type Source =
  | { readonly kind: 'valid'; readonly ats: number; readonly seed: number; readonly interim: boolean }
  | { readonly kind: 'bad'; readonly ats: number; readonly rule: string };

const source: fc.Arbitrary<Source> = fc.oneof(
  fc.record({ kind: fc.constant('valid' as const), ats: fc.nat(3), seed: fc.nat(50), interim: fc.boolean() }),
  fc.record({ kind: fc.constant('bad' as const), ats: fc.nat(3), rule: fc.constantFrom(...VARIANT_RULES) }),
);

function build(input: Source): Submission {
  const ats = atsList[input.ats % atsList.length];
  if (!ats) throw new Error('no ATS');
  if (input.kind === 'valid') {
    const period = input.interim ? '2025-08-31' : '2025-12-31';
    return generateSubmission({ ats, regionCode: '05', comuni, period, seed: input.seed, rows: 40 });
  }
  const base = demoCase({ ats, regionCode: '05', comuni, period: '2025-12-31', seed: 1, rows: 40 });
  return badVariant(input.rule, base).submission;
}

interface Outcome {
  readonly submission: Submission;
  readonly canonical: string;
  readonly sha256: string;
  readonly findings: ReadonlyArray<Finding & { readonly cell: string }>;
}

async function outcomeOf(read: WorkbookRead): Promise<Outcome> {
  const findings = checkWorkbook(read, { comuni, now: NOW }).map((finding) => ({
    ...finding,
    cell: findingAddress(locateFinding(read.template, read.cells, finding)),
  }));
  return {
    submission: read.submission,
    canonical: canonicalJson(read.submission),
    sha256: await submissionSha256(read.submission),
    findings,
  };
}

type Outcomes = Record<string, Outcome>;

/** Every way the workbook travels as written: by either channel's writer, read by every reader. */
function asWritten(xlsx: Buffer, host: Awaited<ReturnType<typeof writeHost>>): Promise<Outcomes> {
  return readEveryWay(xlsx, host, outcomeOf);
}

/** The .xlsx once LibreOffice has recalculated and saved it, read by every reader. */
async function asRecalculated(recalculated: Buffer): Promise<Outcomes> {
  return {
    'xlsx → LibreOffice → rendiconta': await outcomeOf(await readXlsx(recalculated)),
    'xlsx → LibreOffice → rendiconta valida (streaming)': await outcomeOf(await readXlsxStreaming(recalculated)),
    'xlsx → LibreOffice → add-in': await outcomeOf(await readHost(await xlsxIntoHost(recalculated))),
  };
}

interface Case {
  readonly name: string;
  readonly source: Source;
  readonly mutations: readonly Mutation[];
  /** What the example is about, on the outcome every channel agreed on (as written, and as recalculated). */
  readonly expectation?: (written: Outcome, recalculated: Outcome, submission: Submission) => void;
}

const VALID: Source = { kind: 'valid', ats: 0, seed: 3, interim: false };
const rulesOf = (outcome: Outcome): string[] => outcome.findings.map((finding) => finding.rule);
const parsed = (outcome: Outcome): Submission => JSON.parse(outcome.canonical) as Submission;

/** One example per former disagreement, so each is covered whatever the sample draws. */
const EXAMPLES: Case[] = [
  {
    name: 'trims spaces around text in every channel',
    source: VALID,
    mutations: [{ kind: 'text', sheet: 'T2', row: 0, text: '  Comune  ' }],
    expectation: (written, recalculated) => {
      expect(parsed(written).sheets.T2?.[0]?.DENOMINAZIONE_COMUNE).toBe('Comune');
      expect(parsed(recalculated).sheets.T2?.[0]?.DENOMINAZIONE_COMUNE).toBe('Comune');
    },
  },
  {
    name: 'finds a renamed sheet by its header in every channel',
    source: VALID,
    mutations: [{ kind: 'edit', edit: { kind: 'rename', sheet: 'T2_ATS_Comuni', to: 'Comuni' } }],
    expectation: (written, recalculated, submission) => {
      expect(parsed(written).sheets.T2?.length).toBe(submission.sheets.T2?.length);
      expect(
        written.findings.some((f) => f.rule === 'S.2' && f.message.includes('riconosciuto dalle intestazioni')),
      ).toBe(true);
      // The population formula followed the rename, as in Excel, and still sums the comuni.
      expect(typeof recalculated.submission.sheets.T1?.[0]?.POPOLAZIONE_TOT).toBe('number');
    },
  },
  {
    name: 'warns about an unknown column (S.2) in every channel',
    source: VALID,
    mutations: [
      { kind: 'edit', edit: { kind: 'extra-column', sheet: 'T4_Quadro_Fondi', header: 'Note interne', value: 'x' } },
    ],
    expectation: (written) => {
      expect(written.findings.some((f) => f.rule === 'S.2' && f.message.includes('Note interne'))).toBe(true);
    },
  },
  {
    name: 'reports a missing ATS code as T1.1 in every channel, with no made-up code',
    source: VALID,
    mutations: [{ kind: 'no-ats' }],
    expectation: (written) => {
      expect(parsed(written).ats).toBe('');
      expect(rulesOf(written)).toContain('T1.1');
      expect(rulesOf(written)).not.toContain('S.0');
      expect(written.canonical).not.toContain('ATS-00-000');
      expect(written.findings.find((f) => f.rule === 'T1.1')?.cell).toBe('T1_ATS_Anagrafica!A2');
    },
  },
  {
    name: 'counts a comune leaving after 31/08 in a 31/08 return, in the formula as in the checks (no false T1.9)',
    source: { kind: 'valid', ats: 1, seed: 7, interim: true },
    mutations: [
      { kind: 'move', row: 0, column: 'DATA_USCITA', date: '2025-10-15' },
      { kind: 'move', row: 1, column: 'DATA_USCITA', date: '2025-07-01' },
      { kind: 'move', row: 2, column: 'DATA_INGRESSO', date: '2025-09-10' },
    ],
    expectation: (written, recalculated) => {
      expect(written.submission.period).toBe('2025-08-31');
      const normalized = toNormalized(written.submission);
      if (!normalized) throw new Error('not a submission');
      const population = recalculated.submission.sheets.T1?.[0]?.POPOLAZIONE_TOT;
      expect(population).toBe(populationTotal(normalized));
      // The comune that left in October is counted at 31/08; the one that left in July is not.
      const t2 = normalized.sheets.T2;
      const all = t2.reduce(
        (total, row) => total + (typeof row.POPOLAZIONE_RESIDENTE === 'number' ? row.POPOLAZIONE_RESIDENTE : 0),
        0,
      );
      expect(population).toBe(all - Number(t2[1]?.POPOLAZIONE_RESIDENTE));
      expect(rulesOf(recalculated)).not.toContain('T1.9');
    },
  },
];

const SAMPLED: Case[] = fc
  .sample(fc.tuple(source, fc.array(mutation, { maxLength: 4 })), { seed: 20260, numRuns: SAMPLED_CASES })
  .map(([input, mutations], index) => ({
    name: `generated case ${index + 1}: ${JSON.stringify(input)} with ${JSON.stringify(mutations)}`,
    source: input,
    mutations,
  }));

const CASES: Case[] = [...EXAMPLES, ...SAMPLED];

interface Result {
  readonly submission: Submission;
  readonly written: Outcomes;
  readonly recalculated: Outcomes;
}

let lo: LibreOffice | undefined;
let dir: TempDir | undefined;
const results: Result[] = [];

beforeAll(async () => {
  lo = startLibreOffice();
  dir = tempDir('rendiconta-same-result-');
  const prepared = [];
  for (const [index, entry] of CASES.entries()) {
    const { submission, edits } = applyMutations(build(entry.source), entry.mutations);
    const xlsx = await writeXlsx(submission, edits);
    const host = await writeHost(submission, edits);
    prepared.push({ submission, written: await asWritten(xlsx, host), path: dir.file(`case-${index}.xlsx`, xlsx) });
  }
  const converted = await lo.convert(prepared.map((entry) => entry.path));
  for (const [index, entry] of prepared.entries()) {
    const recalculated = await asRecalculated(readFileSync(converted[index] ?? ''));
    results.push({ submission: entry.submission, written: entry.written, recalculated });
  }
}, 600_000);

afterAll(() => {
  lo?.dispose();
  dir?.dispose();
});

describe('one workbook, every channel, LibreOffice included: the same result', () => {
  it.each(CASES.map((entry, index) => [entry.name, index] as const))('%s', (_name, index) => {
    const result = results[index];
    const entry = CASES[index];
    if (!result || !entry) throw new Error('no result');
    const written = expectSame(result.written);
    const recalculated = expectSame(result.recalculated);

    // As written, no formula has been computed: the submission is its input cells.
    expect(canonicalJson(inputsOnly(LEPS_ATS, written.submission))).toBe(written.canonical);
    // Recalculated, the input cells read the same and the findings are the same, on the same cells.
    expect(canonicalJson(inputsOnly(LEPS_ATS, recalculated.submission))).toBe(written.canonical);
    expect(recalculated.findings).toEqual(written.findings);
    // Every computed cell shows the core's value; a bad variant's unreadable input may leave a formula's value
    // where the core has none (the checks report that input, S.3 or the sheet's .0 rule).
    const cells = computedCells(LEPS_ATS, written.submission, recalculated.submission);
    const differing = cells.filter(
      (cell) =>
        !sameComputedValue(cell) && !(entry.source.kind === 'bad' && cell.expected === null && cell.actual !== null),
    );
    expect(differing).toEqual([]);
    if (written.submission.sheets.T1?.[0]?.ANNO_RIF !== undefined && (written.submission.sheets.T2?.length ?? 0) > 0) {
      expect(cells.some((cell) => cell.column === 'POPOLAZIONE_TOT' && cell.actual !== null)).toBe(true);
    }

    entry.expectation?.(written, recalculated, result.submission);
  });
});
