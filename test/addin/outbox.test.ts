import { describe, expect, it } from 'vitest';
import { ApiClient, SESSION_EXPIRED } from '../../addin/app/api.ts';
import { memoryOutbox, Outbox } from '../../addin/app/outbox.ts';
import { authorizeUrl, s256Challenge } from '../../addin/app/pkce.ts';
import { validSubmission } from '../support/builders.ts';

/** The outbox against a scripted server: same Idempotency-Key on every retry, nothing dropped silently. */

interface Call {
  method: string;
  url: string;
  key: string | null;
  ifMatch: string | null;
}

function scriptedApi(answers: Array<() => Response>): { api: ApiClient; calls: Call[] } {
  const calls: Call[] = [];
  const fake: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    calls.push({
      method: init?.method ?? 'GET',
      url: String(input),
      key: headers.get('idempotency-key'),
      ifMatch: headers.get('if-match'),
    });
    const next = answers.shift();
    if (!next) throw new TypeError('network down');
    return next();
  };
  return { api: new ApiClient({ baseUrl: 'https://api.example', token: () => 't', fetch: fake }), calls };
}

const receipt = {
  ats: 'ATS-05-001',
  period: '2025-12-31',
  template: 'LEPS-ATS',
  templateVersion: '2025.1',
  version: 2,
  sha256: 'a'.repeat(64),
  receivedAt: '2026-01-25T10:00:00Z',
  status: 'SUBMITTED',
  findings: [],
};
const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const down = () => {
  throw new TypeError('network down');
};

describe('the outbox', () => {
  it('retries with the same Idempotency-Key until the receipt arrives', async () => {
    const outbox = new Outbox(memoryOutbox(), () => 'key-0001-abcd');
    outbox.enqueue(validSubmission(), 'unknown');
    const { api, calls } = scriptedApi([
      down,
      json(200, {
        receipt,
        status: 'SUBMITTED',
        findings: [],
        current: true,
        currentVersion: 1,
        review: null,
        versions: [],
        submission: {},
      }),
      down,
      json(201, { receipt }),
    ]);
    expect((await outbox.flush(api)).map((event) => event.kind)).toEqual(['waiting']);
    expect(outbox.entries()).toHaveLength(1);
    expect((await outbox.flush(api)).map((event) => event.kind)).toEqual(['waiting']);
    expect(outbox.entries()[0]?.attempts).toBe(2);
    const events = await outbox.flush(api);
    expect(events.map((event) => event.kind)).toEqual(['stored']);
    expect(outbox.entries()).toEqual([]);
    const puts = calls.filter((call) => call.method === 'PUT');
    expect(puts.map((call) => call.key)).toEqual(['key-0001-abcd', 'key-0001-abcd']);
    expect(puts.every((call) => call.ifMatch === '1')).toBe(true);
  });

  it('keeps a refused submission, visible with the server’s message, until the user dismisses it', async () => {
    const outbox = new Outbox(memoryOutbox(), () => 'key-0002-abcd');
    outbox.enqueue(validSubmission(), null);
    const { api } = scriptedApi([
      json(422, { error: { code: 'VALIDATION_FAILED', message: 'Errori bloccanti.' }, findings: [] }),
    ]);
    const events = await outbox.flush(api);
    expect(events[0]?.kind).toBe('refused');
    expect(outbox.entries()[0]).toMatchObject({ state: 'rejected', message: 'Errori bloccanti.' });
    expect(outbox.dismiss('key-0002-abcd')).toBe(true);
    expect(outbox.entries()).toEqual([]);
  });

  it("keeps the submission pending, with an Italian message, when API Gateway's JWT authorizer answers 401", async () => {
    const outbox = new Outbox(memoryOutbox(), () => 'key-0004-abcd');
    outbox.enqueue(validSubmission(), null);
    // Exactly what the HTTP API's authorizer sends in AWS (and the local stack): not the contract's error JSON.
    const { api } = scriptedApi([json(401, { message: 'Unauthorized' })]);
    const events = await outbox.flush(api);
    expect(events).toEqual([{ kind: 'waiting', message: SESSION_EXPIRED }]);
    expect(outbox.entries()[0]).toMatchObject({ state: 'pending', attempts: 1, message: SESSION_EXPIRED });
    expect(SESSION_EXPIRED).not.toMatch(/Unauthorized/);
  });

  it('never lets a pending submission be dismissed', () => {
    const outbox = new Outbox(memoryOutbox(), () => 'key-0003-abcd');
    outbox.enqueue(validSubmission(), null);
    expect(outbox.dismiss('key-0003-abcd')).toBe(false);
    expect(outbox.entries()).toHaveLength(1);
  });
});

describe('PKCE for Cognito’s hosted UI', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('asks for an authorization code with the challenge', () => {
    const url = new URL(
      authorizeUrl({
        domain: 'https://leps.auth.eu-south-1.amazoncognito.com',
        clientId: 'client',
        redirectUri: 'https://addin.example/auth/login.html',
        scopes: ['openid', 'email'],
        state: 'xyz',
        challenge: 'abc',
      }),
    );
    expect(url.pathname).toBe('/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      code_challenge_method: 'S256',
      code_challenge: 'abc',
      scope: 'openid email',
    });
  });
});
