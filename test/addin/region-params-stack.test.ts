import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCheck } from '../../addin/app/checks.ts';
import { fetchRegionParameters, regionParamsForLocalChecks } from '../../addin/app/region-params.ts';
import { fetchRegionParametersApi } from '../../addin/regional/parameters-api.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import type { HttpClient } from '../functions/http-client.ts';
import { startTestStack, type TestStack } from '../functions/support.ts';
import { validSubmission } from '../support/builders.ts';

/**
 * The add-in's calls for the Region's parameters against the local stack: the regional panel reads and saves them
 * (If-Match, the server's Italian refusals), and the task pane's local checks then find what the server finds.
 */

let env: TestStack;

/** The webview's fetch, carried over the test's HTTPS client (which trusts the stack's own CA). */
function stackFetch(client: HttpClient): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = init?.body;
    const answer = await client.send(`${url.pathname}${url.search}`, {
      method: init?.method ?? 'GET',
      headers,
      ...(typeof body === 'string' ? { body } : body instanceof Uint8Array ? { body: Buffer.from(body) } : {}),
    });
    return new Response(answer.body.length > 0 ? new Uint8Array(answer.body) : null, {
      status: answer.status,
      headers: { 'content-type': String(answer.headers['content-type'] ?? 'application/json') },
    });
  }) as typeof fetch;
}

beforeAll(async () => {
  env = await startTestStack();
}, 180_000);

afterAll(async () => {
  await env?.close();
});

describe('the add-in and the Region’s parameters, through the stack', () => {
  it('the panel saves them with If-Match, the server refuses bad ones in Italian, and the local checks use them', async () => {
    const fetch = stackFetch(env.client);
    const panel = fetchRegionParametersApi({ baseUrl: env.stack.apiUrl, token: () => env.tokens.reviewer, fetch });
    const first = await panel.get('05');
    expect(first).toMatchObject({ ok: true, body: { version: 0, parameters: {} } });

    const saved = await panel.put('05', { udpMinFte: 5 }, 0);
    expect(saved).toMatchObject({ ok: true, body: { version: 1, parameters: { udpMinFte: 5 } } });
    const stale = await panel.put('05', { udpMinFte: 6 }, 0);
    expect(stale).toMatchObject({ ok: false, message: expect.stringMatching(/versione 1/) });
    const bad = await panel.put('05', { udpMinFte: -1 }, 1);
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/non validi/) });
    if (!bad.ok) expect(bad.details?.[0]).toMatch(/^parameters\.udpMinFte: Valore troppo basso/);

    const operatorFetch = fetchRegionParameters({ baseUrl: env.stack.apiUrl, token: () => env.tokens.operator, fetch });
    const storage = new Map<string, string>();
    const inUse = await regionParamsForLocalChecks('05', operatorFetch, {
      getItem: (key) => storage.get(key) ?? null,
      setItem: (key, value) => void storage.set(key, value),
    });
    expect(inUse).toMatchObject({ source: 'region', version: 1 });
    const t15 = localCheck(
      validSubmission(),
      loadComuni(),
      new Date('2026-01-25T10:00:00Z'),
      inUse.params,
    ).findings.filter((finding) => finding.rule === 'T1.5');
    expect(t15).toEqual([expect.objectContaining({ severity: 'warning', column: 'UDP_FTE_TOT' })]);

    // An operator of another Region may not read them: the local checks say the defaults are used, and why.
    const stranger = fetchRegionParameters({ baseUrl: env.stack.apiUrl, token: () => env.tokens.otherOperator, fetch });
    const refused = await regionParamsForLocalChecks('06', stranger, { getItem: () => null, setItem: () => {} });
    expect(refused.source).toBe('defaults');
  });
});
