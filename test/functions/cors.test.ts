import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../addin/app/api.ts';
import { fetchRegionalApi } from '../../addin/regional/api.ts';
import { apiRequest } from '../../cli/api.ts';
import { API_CORS } from '../../shared/contract/cors.ts';
import { largeSubmission, startTestStack, type TestStack } from './support.ts';

/**
 * CORS as the HTTP API applies it, from the one definition the CDK stack deploys: the local API origin answers
 * preflights and decorates responses as API Gateway does, and every header any client sends is one it allows.
 */

let env: TestStack;

beforeAll(async () => {
  env = await startTestStack();
}, 120_000);

afterAll(async () => {
  await env?.close();
});

const ALL_CLIENT_HEADERS = 'authorization,content-type,content-encoding,idempotency-key,if-match,x-client-version';

function preflight(path: string, headers: Record<string, string>) {
  return env.client.send(path, { method: 'OPTIONS', headers });
}

describe('the local API origin answers as the HTTP API’s CORS configuration would', () => {
  it('answers a preflight from the add-in origin itself, on any path, with the configured lists', async () => {
    for (const path of ['/v1/ats/ATS-05-001/submissions/2025-12-31', '/v1/nowhere', '/dev/token']) {
      const response = await preflight(path, {
        origin: env.stack.url,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': ALL_CLIENT_HEADERS.toUpperCase(),
      });
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(env.stack.url);
      expect(response.headers['access-control-allow-methods']).toBe(API_CORS.allowMethods.join(','));
      expect(response.headers['access-control-allow-headers']).toBe(API_CORS.allowHeaders.join(','));
      expect(response.headers['access-control-max-age']).toBe(String(API_CORS.maxAgeSeconds));
    }
  });

  it('gives no CORS headers to another origin, a header or a method outside the definition', async () => {
    const refused: Record<string, string>[] = [
      { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      { origin: env.stack.url, 'access-control-request-method': 'DELETE' },
      {
        origin: env.stack.url,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-unknown',
      },
    ];
    for (const headers of refused) {
      const response = await preflight('/v1/validate', headers);
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-allow-headers']).toBeUndefined();
    }
  });

  it("treats OPTIONS without Access-Control-Request-Method as an ordinary request (the $default route's)", async () => {
    const response = await env.client.send('/v1/health', { method: 'OPTIONS', headers: { origin: env.stack.url } });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET');
    const unknown = await env.client.send('/v1/nowhere', { method: 'OPTIONS', headers: { origin: env.stack.url } });
    expect(unknown.status).toBe(404);
  });

  it('adds Allow-Origin and Expose-Headers to responses for the add-in origin only, errors included', async () => {
    const allowed = await env.client.send('/v1/health', { headers: { origin: env.stack.url } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(env.stack.url);
    expect(allowed.headers['access-control-expose-headers']).toBe(API_CORS.exposeHeaders.join(','));
    const unauthorized = await env.client.send('/v1/templates', { headers: { origin: env.stack.url } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['access-control-allow-origin']).toBe(env.stack.url);
    const other = await env.client.send('/v1/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const none = await env.client.send('/v1/health');
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });
});

/** A fetch that records the header names of every request and answers with an empty JSON object. */
function recordingFetch(names: Set<string>): typeof fetch {
  return (async (_input: RequestInfo | URL, init?: RequestInit) => {
    for (const name of new Headers(init?.headers).keys()) names.add(name.toLowerCase());
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

function expectAllowed(names: Set<string>, mustInclude: readonly string[]): void {
  expect([...names]).toEqual(expect.arrayContaining([...mustInclude]));
  expect([...names].filter((name) => !API_CORS.allowHeaders.includes(name))).toEqual([]);
}

describe('every header a client sends is one the definition allows', () => {
  // Large enough to be gzipped, so Content-Encoding is among the headers checked.
  const submission = largeSubmission(200_000);

  it('the task pane’s client and its outbox (which sends through it)', async () => {
    const names = new Set<string>();
    const api = new ApiClient({
      baseUrl: 'https://api.example',
      token: () => 'token',
      clientVersion: 'addin-1.0.0',
      fetch: recordingFetch(names),
    });
    await api.validate(submission);
    await api.currentVersion(submission.ats, submission.period);
    await api.putSubmission(submission, 'chiave-di-prova-1', 3);
    expectAllowed(names, [
      'accept',
      'authorization',
      'content-type',
      'content-encoding',
      'idempotency-key',
      'if-match',
      'x-client-version',
    ]);
  });

  it('the regional panel’s client', async () => {
    const names = new Set<string>();
    const api = fetchRegionalApi({
      baseUrl: 'https://api.example',
      token: () => 'token',
      clientVersion: 'addin-1.0.0',
      fetch: recordingFetch(names),
    });
    await api.consolidated('05', '2025-12-31');
    await api.review('ATS-05-001', '2025-12-31', { decision: 'approve', version: 1 } as never);
    await api.listAts('05');
    await api.putAts('05', 'ATS-05-001', { name: 'Ambito', comuni: ['025001'] } as never);
    expectAllowed(names, ['authorization', 'content-type', 'x-client-version']);
  });

  it('the command line', async () => {
    const names = new Set<string>();
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(recordingFetch(names));
    try {
      const options = { base: 'https://api.example', token: 'token', attempts: 1 };
      await apiRequest(options, 'GET', '/v1/templates', { repeatable: true });
      await apiRequest(options, 'PUT', '/v1/ats/ATS-05-001/submissions/2025-12-31', {
        body: submission,
        headers: { 'idempotency-key': 'chiave-di-prova-2', 'if-match': '1' },
        repeatable: true,
      });
    } finally {
      spy.mockRestore();
    }
    expectAllowed(names, ['authorization', 'content-type', 'content-encoding', 'idempotency-key', 'if-match']);
  });
});
