import { describe, expect, it } from 'vitest';
import { consolidated } from '../../functions/core/consolidated.ts';
import type { Deps } from '../../functions/core/deps.ts';
import { getAudit, getSubmission, reviewSubmission } from '../../functions/core/history.ts';
import { putRegionAts } from '../../functions/core/registrations.ts';
import { putSubmission, validateForCaller } from '../../functions/core/submissions.ts';
import type { Caller } from '../../functions/lib/claims.ts';
import { HttpError } from '../../functions/lib/http.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { MemoryStore } from '../../functions/store/memory.ts';
import { submissionSha256 } from '../../shared/contract/canonical.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { demoNow, generatePreviousPeriod, generateSubmission } from '../../shared/demo/generate.ts';

/**
 * The data functions against the in-memory store: the rules of submitting, reviewing and consolidating, without a
 * database (the integration suites run the same rules over HTTPS and DynamoDB Local).
 */

const comuni = loadComuni();
const region = syntheticRegion('05', comuni);
function at(index: number) {
  const entry = region[index];
  if (!entry) throw new Error('no synthetic ATS');
  return entry;
}
const first = at(0);
const second = at(1);
const PERIOD = '2025-12-31';
const PREVIOUS = '2024-12-31';
const INTERIM = '2025-08-31';

const operator = (ats: string): Caller => ({ sub: `op-${ats}`, groups: ['ats-operator'], ats, region: null });
const reviewer: Caller = { sub: 'rev', groups: ['region-reviewer'], ats: null, region: '05' };
const stranger: Caller = { sub: 'rev-06', groups: ['region-reviewer'], ats: null, region: '06' };
const admin: Caller = { sub: 'admin', groups: ['national-admin'], ats: null, region: null };

function deps(period = PERIOD): Deps {
  return { store: new MemoryStore(), comuni: () => comuni, now: () => demoNow(period) };
}

const body = (value: unknown) => ({ text: JSON.stringify(value), value });

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function submit(
  context: Deps,
  submission: unknown,
  options: { key: string; ifMatch?: string; ats?: string; period?: string } = { key: 'key-00000001' },
) {
  const ats = options.ats ?? first.ats;
  return putSubmission(context, {
    caller: operator(ats),
    ats,
    period: options.period ?? PERIOD,
    body: body(submission),
    idempotencyKey: options.key,
    ifMatch: options.ifMatch,
    clientVersion: 'test/1',
  });
}

const options = () => ({ ats: first, regionCode: '05', comuni, period: PERIOD, seed: 3 });

describe('submitting', () => {
  it('checks cross-period against the stored previous period, and only for callers who may read that ATS', async () => {
    const context = deps();
    const previous = generatePreviousPeriod(options());
    await submit({ ...context, now: () => demoNow(PREVIOUS) }, previous, { key: 'key-previous', period: PREVIOUS });
    const current = generateSubmission(options());
    const own = await validateForCaller(context, operator(first.ats), body(current));
    expect(own.previousPeriod).toEqual({ period: PREVIOUS, version: 1 });
    const foreign = await validateForCaller(context, stranger, body(current));
    expect(foreign.previousPeriod).toBeNull();
  });

  it('compares cumulative amounts with the same year’s 31/08 snapshot when there is one (T4.7)', async () => {
    const context = deps();
    const interim = generateSubmission({ ...options(), period: INTERIM });
    await submit({ ...context, now: () => demoNow(INTERIM) }, interim, { key: 'key-interim', period: INTERIM });
    const annual = generateSubmission(options());
    const consistent = await validateForCaller(context, operator(first.ats), body(annual));
    expect(consistent.previousPeriod).toEqual({ period: INTERIM, version: 1 });
    expect(consistent.findings.filter((finding) => finding.rule === 'T4.7')).toEqual([]);

    // Impegnato at 31/12 below what the 31/08 snapshot declared, with no disimpegno: Multifondo would refuse it.
    const fundRow = (rows: unknown) => (rows as Array<Record<string, unknown>>)[0] ?? {};
    const interimCommitted = Number(fundRow(interim.sheets.T4).IMPORTO_IMPEGNATO);
    const lowered = structuredClone(annual);
    fundRow(lowered.sheets.T4).IMPORTO_IMPEGNATO = interimCommitted - 1000;
    const decreased = await validateForCaller(context, operator(first.ats), body(lowered));
    expect(decreased.findings).toContainEqual(
      expect.objectContaining({ rule: 'T4.7', severity: 'error', sheet: 'T4', row: 1, column: 'IMPORTO_IMPEGNATO' }),
    );
  });

  it('compares the composition with the one the Region registered (T2.7)', async () => {
    const context = deps();
    await putRegionAts(context, reviewer, '05', first.ats, { name: first.name, comuni: [...second.comuni] });
    const differing = await submit(context, generateSubmission(options()));
    expect(differing.receipt.findings.some((finding) => finding.rule === 'T2.7')).toBe(true);
    const matching = deps();
    await putRegionAts(matching, reviewer, '05', first.ats, { name: first.name, comuni: [...first.comuni] });
    const stored = await submit(matching, generateSubmission(options()));
    expect(stored.receipt.findings.some((finding) => finding.rule === 'T2.7')).toBe(false);
  });

  it('replays a retry, refuses a reused key, needs If-Match and a reason for a new version', async () => {
    const context = deps();
    const submission = generateSubmission(options());
    const stored = await submit(context, submission, { key: 'key-00000001' });
    expect(stored.receipt.sha256).toBe(await submissionSha256(submission));
    const retry = await submit(context, submission, { key: 'key-00000001' });
    expect(retry).toEqual({ receipt: stored.receipt, replayed: true });
    expect((await refusal(submit(context, { ...submission, comment: 'x' }, { key: 'key-00000001' }))).code).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect((await refusal(submit(context, submission, { key: 'key-00000002' }))).code).toBe('IF_MATCH_REQUIRED');
    expect((await refusal(submit(context, submission, { key: 'key-00000003', ifMatch: '1' }))).statusCode).toBe(422);
    const second = await submit(
      context,
      { ...submission, comment: 'Rettifica' },
      { key: 'key-00000004', ifMatch: '1' },
    );
    expect(second.receipt.version).toBe(2);
    const audit = await getAudit(context, admin, first.ats, undefined, undefined);
    expect(audit.events.map((event) => [event.what, event.version])).toEqual([
      ['SUBMIT', 1],
      ['SUBMIT', 2],
    ]);
  });
});

describe('reviewing and consolidating', () => {
  it('approves the current version, shows it per version, and consolidates the Region', async () => {
    const context = deps();
    for (const entry of [first, second]) {
      await putRegionAts(context, admin, '05', entry.ats, { name: entry.name, comuni: [...entry.comuni] });
    }
    await submit(context, generateSubmission(options()));
    const approved = await reviewSubmission(
      context,
      reviewer,
      first.ats,
      PERIOD,
      { decision: 'approve', version: 1 },
      null,
    );
    expect(approved.receipt.status).toBe('APPROVED');
    const read = await getSubmission(context, reviewer, first.ats, PERIOD, undefined);
    expect(read.versions.map((entry) => entry.status)).toEqual(['APPROVED']);
    expect((await refusal(getSubmission(context, operator(second.ats), first.ats, PERIOD, undefined))).statusCode).toBe(
      403,
    );

    const view = await consolidated(context, reviewer, '05', PERIOD);
    expect(view.missing).toEqual([second.ats]);
    expect(view.ats.find((entry) => entry.ats === first.ats)).toMatchObject({ status: 'APPROVED', submitted: true });
    expect(view.ats.find((entry) => entry.ats === first.ats)?.summary?.population).toBeGreaterThan(0);
    expect(
      Object.values(view.rows)
        .flat()
        .every((row) => row.COD_ATS === first.ats),
    ).toBe(true);
  });
});
