import { describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/core/deps.ts';
import { getAudit, getSubmission, reviewSubmission } from '../../functions/core/history.ts';
import { putSubmission } from '../../functions/core/submissions.ts';
import type { Caller } from '../../functions/lib/claims.ts';
import { HttpError } from '../../functions/lib/http.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { MemoryStore } from '../../functions/store/memory.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { demoNow, generateSubmission } from '../../shared/demo/generate.ts';

/** Segregation of duties: who submitted a version may not approve or reject it, even holding both roles. */

const comuni = loadComuni();
const [ats] = syntheticRegion('05', comuni);
if (!ats) throw new Error('no synthetic ATS');
const PERIOD = '2025-12-31';

/** One user who is both the ATS's operator and a reviewer of its Region. */
const both: Caller = { sub: 'doppio-ruolo', groups: ['ats-operator', 'region-reviewer'], ats: ats.ats, region: '05' };
const otherReviewer: Caller = { sub: 'revisore-2', groups: ['region-reviewer'], ats: null, region: '05' };

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('segregation of duties', () => {
  it.each(['approve', 'reject'] as const)(
    'refuses to %s one’s own submission, in Italian, and audits the attempt',
    async (decision) => {
      const deps: Deps = { store: new MemoryStore(), comuni: () => comuni, now: () => demoNow(PERIOD) };
      const submission = generateSubmission({ ats, regionCode: '05', comuni, period: PERIOD, seed: 3 });
      await putSubmission(deps, {
        caller: both,
        ats: ats.ats,
        period: PERIOD,
        body: { text: JSON.stringify(submission), value: submission },
        idempotencyKey: 'key-segregation-1',
        ifMatch: undefined,
        clientVersion: 'test/1',
      });

      const refused = await refusal(
        reviewSubmission(deps, both, ats.ats, PERIOD, { decision, comment: 'Dati da rivedere', version: 1 }, 'test/1'),
      );
      expect(refused.statusCode).toBe(403);
      expect(refused.code).toBe('SEGREGATION_OF_DUTIES');
      expect(refused.message).toMatch(/inviata da sé stessi.*un altro revisore della Regione/);
      expect((await getSubmission(deps, both, ats.ats, PERIOD, undefined)).status).toBe('SUBMITTED');

      const audit = await getAudit(deps, otherReviewer, ats.ats, undefined, undefined);
      expect(audit.events.map((event) => [event.what, event.who, event.version])).toEqual([
        ['SUBMIT', 'doppio-ruolo', 1],
        ['REVIEW_REFUSED', 'doppio-ruolo', 1],
      ]);
      expect(audit.events[1]?.groups).toEqual(['ats-operator', 'region-reviewer']);

      // Another reviewer of the Region decides as usual.
      const decided = await reviewSubmission(
        deps,
        otherReviewer,
        ats.ats,
        PERIOD,
        { decision, comment: 'Verificato', version: 1 },
        null,
      );
      expect(decided.receipt.status).toBe(decision === 'approve' ? 'APPROVED' : 'REJECTED');
    },
  );
});
