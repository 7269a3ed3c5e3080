import { afterEach, describe, expect, it } from 'vitest';
import { consolidated } from '../../functions/core/consolidated.ts';
import type { Deps } from '../../functions/core/deps.ts';
import { getSubmission } from '../../functions/core/history.ts';
import { putRegionAts } from '../../functions/core/registrations.ts';
import { putSubmission, validateForCaller } from '../../functions/core/submissions.ts';
import { handler as getTemplate } from '../../functions/handlers/getTemplate.ts';
import type { Caller } from '../../functions/lib/claims.ts';
import { HttpError } from '../../functions/lib/http.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import type { Event } from '../../functions/lib/request.ts';
import { MemoryStore } from '../../functions/store/memory.ts';
import type { RegisteredAts } from '../../shared/checks/types.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { demoNow, generateSubmission } from '../../shared/demo/generate.ts';
import { LEPS_ATS, registerTemplate } from '../../shared/template/index.ts';
import { ADDED_COLUMN, DROPPED_CODE, LEPS_ATS_NEXT, NEXT_VERSION } from '../support/template-next.ts';

/**
 * The functions with two published versions of LEPS-ATS: an ATS that submitted on 2025.1 before 2026.1 was published
 * keeps its return readable and consolidated beside an ATS that submitted on 2026.1; a new return on 2025.1 is checked
 * on 2025.1 and S.2 (an error in the catalogue) says the newer version exists.
 */

const comuni = loadComuni();
const region = syntheticRegion('05', comuni);
const [first, second] = region;
if (!first || !second) throw new Error('no synthetic ATS');
const PERIOD = '2025-12-31';

const operator = (ats: string): Caller => ({ sub: `op-${ats}`, groups: ['ats-operator'], ats, region: null });
const reviewer: Caller = { sub: 'rev', groups: ['region-reviewer'], ats: null, region: '05' };
const body = (value: unknown) => ({ text: JSON.stringify(value), value });

function returnOf(ats: RegisteredAts, version: string): Submission {
  const base = generateSubmission({ ats, regionCode: '05', comuni, period: PERIOD, seed: 7 });
  const t1 = (base.sheets.T1 ?? []).map((row) =>
    row.FORMA_GESTIONE === DROPPED_CODE ? { ...row, FORMA_GESTIONE: 'UNIONE' } : row,
  );
  const t5 =
    version === NEXT_VERSION
      ? (base.sheets.T5 ?? []).map((row, index) => ({ ...row, [ADDED_COLUMN]: index + 1 }))
      : (base.sheets.T5 ?? []);
  return { ...base, templateVersion: version, sheets: { ...base.sheets, T1: t1, T5: t5 } };
}

function submit(context: Deps, submission: Submission, key: string, ifMatch?: string) {
  return putSubmission(context, {
    caller: operator(submission.ats),
    ats: submission.ats,
    period: PERIOD,
    body: body(submission),
    idempotencyKey: key,
    ifMatch,
    clientVersion: 'test/1',
  });
}

let withdraw: (() => void) | undefined;
afterEach(() => {
  withdraw?.();
  withdraw = undefined;
});

describe('two published versions of LEPS-ATS in the functions', () => {
  it('reads and consolidates returns of both versions; a new return on the superseded one gets S.2', async () => {
    const context: Deps = { store: new MemoryStore(), comuni: () => comuni, now: () => demoNow(PERIOD) };
    for (const ats of [first, second]) {
      await putRegionAts(context, reviewer, '05', ats.ats, { name: ats.name, comuni: [...ats.comuni] });
    }
    // Submitted while 2025.1 was the latest version.
    const old = await submit(context, returnOf(first, LEPS_ATS.version), 'key-old-00001');
    expect(old.receipt.templateVersion).toBe(LEPS_ATS.version);

    withdraw = registerTemplate(LEPS_ATS_NEXT);
    const next = await submit(context, returnOf(second, NEXT_VERSION), 'key-next-00001');
    expect(next.receipt.templateVersion).toBe(NEXT_VERSION);
    expect(next.receipt.findings.filter((finding) => finding.rule === 'S.2')).toEqual([]);

    const read = await getSubmission(context, reviewer, first.ats, PERIOD, undefined);
    expect(read.receipt.templateVersion).toBe(LEPS_ATS.version);
    expect((read.submission as Submission).templateVersion).toBe(LEPS_ATS.version);
    const readNext = await getSubmission(context, reviewer, second.ats, PERIOD, undefined);
    expect((readNext.submission as Submission).sheets.T5?.[0]?.[ADDED_COLUMN]).toBe(1);

    const view = await consolidated(context, reviewer, '05', PERIOD);
    expect(view.missing).toEqual([]);
    expect(view.ats.map((entry) => [entry.ats, entry.receipt?.templateVersion])).toEqual(
      expect.arrayContaining([
        [first.ats, LEPS_ATS.version],
        [second.ats, NEXT_VERSION],
      ]),
    );
    const t5 = view.rows.T5 ?? [];
    expect(t5.some((row) => row.COD_ATS === first.ats && !(ADDED_COLUMN in row))).toBe(true);
    expect(t5.some((row) => row.COD_ATS === second.ats && row[ADDED_COLUMN] === 1)).toBe(true);

    // Validated now, a 2025.1 return is checked on 2025.1 (no column refused) and told that 2026.1 exists.
    const validated = await validateForCaller(context, operator(first.ats), body(returnOf(first, LEPS_ATS.version)));
    const s2 = validated.findings.filter((finding) => finding.rule === 'S.2');
    expect(s2.map((finding) => [finding.severity, finding.sheet])).toEqual([['error', null]]);
    expect(s2[0]?.message).toContain(`è disponibile la versione ${NEXT_VERSION}`);
    let refusal: unknown;
    try {
      await submit(context, { ...returnOf(first, LEPS_ATS.version), comment: 'correzione' }, 'key-old-00002', '1');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(HttpError);
    expect((refusal as HttpError).statusCode).toBe(422);
    expect((refusal as HttpError).findings?.some((finding) => finding.rule === 'S.2')).toBe(true);
  });
  it('serves each published version’s JSON Schema, with that version’s columns', async () => {
    withdraw = registerTemplate(LEPS_ATS_NEXT);
    const schemaOf = async (version: string) => {
      const event = {
        requestContext: {
          requestId: 'versions',
          authorizer: {
            jwt: {
              claims: { sub: 'op', 'cognito:groups': '[ats-operator]', 'custom:ats': first?.ats ?? '' },
              scopes: [],
            },
          },
        },
        pathParameters: { id: LEPS_ATS.id, version },
        headers: {},
      } as unknown as Event;
      const result = await getTemplate(event);
      expect(result.statusCode).toBe(200);
      return JSON.parse(String(result.body)) as { template: { version: string }; jsonSchema: unknown };
    };
    const [old, next] = [await schemaOf(LEPS_ATS.version), await schemaOf(NEXT_VERSION)];
    expect([old.template.version, next.template.version]).toEqual([LEPS_ATS.version, NEXT_VERSION]);
    expect(JSON.stringify(next.jsonSchema)).toContain(`"${ADDED_COLUMN}"`);
    expect(JSON.stringify(old.jsonSchema)).not.toContain(`"${ADDED_COLUMN}"`);
  });
});
