import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256HexOf } from '../../functions/lib/hash.ts';
import { errorBodySchema, validateResponseSchema } from '../../shared/contract/api.ts';
import { canonicalJson } from '../../shared/contract/canonical.ts';
import { regionParametersResponseSchema } from '../../shared/contract/region-parameters.ts';
import { ATS } from '../support/builders.ts';
import {
  isAuthorizerRefusal,
  newKey,
  PERIOD,
  registerTestAts,
  startTestStack,
  submissionFor,
  type TestStack,
} from './support.ts';

/**
 * The Region's parameters through the local stack (HTTPS, the local JWT authorizer, DynamoDB Local): who may read and
 * set them, how bad values are refused, the audit of each change, and that validate, PUT and the consolidated view
 * check with them.
 */

type CallerName = 'opA' | 'opB' | 'revA' | 'revB' | 'admin' | 'nobody';
const CALLERS: readonly CallerName[] = ['opA', 'opB', 'revA', 'revB', 'admin', 'nobody'];

let env: TestStack;
const tokens = new Map<CallerName, string>();
const path = (region: string) => `/v1/regions/${region}/parameters`;

beforeAll(async () => {
  env = await startTestStack();
  tokens.set('opA', await env.stack.token({ sub: 'opA', groups: ['ats-operator'], ats: ATS }));
  tokens.set('opB', await env.stack.token({ sub: 'opB', groups: ['ats-operator'], ats: 'ATS-06-001' }));
  tokens.set('revA', await env.stack.token({ sub: 'revA', groups: ['region-reviewer'], region: '05' }));
  tokens.set('revB', await env.stack.token({ sub: 'revB', groups: ['region-reviewer'], region: '06' }));
  tokens.set('admin', await env.stack.token({ sub: 'admin', groups: ['national-admin'] }));
  tokens.set('nobody', await env.stack.token({ sub: 'nobody', groups: [] }));
  await registerTestAts(env);
});

afterAll(async () => {
  await env?.close();
});

async function put(region: string, caller: CallerName, parameters: unknown, ifMatch?: string) {
  return env.client.send(path(region), {
    method: 'PUT',
    token: tokens.get(caller),
    headers: { ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }), 'x-client-version': 'test/1.0' },
    body: JSON.stringify({ parameters }),
  });
}

async function current(region: string) {
  const response = await env.client.send(path(region), { token: tokens.get('admin') });
  expect(response.status).toBe(200);
  return regionParametersResponseSchema.parse(response.json());
}

describe('who may read and set a Region’s parameters', () => {
  it.each([
    ['05', { get: ['opA', 'revA', 'admin'], put: ['revA', 'admin'] }],
    ['06', { get: ['opB', 'revB', 'admin'], put: ['revB', 'admin'] }],
  ] as const)(
    'Regione %s: its operators read, its reviewers and admins set, everyone else 403, no token 401',
    async (region, allowed) => {
      for (const caller of CALLERS) {
        const read = await env.client.send(path(region), { token: tokens.get(caller) });
        if ((allowed.get as readonly string[]).includes(caller)) {
          expect(read.status, `${caller} GET`).toBe(200);
          expect(regionParametersResponseSchema.parse(read.json()).region).toBe(region);
        } else {
          expect(read.status, `${caller} GET`).toBe(403);
          expect(errorBodySchema.parse(read.json()).error.code).toBe('FORBIDDEN');
        }
      }
      // The refused first: nothing they send may be stored.
      const order = [...CALLERS].sort(
        (left, right) =>
          Number((allowed.put as readonly string[]).includes(left)) -
          Number((allowed.put as readonly string[]).includes(right)),
      );
      for (const caller of order) {
        const version = (await current(region)).version;
        const response = await put(region, caller, { udpMinFte: 2 }, version === 0 ? undefined : String(version));
        if ((allowed.put as readonly string[]).includes(caller)) {
          expect(response.status, `${caller} PUT: ${response.text}`).toBe(version === 0 ? 201 : 200);
        } else {
          expect(response.status, `${caller} PUT`).toBe(403);
          expect(errorBodySchema.parse(response.json()).error.message).toMatch(/Regione/);
          expect((await current(region)).version, `${caller} changed nothing`).toBe(version);
        }
      }
      expect((await current(region)).history.map((change) => change.who)).toEqual([...allowed.put].reverse());
      for (const method of ['GET', 'PUT']) {
        const anonymous = await env.client.send(path(region), {
          method,
          ...(method === 'PUT' ? { body: JSON.stringify({ parameters: {} }) } : {}),
        });
        expect(isAuthorizerRefusal(anonymous), `${method} without a token`).toBe(true);
      }
    },
  );
});

describe('bad parameters', () => {
  it.each([
    [{ udpMinFte: -1 }, 'parameters.udpMinFte', /troppo basso/],
    [{ udpMinFte: 'tre' }, 'parameters.udpMinFte', /atteso un numero/],
    [{ fullTimeHours: 60 }, 'parameters.fullTimeHours', /troppo alto.*ore settimanali/],
    [{ attoExpiryWarningDays: 1.5 }, 'parameters.attoExpiryWarningDays', /intero/],
    [{ contribution: { minimumRatio: 1 } }, 'parameters', /Chiavi non previste: contribution/],
    [{ sogliaInventata: 1 }, 'parameters', /Chiavi non previste: sogliaInventata/],
    [{ severityOverrides: { 'S.1': 'warning' } }, 'parameters.severityOverrides.S.1', /gravità fissata/],
    [{ severityOverrides: { 'T1.5': 'bloccante' } }, 'parameters.severityOverrides.T1.5', /attesa "error" o "warning"/],
    [{ siossDeadlines: { '2026': '2026-02-30' } }, 'parameters.siossDeadlines.2026', /Data non valida/],
    [{ unitCostBand: { low: 0.9, high: 0.1 } }, 'parameters.unitCostBand', /percentile inferiore/],
    [{ qsfpAllowedLeps: ['LEPS_XYZ'] }, 'parameters.qsfpAllowedLeps.0', /LEPS non ammesso/],
  ])('refuses %j with an Italian 400 naming %s', async (parameters, where, message) => {
    const before = (await current('05')).version;
    const response = await put('05', 'revA', parameters, String(before));
    expect(response.status, response.text).toBe(400);
    const body = errorBodySchema.parse(response.json());
    expect(body.error.message).toMatch(/Parametri dei controlli non validi/);
    const issue = body.error.issues?.find((entry) => entry.path === where);
    expect(issue, JSON.stringify(body.error.issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
    expect((await current('05')).version).toBe(before);
  });

  it('refuses a body that is not {parameters}, a bad Region and a bad If-Match with a 400', async () => {
    const version = String((await current('05')).version);
    const bare = await env.client.send(path('05'), {
      method: 'PUT',
      token: tokens.get('revA'),
      headers: { 'if-match': version },
      body: JSON.stringify({ udpMinFte: 2 }),
    });
    expect(bare.status).toBe(400);
    expect((await env.client.send(path('5'), { token: tokens.get('admin') })).status).toBe(400);
    const badIfMatch = await put('05', 'revA', {}, 'ultima');
    expect(badIfMatch.status).toBe(400);
    expect(errorBodySchema.parse(badIfMatch.json()).error.issues?.[0]?.path).toBe('If-Match');
  });
});

describe('lost updates', () => {
  it('requires If-Match once the Region has parameters, and refuses a stale one with a 409', async () => {
    const { version } = await current('05');
    const without = await put('05', 'revA', { udpMinFte: 1 });
    expect(without.status).toBe(409);
    expect(errorBodySchema.parse(without.json()).error.code).toBe('IF_MATCH_REQUIRED');
    const stale = await put('05', 'revA', { udpMinFte: 1 }, String(version - 1));
    expect(stale.status).toBe(409);
    expect(errorBodySchema.parse(stale.json()).error.code).toBe('STALE_VERSION');
    // Two reviewers racing from the same version: exactly one wins.
    const raced = await Promise.all([
      put('05', 'revA', { udpMinFte: 1.5 }, String(version)),
      put('05', 'admin', { udpMinFte: 2.5 }, String(version)),
    ]);
    expect(raced.map((response) => response.status).sort()).toEqual([200, 409]);
    expect((await current('05')).version).toBe(version + 1);
  });
});

describe('the audit of a change', () => {
  it('records who, when, with which groups and client, what changed and the hash of what was set', async () => {
    const { version } = await current('05');
    const parameters = { udpMinFte: 4, severityOverrides: { 'T1.6': 'error' } };
    const response = await put('05', 'revA', parameters, String(version));
    expect(response.status).toBe(200);
    const after = regionParametersResponseSchema.parse(response.json());
    expect(after).toMatchObject({ region: '05', version: version + 1, parameters, updatedBy: 'revA' });
    const [latest] = after.history;
    expect(latest).toMatchObject({
      who: 'revA',
      groups: ['region-reviewer'],
      version: version + 1,
      changed: ['severityOverrides', 'udpMinFte'],
      clientVersion: 'test/1.0',
      sha256: sha256HexOf(canonicalJson(parameters)),
    });
    expect(Date.parse(latest?.at ?? '')).not.toBeNaN();
    // The operator of the Region's ATS reads the same, for their local checks.
    const asOperator = await env.client.send(path('05'), { token: tokens.get('opA') });
    expect(regionParametersResponseSchema.parse(asOperator.json()).parameters).toEqual(parameters);
  });
});

describe('the server checks with the Region’s parameters', () => {
  const t15 = (findings: ReadonlyArray<{ rule: string; severity: string }>) =>
    findings.filter((finding) => finding.rule === 'T1.5');

  it('raises T1.5 under the Region’s UdP threshold in validate, and blocks PUT when the Region makes it an error', async () => {
    const submission = JSON.stringify(submissionFor(ATS));
    const validate = async () => {
      const response = await env.client.send('/v1/validate', {
        method: 'POST',
        token: tokens.get('opA'),
        body: submission,
      });
      expect(response.status).toBe(200);
      return validateResponseSchema.parse(response.json()).findings;
    };
    let { version } = await current('05');
    // The builders' Ufficio di Piano has 3.5 FTE.
    expect((await put('05', 'revA', { udpMinFte: 1 }, String(version++))).status).toBe(200);
    expect(t15(await validate())).toEqual([]);
    expect((await put('05', 'revA', { udpMinFte: 5 }, String(version++))).status).toBe(200);
    expect(t15(await validate())).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(t15(await validate())[0]).toMatchObject({ message: expect.stringMatching(/sotto 5 FTE \(3,5\)/) });

    const promoted = { udpMinFte: 5, severityOverrides: { 'T1.5': 'error' } };
    expect((await put('05', 'revA', promoted, String(version++))).status).toBe(200);
    expect(t15(await validate())).toEqual([expect.objectContaining({ severity: 'error' })]);
    const refused = await env.client.send(`/v1/ats/${ATS}/submissions/${PERIOD}`, {
      method: 'PUT',
      token: tokens.get('opA'),
      headers: { 'idempotency-key': newKey() },
      body: submission,
    });
    expect(refused.status).toBe(422);
    const blocking = (refused.json() as { findings: Array<{ rule: string; severity: string }> }).findings;
    expect(t15(blocking)).toEqual([expect.objectContaining({ severity: 'error' })]);

    // Back to the default: the same submission is stored, with no T1.5.
    expect((await put('05', 'revA', {}, String(version++))).status).toBe(200);
    const stored = await env.client.send(`/v1/ats/${ATS}/submissions/${PERIOD}`, {
      method: 'PUT',
      token: tokens.get('opA'),
      headers: { 'idempotency-key': newKey() },
      body: submission,
    });
    expect(stored.status, stored.text).toBe(201);
  });
});

describe('segregation of duties through the stack', () => {
  it('refuses, with a 403 and an audit entry, a review by the user who submitted the version', async () => {
    const both = await env.stack.token({
      sub: 'doppio',
      groups: ['ats-operator', 'region-reviewer'],
      ats: 'ATS-05-009',
      region: '05',
    });
    await registerTestAts(env, 'ATS-05-009');
    const submitted = await env.client.send(`/v1/ats/ATS-05-009/submissions/${PERIOD}`, {
      method: 'PUT',
      token: both,
      headers: { 'idempotency-key': newKey() },
      body: JSON.stringify(submissionFor('ATS-05-009')),
    });
    expect(submitted.status, submitted.text).toBe(201);
    const review = await env.client.send(`/v1/ats/ATS-05-009/submissions/${PERIOD}/review`, {
      method: 'POST',
      token: both,
      body: JSON.stringify({ decision: 'approve', comment: null, version: 1 }),
    });
    expect(review.status).toBe(403);
    expect(errorBodySchema.parse(review.json()).error).toMatchObject({
      code: 'SEGREGATION_OF_DUTIES',
      message: expect.stringMatching(/inviata da sé stessi/),
    });
    const audit = await env.client.send('/v1/ats/ATS-05-009/audit', { token: tokens.get('revA') });
    const events = (audit.json() as { events: Array<{ what: string; who: string }> }).events;
    expect(events.map((event) => [event.what, event.who])).toEqual([
      ['SUBMIT', 'doppio'],
      ['REVIEW_REFUSED', 'doppio'],
    ]);
    const byOther = await env.client.send(`/v1/ats/ATS-05-009/submissions/${PERIOD}/review`, {
      method: 'POST',
      token: tokens.get('revA'),
      body: JSON.stringify({ decision: 'approve', comment: null, version: 1 }),
    });
    expect(byOther.status).toBe(200);
  });
});
