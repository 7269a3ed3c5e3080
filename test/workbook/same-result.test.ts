import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { canonicalJson, submissionSha256 } from '../../shared/contract/canonical.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { generateSubmission } from '../../shared/demo/generate.ts';
import { badVariant, demoCase, VARIANT_RULES } from '../../shared/demo/variants.ts';
import type { Finding, Submission, SubmissionRow } from '../../shared/index.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { checkWorkbook, findingAddress, locateFinding, type WorkbookRead } from '../../shared/workbook/index.ts';
import { hostIntoXlsx, readHost, readXlsx, type UserEdit, writeHost, writeXlsx, xlsxIntoHost } from './support.ts';

/**
 * Same workbook, same result, by construction: a submission written through either channel's writer (exceljs for the
 * .xlsx, Office.js for the add-in) and read back through either reader gives the identical canonical submission, the
 * identical sha256 and the identical findings, placed on the identical cells. The cases are the demo generator's
 * returns and its bad variants, with hostile text typed in and what people do to workbooks: spaces around text,
 * formula-looking text, unicode, a renamed sheet, an unknown column, a missing ATS code.
 */

const comuni = loadComuni();
const atsList = syntheticRegion('05', comuni);
const NOW = new Date('2026-01-25T10:00:00Z');

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
  | { readonly kind: 'edit'; readonly edit: UserEdit };

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
  for (const change of mutations) {
    if (change.kind === 'edit') edits.push(change.edit);
    else if (change.kind === 'no-ats') {
      for (const row of sheets.T1 ?? []) delete row.COD_ATS;
    } else {
      const rows = sheets[change.sheet] ?? [];
      const row = rows[change.row % Math.max(rows.length, 1)];
      const column = TEXT_COLUMN[change.sheet];
      const known = LEPS_ATS.sheets.find((sheet) => sheet.id === change.sheet)?.columns.some((c) => c.key === column);
      if (row && known) row[column] = change.text;
    }
  }
  return { submission: { ...submission, sheets }, edits };
}

interface Outcome {
  readonly canonical: string;
  readonly sha256: string;
  readonly findings: ReadonlyArray<Finding & { readonly cell: string }>;
}

async function outcomeOf(read: WorkbookRead): Promise<Outcome> {
  const findings = checkWorkbook(read, { comuni, now: NOW }).map((finding) => ({
    ...finding,
    cell: findingAddress(locateFinding(read.template, read.cells, finding)),
  }));
  return { canonical: canonicalJson(read.submission), sha256: await submissionSha256(read.submission), findings };
}

/** Every way one workbook can travel: written by either channel, read by either. */
async function everyChannel(submission: Submission, edits: readonly UserEdit[]): Promise<Record<string, Outcome>> {
  const xlsx = await writeXlsx(submission, edits);
  const host = await writeHost(submission, edits);
  return {
    'xlsx → rendiconta': await outcomeOf(await readXlsx(xlsx)),
    'add-in → add-in': await outcomeOf(await readHost(host)),
    'xlsx → add-in': await outcomeOf(await readHost(await xlsxIntoHost(xlsx))),
    'add-in → rendiconta': await outcomeOf(await readXlsx(await hostIntoXlsx(host))),
  };
}

function expectSame(outcomes: Record<string, Outcome>): void {
  const [first, ...others] = Object.entries(outcomes);
  if (!first) throw new Error('no channel');
  for (const [channel, outcome] of others) {
    expect({ channel, canonical: outcome.canonical }).toEqual({ channel, canonical: first[1].canonical });
    expect({ channel, sha256: outcome.sha256 }).toEqual({ channel, sha256: first[1].sha256 });
    expect({ channel, findings: outcome.findings }).toEqual({ channel, findings: first[1].findings });
  }
}

const source = fc.oneof(
  fc.record({ kind: fc.constant('valid' as const), ats: fc.nat(3), seed: fc.nat(50), interim: fc.boolean() }),
  fc.record({ kind: fc.constant('bad' as const), ats: fc.nat(3), rule: fc.constantFrom(...VARIANT_RULES) }),
);

function build(
  input: { kind: 'valid'; ats: number; seed: number; interim: boolean } | { kind: 'bad'; ats: number; rule: string },
): Submission {
  const ats = atsList[input.ats % atsList.length];
  if (!ats) throw new Error('no ATS');
  if (input.kind === 'valid') {
    const period = input.interim ? '2025-08-31' : '2025-12-31';
    return generateSubmission({ ats, regionCode: '05', comuni, period, seed: input.seed, rows: 40 });
  }
  const base = demoCase({ ats, regionCode: '05', comuni, period: '2025-12-31', seed: 1, rows: 40 });
  return badVariant(input.rule, base).submission;
}

describe('one workbook, every channel, the same result', () => {
  it('reads the same submission, sha256 and findings whichever channel wrote and read it', async () => {
    await fc.assert(
      fc.asyncProperty(source, fc.array(mutation, { maxLength: 4 }), async (input, mutations) => {
        const { submission, edits } = applyMutations(build(input), mutations);
        expectSame(await everyChannel(submission, edits));
      }),
      { numRuns: 10, seed: 20260 },
    );
  }, 600_000);

  it.each([
    ['trims spaces around text in both channels', [{ kind: 'text', sheet: 'T2', row: 0, text: '  Comune  ' }]],
    [
      'finds a renamed sheet by its header in both channels',
      [{ kind: 'edit', edit: { kind: 'rename', sheet: 'T2_ATS_Comuni', to: 'Comuni' } }],
    ],
    [
      'warns about an unknown column (S.2) in both channels',
      [{ kind: 'edit', edit: { kind: 'extra-column', sheet: 'T4_Quadro_Fondi', header: 'Note interne', value: 'x' } }],
    ],
    ['reports a missing ATS code as T1.1 in both channels, with no made-up code', [{ kind: 'no-ats' }]],
  ] as Array<[string, Mutation[]]>)(
    '%s',
    async (_name, mutations) => {
      const { submission, edits } = applyMutations(
        build({ kind: 'valid', ats: 0, seed: 3, interim: false }),
        mutations,
      );
      const outcomes = await everyChannel(submission, edits);
      expectSame(outcomes);
      const outcome = outcomes['xlsx → rendiconta'];
      const parsed = JSON.parse(outcome?.canonical ?? '{}') as Submission;
      const rules = outcome?.findings.map((finding) => finding.rule) ?? [];
      const kind = mutations[0]?.kind === 'edit' ? mutations[0].edit.kind : mutations[0]?.kind;
      if (kind === 'text') expect(parsed.sheets.T2?.[0]?.DENOMINAZIONE_COMUNE).toBe('Comune');
      if (kind === 'rename') {
        expect(parsed.sheets.T2?.length).toBe(submission.sheets.T2?.length);
        expect(
          outcome?.findings.some((f) => f.rule === 'S.2' && f.message.includes('riconosciuto dalle intestazioni')),
        ).toBe(true);
      }
      if (kind === 'extra-column') {
        expect(outcome?.findings.some((f) => f.rule === 'S.2' && f.message.includes('Note interne'))).toBe(true);
      }
      if (kind === 'no-ats') {
        expect(parsed.ats).toBe('');
        expect(rules).toContain('T1.1');
        expect(rules).not.toContain('S.0');
        expect(outcome?.canonical).not.toContain('ATS-00-000');
        expect(outcome?.findings.find((f) => f.rule === 'T1.1')?.cell).toBe('T1_ATS_Anagrafica!A2');
      }
    },
    120_000,
  );
});
