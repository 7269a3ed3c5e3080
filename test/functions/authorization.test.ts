import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { errorBodySchema } from '../../shared/contract/api.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import type { RequestOptions } from './http-client.ts';
import {
  BELLUNO_COMUNI,
  isAuthorizerRefusal,
  newKey,
  PERIOD,
  startTestStack,
  submissionFor,
  type TestStack,
} from './support.ts';

/**
 * The authorization matrix of contract.md: each kind of caller × an ATS and Region of their own or someone else's ×
 * every route. A refused call is a 403 in the contract's shape and happens before any data is touched.
 */

type CallerName = 'opA' | 'opB' | 'revA' | 'revB' | 'admin' | 'nobody';
interface Target {
  readonly ats: string;
  readonly region: string;
  readonly comuni: readonly string[];
}

const A: Target = { ats: 'ATS-05-001', region: '05', comuni: BELLUNO_COMUNI };
const B: Target = {
  ats: 'ATS-06-001',
  region: '06',
  comuni: loadComuni()
    .byRegion('06')
    .slice(0, 3)
    .map((comune) => comune.code),
};
const CALLERS: readonly CallerName[] = ['opA', 'opB', 'revA', 'revB', 'admin', 'nobody'];

/** Who owns what: the operators and reviewers of A and B. */
const operatorOf = (target: Target): CallerName => (target === A ? 'opA' : 'opB');
const reviewerOf = (target: Target): CallerName => (target === A ? 'revA' : 'revB');

interface RouteCase {
  readonly id: string;
  readonly allowed: (target: Target) => readonly CallerName[];
  readonly request: (target: Target) => { path: string; options: RequestOptions };
  /** The status an allowed caller gets on target A, where the data is known. */
  readonly success: number;
}

const everyone = () => CALLERS;
const readers = (target: Target): CallerName[] => [operatorOf(target), reviewerOf(target), 'admin'];
const regional = (target: Target): CallerName[] => [reviewerOf(target), 'admin'];

const ROUTE_CASES: readonly RouteCase[] = [
  { id: 'listTemplates', allowed: everyone, success: 200, request: () => ({ path: '/v1/templates', options: {} }) },
  {
    id: 'getTemplate',
    allowed: everyone,
    success: 200,
    request: () => ({ path: `/v1/templates/${LEPS_ATS.id}/${LEPS_ATS.version}`, options: {} }),
  },
  {
    id: 'validate',
    allowed: everyone,
    success: 200,
    request: (target) => ({
      path: '/v1/validate',
      options: { method: 'POST', body: JSON.stringify(submissionFor(target.ats)) },
    }),
  },
  {
    id: 'putSubmission',
    allowed: (target) => [operatorOf(target)],
    success: 201,
    request: (target) => ({
      path: `/v1/ats/${target.ats}/submissions/${PERIOD}`,
      options: {
        method: 'PUT',
        headers: { 'idempotency-key': newKey() },
        body: JSON.stringify(submissionFor(target.ats)),
      },
    }),
  },
  {
    id: 'getSubmission',
    allowed: readers,
    success: 200,
    request: (target) => ({ path: `/v1/ats/${target.ats}/submissions/${PERIOD}`, options: {} }),
  },
  {
    id: 'getSubmissionDocument',
    allowed: readers,
    success: 200,
    request: (target) => ({ path: `/v1/ats/${target.ats}/submissions/${PERIOD}/document?version=1`, options: {} }),
  },
  {
    id: 'getAudit',
    allowed: readers,
    success: 200,
    request: (target) => ({ path: `/v1/ats/${target.ats}/audit`, options: {} }),
  },
  {
    id: 'reviewSubmission',
    allowed: (target) => [reviewerOf(target)],
    success: 200,
    request: (target) => ({
      path: `/v1/ats/${target.ats}/submissions/${PERIOD}/review`,
      options: { method: 'POST', body: JSON.stringify({ decision: 'approve', comment: null, version: 1 }) },
    }),
  },
  {
    id: 'putRegionAts',
    allowed: regional,
    success: 200,
    request: (target) => ({
      path: `/v1/regions/${target.region}/ats/${target.ats}`,
      options: { method: 'PUT', body: JSON.stringify({ name: 'Ambito di prova', comuni: target.comuni }) },
    }),
  },
  {
    id: 'listRegionAts',
    allowed: regional,
    success: 200,
    request: (target) => ({ path: `/v1/regions/${target.region}/ats`, options: {} }),
  },
  {
    id: 'consolidated',
    allowed: regional,
    success: 200,
    request: (target) => ({ path: `/v1/regions/${target.region}/consolidated?period=${PERIOD}`, options: {} }),
  },
];

let env: TestStack;
const tokens = new Map<CallerName, string>();

beforeAll(async () => {
  env = await startTestStack();
  tokens.set('opA', await env.stack.token({ sub: 'opA', groups: ['ats-operator'], ats: A.ats }));
  tokens.set('opB', await env.stack.token({ sub: 'opB', groups: ['ats-operator'], ats: B.ats }));
  tokens.set('revA', await env.stack.token({ sub: 'revA', groups: ['region-reviewer'], region: A.region }));
  tokens.set('revB', await env.stack.token({ sub: 'revB', groups: ['region-reviewer'], region: B.region }));
  tokens.set('admin', await env.stack.token({ sub: 'admin', groups: ['national-admin'] }));
  tokens.set('nobody', await env.stack.token({ sub: 'nobody', groups: [] }));
  // Registered first, so that a PUT by A's operator is valid (T2.7 compares with the registration).
  for (const target of [A, B]) {
    const response = await env.client.send(`/v1/regions/${target.region}/ats/${target.ats}`, {
      method: 'PUT',
      token: tokens.get('admin'),
      body: JSON.stringify({ name: 'Ambito di prova', comuni: target.comuni }),
    });
    expect(response.status).toBe(201);
  }
});

afterAll(async () => {
  await env?.close();
});

describe.each([
  ['own Region (A: ATS-05-001, Regione 05)', A],
  ['other Region (B: ATS-06-001, Regione 06)', B],
])('authorization on %s', (_label, target) => {
  for (const route of ROUTE_CASES) {
    it(`${route.id}: ${route.allowed(target).join(', ')} allowed, everyone else 403, no token 401`, async () => {
      const allowed = route.allowed(target);
      // The refused callers first: their attempts must change nothing the allowed caller then sees.
      const order = [...CALLERS].sort(
        (left, right) => Number(allowed.includes(left)) - Number(allowed.includes(right)),
      );
      for (const caller of order) {
        const { path, options } = route.request(target);
        const response = await env.client.send(path, { ...options, token: tokens.get(caller) });
        if (allowed.includes(caller)) {
          expect(response.status, `${caller} on ${route.id}`).not.toBe(403);
          expect(response.status, `${caller} on ${route.id}`).toBeLessThan(500);
          if (target === A)
            expect(response.status, `${caller} on ${route.id}: ${response.text.slice(0, 300)}`).toBe(route.success);
        } else {
          expect(response.status, `${caller} on ${route.id}`).toBe(403);
          expect(errorBodySchema.parse(response.json()).error.code).toBe('FORBIDDEN');
        }
      }
      const { path, options } = route.request(target);
      // No token: the JWT authorizer refuses before any function runs, with AWS's own body.
      const anonymous = await env.client.send(path, options);
      expect(anonymous.status).toBe(401);
      expect(isAuthorizerRefusal(anonymous), anonymous.text).toBe(true);
    });
  }
});
