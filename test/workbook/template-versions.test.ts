import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { validateSubmission } from '../../shared/checks/engine.ts';
import type { Finding, RegisteredAts } from '../../shared/checks/types.ts';
import { canonicalJson, submissionSha256 } from '../../shared/contract/canonical.ts';
import { parseSubmission, type Submission, type SubmissionCell } from '../../shared/contract/submission.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { demoNow, generateSubmission } from '../../shared/demo/generate.ts';
import { findTemplate, LEPS_ATS, latestTemplate, registerTemplate, TEMPLATES } from '../../shared/template/index.ts';
import type { TemplateDef } from '../../shared/template/types.ts';
import { checkWorkbook, type WorkbookRead } from '../../shared/workbook/index.ts';
import {
  ADDED_COLUMN,
  DROPPED_CODE,
  LEPS_ATS_NEXT,
  NEXT_VERSION,
  RENAMED_COLUMN,
  RENAMED_HEADER,
} from '../support/template-next.ts';
import { inputsOnly } from './computed.ts';
import { expectSame, readEveryWay, readHost, readXlsx, writeHost, writeXlsx } from './support.ts';

/**
 * Two versions of LEPS-ATS side by side: the published 2025.1 and a test-only 2026.1 (test/support/template-next.ts)
 * that adds a T5 column, renames a T5 header and drops a FORMA_GESTIONE code. Each version's workbook, written by
 * either channel (exceljs for the .xlsx, Office.js on the fake host for the add-in) and read by every reader, gives the
 * same submission on that version, checked against that version's own columns, headers and code lists; the older one
 * is told by S.2 that a newer version exists.
 */

const comuni = loadComuni();
const ats = ((): RegisteredAts => {
  const first = syntheticRegion('05', comuni)[0];
  if (!first) throw new Error('no synthetic ATS');
  return first;
})();
const PERIOD = '2025-12-31';
const NOW = demoNow(PERIOD);

let withdraw: (() => void) | undefined;
beforeAll(() => {
  withdraw = registerTemplate(LEPS_ATS_NEXT);
});
afterAll(() => withdraw?.());

/** The demo return on `template`: the new version's added column filled, its dropped code not used. */
function returnOn(template: TemplateDef, formaGestione?: string): Submission {
  const base = generateSubmission({ ats, regionCode: '05', comuni, period: PERIOD, seed: 5, rows: 30 });
  const next = template.version === NEXT_VERSION;
  const t1 = (base.sheets.T1 ?? []).map((row) => ({
    ...row,
    FORMA_GESTIONE: formaGestione ?? (row.FORMA_GESTIONE === DROPPED_CODE ? 'UNIONE' : (row.FORMA_GESTIONE ?? null)),
  }));
  const t5 = (base.sheets.T5 ?? []).map((row, index) => (next ? { ...row, [ADDED_COLUMN]: 10 + index } : row));
  return { ...base, templateVersion: template.version, sheets: { ...base.sheets, T1: t1, T5: t5 } };
}

interface Outcome {
  readonly read: WorkbookRead;
  readonly canonical: string;
  readonly sha256: string;
  readonly findings: readonly Finding[];
}

async function outcomeOf(read: WorkbookRead): Promise<Outcome> {
  return {
    read,
    canonical: canonicalJson(read.submission),
    sha256: await submissionSha256(read.submission),
    findings: checkWorkbook(read, { comuni, now: NOW }),
  };
}

/** Every channel: each writer of that version, read by every reader. */
async function channels(template: TemplateDef, submission: Submission): Promise<Record<string, Outcome>> {
  const host = await writeHost(submission, [], template);
  return readEveryWay(await writeXlsx(submission, [], template), host, outcomeOf);
}

/** Each sheet's rows without their empty cells: what a workbook can carry back of a submission. */
function filledCells(submission: Submission): Record<string, Array<Record<string, SubmissionCell>>> {
  return Object.fromEntries(
    Object.entries(submission.sheets).map(([sheet, rows]) => [
      sheet,
      (rows ?? []).map((row) => Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null))),
    ]),
  );
}

const columnFindings = (findings: readonly Finding[]) =>
  findings.filter((finding) => finding.rule === 'S.2' && finding.sheet !== null);

describe('the template registry holds several versions', () => {
  it('lists the test version first as the latest, keeps 2025.1 findable, and withdraws it cleanly', () => {
    expect(latestTemplate().version).toBe(NEXT_VERSION);
    expect(findTemplate(LEPS_ATS.id, LEPS_ATS.version)).toBe(LEPS_ATS);
    expect(TEMPLATES.map((template) => template.version)).toEqual([NEXT_VERSION, LEPS_ATS.version]);
    expect(() => registerTemplate(LEPS_ATS_NEXT)).toThrow(/already published/);
  });

  it('admits the new column at intake only while its version is published', () => {
    const submission = returnOn(LEPS_ATS_NEXT);
    expect(parseSubmission(submission).ok).toBe(true);
    withdraw?.();
    try {
      const refused = parseSubmission(submission);
      expect(refused.ok).toBe(false);
      expect(latestTemplate()).toBe(LEPS_ATS);
    } finally {
      withdraw = registerTemplate(LEPS_ATS_NEXT);
    }
  });
});

describe.each([
  ['2025.1 (superseded)', LEPS_ATS],
  [`${NEXT_VERSION} (test-only, latest)`, LEPS_ATS_NEXT],
])('a workbook of LEPS-ATS %s', (_name, template) => {
  let outcomes: Record<string, Outcome> = {};
  const submission = returnOn(template);
  beforeAll(async () => {
    outcomes = await channels(template, submission);
  }, 120_000);

  it('reads the same submission, on its own version, through every channel', () => {
    const first = expectSame(outcomes);
    for (const [channel, outcome] of Object.entries(outcomes)) {
      expect({ channel, template: outcome.read.template }).toEqual({ channel, template });
      expect({ channel, version: outcome.read.submission.templateVersion }).toEqual({
        channel,
        version: template.version,
      });
    }
    // As written, no formula has been computed: the submission is its input cells, as they were typed.
    expect(filledCells(inputsOnly(template, first.read.submission))).toEqual(
      filledCells(inputsOnly(template, submission)),
    );
  });

  it('knows every column and header of its version, and validates to the same findings as its JSON', () => {
    for (const outcome of Object.values(outcomes)) {
      expect(columnFindings(outcome.findings)).toEqual([]);
      const validated = validateSubmission(outcome.read.submission, { comuni, now: NOW });
      if (!validated.ok) throw new Error('not a submission');
      expect(validated.summary.templateVersion).toBe(template.version);
    }
  });

  it('says through S.2 whether a newer version exists', () => {
    const versionFindings = Object.values(outcomes)[0]?.findings.filter((finding) => finding.rule === 'S.2') ?? [];
    if (template === LEPS_ATS) {
      expect(versionFindings.map((finding) => [finding.severity, finding.message])).toEqual([
        [
          'error',
          `Modello LEPS-ATS versione 2025.1: è disponibile la versione ${NEXT_VERSION}. I dati sono controllati sulla versione 2025.1; scaricare la versione ${NEXT_VERSION} e copiarvi i dati.`,
        ],
      ]);
    } else {
      expect(versionFindings).toEqual([]);
    }
  });
});

describe('what changed between the versions', () => {
  it('reads the new column and the renamed header in the new version only', async () => {
    const next = await outcomeOf(await readXlsx(await writeXlsx(returnOn(LEPS_ATS_NEXT), [], LEPS_ATS_NEXT)));
    const rows = next.read.submission.sheets.T5 ?? [];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row[ADDED_COLUMN])).toEqual(rows.map((_row, index) => 10 + index));
    expect(rows.every((row) => typeof row[RENAMED_COLUMN] === 'string')).toBe(true);

    // The 2025.1 header "Modalità" under a 2026.1 marker is no column of that version: S.2 says so and names it.
    const host = await writeHost(returnOn(LEPS_ATS_NEXT), [], LEPS_ATS_NEXT);
    const t5 = LEPS_ATS_NEXT.sheets.find((sheet) => sheet.id === 'T5');
    const index = t5?.columns.findIndex((column) => column.key === RENAMED_COLUMN) ?? -1;
    host.setValues(t5?.name ?? '', `${String.fromCharCode(65 + index)}1`, [['Modalità']]);
    const misnamed = await outcomeOf(await readHost(host));
    expect(columnFindings(misnamed.findings).map((finding) => finding.message)).toEqual([
      expect.stringContaining(
        `Colonna "Modalità" (T5_Spesa_LEPS!${String.fromCharCode(65 + index)}1) non prevista dal modello LEPS-ATS ${NEXT_VERSION}`,
      ),
      expect.stringContaining(`Colonna "${RENAMED_HEADER}" mancante`),
    ]);
  });

  it(`refuses the dropped code ${DROPPED_CODE} with T1.1 in the new version and accepts it in 2025.1`, async () => {
    const onOld = await outcomeOf(await readXlsx(await writeXlsx(returnOn(LEPS_ATS, DROPPED_CODE), [], LEPS_ATS)));
    const onNext = await outcomeOf(
      await readXlsx(await writeXlsx(returnOn(LEPS_ATS_NEXT, DROPPED_CODE), [], LEPS_ATS_NEXT)),
    );
    const onForma = (outcome: Outcome) =>
      outcome.findings.filter((finding) => finding.sheet === 'T1' && finding.column === 'FORMA_GESTIONE');
    expect(onOld.read.submission.sheets.T1?.[0]?.FORMA_GESTIONE).toBe(DROPPED_CODE);
    expect(onForma(onOld)).toEqual([]);
    expect(onForma(onNext).map((finding) => [finding.rule, finding.severity])).toEqual([['T1.1', 'error']]);
  });

  it('keeps the message of a version never published, and of an unknown template', () => {
    const unpublished = validateSubmission({ ...returnOn(LEPS_ATS), templateVersion: '2019.9' }, { comuni, now: NOW });
    const unknown = validateSubmission({ ...returnOn(LEPS_ATS), template: 'ALTRO' }, { comuni, now: NOW });
    if (!unpublished.ok || !unknown.ok) throw new Error('not a submission');
    const s2 = (findings: readonly Finding[]) =>
      findings.filter((finding) => finding.rule === 'S.2').map((finding) => finding.message);
    expect(s2(unpublished.findings)).toEqual([
      `Modello non aggiornato: la versione "2019.9" non è pubblicata, scaricare la versione ${NEXT_VERSION}.`,
    ]);
    expect(s2(unknown.findings)).toEqual([
      `Modello "ALTRO" sconosciuto: usare il modello LEPS-ATS versione ${NEXT_VERSION}.`,
    ]);
  });
});
