import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../addin/app/api.ts';
import { fetchRegionalApi } from '../../addin/regional/api.ts';
import { cliTransport } from '../../cli/api.ts';
import { matchRoute } from '../../functions/lib/route-match.ts';
import { PATH_ROUTES } from '../../functions/routes.ts';
import {
  type ApiTransport,
  type CallInput,
  createApiClient,
  type TransportRequest,
} from '../../shared/client/client.ts';
import { ENDPOINTS } from '../../shared/client/endpoints.ts';
import { API_CORS } from '../../shared/contract/cors.ts';
import { API_ROUTES, ROUTE_IDS, type RouteId, routePath } from '../../shared/contract/routes.ts';
import { validSubmission } from '../support/builders.ts';

/**
 * The one API client: every route of the table reachable by id with the path the server routes back to the same
 * route and parameters, every header it sends allowed by the shared CORS definition, and failures read as the
 * contract says (401 by status, the error body's Italian message, a body that does not match refused).
 */

const recording = (answer: { status: number; json: unknown }, requests: TransportRequest[]): ApiTransport => {
  return async (request) => {
    requests.push(request);
    return { kind: 'answered', ...answer };
  };
};

/** A value for each `{name}` of a path, awkward on purpose: it must travel as one segment. */
const awkwardParams = (path: string): Record<string, string> =>
  Object.fromEntries([...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, `${name} /?&%é`]));

describe('the route table', () => {
  it('is the server’s: every path route of functions/routes.ts, same id, method and path, and nothing else', () => {
    expect(PATH_ROUTES.map(({ id, method, path, authorized }) => ({ id, method, path, authorized }))).toEqual(
      ROUTE_IDS.map((id) => ({ id, ...API_ROUTES[id] })),
    );
  });

  it('has an endpoint (schemas, query names) for every route and none for a route it lacks', () => {
    expect(Object.keys(ENDPOINTS).sort()).toEqual([...ROUTE_IDS].sort());
  });

  it('builds paths the server routes back to the same route and decoded parameters', () => {
    for (const id of ROUTE_IDS) {
      const params = awkwardParams(API_ROUTES[id].path);
      const path = routePath(id, params);
      const match = matchRoute(API_ROUTES[id].method, path);
      expect(match?.route.id, path).toBe(id);
      expect(match?.parameters).toEqual(params);
    }
  });

  it('puts only defined query values in the query string, encoded', () => {
    expect(routePath('consolidated', { region: '05' }, { period: '2025-12-31', pageToken: undefined })).toBe(
      '/v1/regions/05/consolidated?period=2025-12-31',
    );
    expect(routePath('getAudit', { ats: 'ATS-05-001' }, { nextToken: 'a+b/c' })).toBe(
      '/v1/ats/ATS-05-001/audit?nextToken=a%2Bb%2Fc',
    );
  });
});

describe('the client', () => {
  it('sends each route’s method to its path, with only headers the CORS definition allows', async () => {
    const requests: TransportRequest[] = [];
    const client = createApiClient({
      baseUrl: 'https://api.example/',
      token: () => 'token',
      clientVersion: 'addin-1.0.0',
      transport: recording({ status: 500, json: null }, requests),
    });
    for (const id of ROUTE_IDS) {
      const input = {
        params: awkwardParams(API_ROUTES[id].path),
        body: API_ROUTES[id].method === 'GET' ? undefined : {},
        headers: { 'idempotency-key': 'chiave-1234567890', 'if-match': '3' },
      } as unknown as CallInput<RouteId>;
      await client.call(id, input);
    }
    expect(requests.map((request) => request.method)).toEqual(ROUTE_IDS.map((id) => API_ROUTES[id].method));
    expect(requests.map((request) => request.url)).toEqual(
      ROUTE_IDS.map((id) => `https://api.example${routePath(id, awkwardParams(API_ROUTES[id].path))}`),
    );
    const names = new Set(requests.flatMap((request) => Object.keys(request.headers)));
    expect([...names].sort()).toEqual(
      ['accept', 'authorization', 'idempotency-key', 'if-match', 'x-client-version'].sort(),
    );
    expect([...names].filter((name) => !API_CORS.allowHeaders.includes(name))).toEqual([]);
  });

  it('parses a success with the route’s schema and refuses a body that does not match', async () => {
    const requests: TransportRequest[] = [];
    const good = createApiClient({
      baseUrl: '',
      token: () => undefined,
      transport: recording({ status: 200, json: { templates: [] } }, requests),
    });
    expect(await good.call('listTemplates', {})).toEqual({
      kind: 'ok',
      status: 200,
      body: { templates: [] },
    });
    expect(requests[0]?.headers.authorization).toBeUndefined();
    const bad = createApiClient({
      baseUrl: '',
      token: () => 'token',
      transport: recording({ status: 200, json: { templates: 'tutti' } }, []),
    });
    expect(await bad.call('listTemplates', {})).toMatchObject({ kind: 'error', code: 'UNEXPECTED_BODY' });
  });

  it('reads a 401 by its status, an error by the contract’s body, a gateway’s 502–504 as not reached', async () => {
    const answer = (status: number, json: unknown) =>
      createApiClient({ baseUrl: '', token: () => 't', transport: recording({ status, json }, []) }).call(
        'listTemplates',
        {},
      );
    expect(await answer(401, { message: 'Unauthorized' })).toMatchObject({ kind: 'unauthorized', status: 401 });
    const error = { error: { code: 'FORBIDDEN', message: 'Operazione non consentita.' } };
    expect(await answer(403, error)).toEqual({
      kind: 'error',
      status: 403,
      code: 'FORBIDDEN',
      message: 'Operazione non consentita.',
      body: error,
    });
    expect(await answer(503, { message: 'Service Unavailable' })).toMatchObject({ kind: 'offline', status: 503 });
    expect(await answer(418, 'teiera')).toMatchObject({ kind: 'error', code: 'HTTP', status: 418 });
    const unreachable = createApiClient({
      baseUrl: '',
      token: () => 't',
      transport: async () => ({ kind: 'unreachable' }),
    });
    expect(await unreachable.call('listTemplates', {})).toMatchObject({ kind: 'offline', status: 0 });
  });

  it('fetches only API paths by link', async () => {
    const client = createApiClient({
      baseUrl: '',
      token: () => 't',
      transport: recording({ status: 200, json: 1 }, []),
    });
    await expect(client.getLink('https://evil.example/x')).rejects.toThrow();
    expect(await client.getLink('/v1/ats/A/submissions/P/document?version=2')).toMatchObject({ kind: 'ok', body: 1 });
  });
});

/** A fetch that records the header names of every request and answers with an empty JSON object. */
function recordingFetch(names: Set<string>): typeof fetch {
  return (async (_input: RequestInfo | URL, init?: RequestInit) => {
    for (const name of new Headers(init?.headers).keys()) names.add(name.toLowerCase());
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('every channel goes through it', () => {
  it('the task pane, the regional panel and the command line send only allowed headers', async () => {
    const names = new Set<string>();
    const submission = validSubmission();
    const pane = new ApiClient({
      baseUrl: 'https://api.example',
      token: () => 't',
      clientVersion: 'addin-1',
      fetch: recordingFetch(names),
    });
    await pane.putSubmission(submission, 'chiave-1234567890', 2);
    const panel = fetchRegionalApi({
      baseUrl: 'https://api.example',
      token: () => 't',
      clientVersion: 'addin-1',
      fetch: recordingFetch(names),
    });
    await panel.review('ATS-05-001', '2025-12-31', { decision: 'approve', version: 1 });
    expect([...names].filter((name) => !API_CORS.allowHeaders.includes(name))).toEqual([]);
    expect([...names]).toEqual(expect.arrayContaining(['idempotency-key', 'if-match', 'x-client-version']));
  });

  it('the command line refuses a body over 5 MB before sending it, in Italian', async () => {
    const transport = cliTransport({ base: 'https://127.0.0.1:1' });
    const answer = await transport({
      method: 'POST',
      url: 'https://127.0.0.1:1/v1/validate',
      headers: {},
      json: { text: 'x'.repeat(5 * 1024 * 1024 + 1) },
    });
    expect(answer).toMatchObject({ kind: 'too-large' });
    if (answer.kind === 'too-large') expect(answer.message).toMatch(/limite è di 5 MB/);
  });
});
