import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import {
  consolidatedResponseSchema,
  devTokenResponseSchema,
  errorBodySchema,
  getSubmissionResponseSchema,
  listRegionAtsResponseSchema,
  putSubmissionResponseSchema,
} from '../../shared/contract/api.ts';
import { submissionSha256 } from '../../shared/contract/canonical.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { newKey, PERIOD, startTestStack, submissionFor, type TestStack } from './support.ts';

/** The local stack itself: seeded demo data, the dev token route, static files, and data surviving a restart. */

const dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-restart-'));
let env: TestStack | undefined;

afterAll(async () => {
  await env?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the local stack', () => {
  let submittedSha = '';
  const demoAts = syntheticRegion('05', loadComuni());

  // In a hook, whose time limit allows for a first start that seeds the demo Region on a busy machine.
  beforeAll(async () => {
    env = await startTestStack({ dataDir, seed: true });
  });

  it('starts with the demo Region seeded, a certificate and a signing key under the data folder', async () => {
    if (!env) throw new Error('stack not started');
    expect(existsSync(env.stack.caCertPath)).toBe(true);
    expect(env.stack.caCertPath.startsWith(dataDir)).toBe(true);
    // DynamoDB Local's SQLite file in write-ahead-log mode: bytes 18 and 19 of its header are 2.
    const header = readFileSync(join(dataDir, 'dynamodb', 'shared-local-instance.db')).subarray(18, 20);
    expect([...header]).toEqual([2, 2]);
    const list = listRegionAtsResponseSchema.parse(
      (await env.client.send('/v1/regions/05/ats', { token: env.tokens.reviewer })).json(),
    );
    expect(list.ats.map((entry) => entry.ats)).toEqual(demoAts.map((entry) => entry.ats));
    // Synthetic returns for the demo Region, except the demo operator's ATS, left for a first submission.
    const consolidated = consolidatedResponseSchema.parse(
      (await env.client.send(`/v1/regions/05/consolidated?period=${PERIOD}`, { token: env.tokens.reviewer })).json(),
    );
    expect(consolidated.missing).toContain('ATS-05-001');
    expect(consolidated.ats.filter((entry) => entry.submitted).length).toBeGreaterThan(demoAts.length / 2);
  });

  it('issues tokens on POST /dev/token that the API accepts, and refuses odd requests in Italian', async () => {
    if (!env) throw new Error('stack not started');
    const response = await env.client.send('/dev/token', {
      method: 'POST',
      body: JSON.stringify({ sub: 'revisore-demo', groups: ['region-reviewer'], region: '05' }),
    });
    expect(response.status).toBe(200);
    const { token } = devTokenResponseSchema.parse(response.json());
    expect((await env.client.send('/v1/regions/05/ats', { token })).status).toBe(200);
    const bad = await env.client.send('/dev/token', {
      method: 'POST',
      body: JSON.stringify({ sub: 'x', groups: ['ats-operator'] }),
    });
    expect(bad.status).toBe(400);
    expect(errorBodySchema.parse(bad.json()).error.message).toMatch(/Ambito/);
  });

  it('serves the add-in page (or its placeholder) and office.js on the add-in origin, the API on the next port', async () => {
    if (!env) throw new Error('stack not started');
    const page = await env.addinClient.send('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const office = await env.addinClient.send('/office-js/office.js');
    expect(office.status).toBe(200);
    expect(office.headers['content-type']).toContain('javascript');
    const traversal = await env.addinClient.send('/office-js/..%2f..%2f..%2fpackage.json');
    expect(traversal.status).toBe(404);
    // Two origins, as CloudFront and API Gateway are: neither answers for the other.
    expect(Number(new URL(env.stack.apiUrl).port)).toBe(Number(new URL(env.stack.url).port) + 1);
    expect((await env.addinClient.send('/v1/health')).status).toBe(404);
    expect((await env.client.send('/taskpane.html')).status).toBe(404);
    expect((await env.client.send('/v1/health')).status).toBe(200);
  });

  it('keeps every submission across a restart (the seed does not run twice)', async () => {
    if (!env) throw new Error('stack not started');
    const ats = demoAts[0]?.ats ?? 'ATS-05-001';
    const registration = demoAts[0];
    if (!registration) throw new Error('no demo ATS');
    // The demo ATS's registered comuni differ from the builders' four: register the four so T2.7 agrees.
    await env.client.send(`/v1/regions/05/ats/${ats}`, {
      method: 'PUT',
      token: env.tokens.admin,
      body: JSON.stringify({ name: registration.name, comuni: ['025001', '025003', '025004', '025006'] }),
    });
    const submission = submissionFor(ats);
    const stored = await env.client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, {
      method: 'PUT',
      token: env.tokens.operator,
      headers: { 'idempotency-key': newKey() },
      body: JSON.stringify(submission),
    });
    expect(stored.status).toBe(201);
    submittedSha = putSubmissionResponseSchema.parse(stored.json()).receipt.sha256;
    expect(submittedSha).toBe(await submissionSha256(submission));

    await env.close({ keepData: true });
    env = await startTestStack({ dataDir, seed: true });

    const read = await env.client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, { token: env.tokens.reviewer });
    expect(read.status).toBe(200);
    const body = getSubmissionResponseSchema.parse(read.json());
    expect(body.receipt.sha256).toBe(submittedSha);
    expect(await submissionSha256(body.submission)).toBe(submittedSha);
    const list = listRegionAtsResponseSchema.parse(
      (await env.client.send('/v1/regions/05/ats', { token: env.tokens.reviewer })).json(),
    );
    expect(list.ats).toHaveLength(demoAts.length);
    expect(list.ats.find((entry) => entry.ats === ats)?.comuni).toEqual(['025001', '025003', '025004', '025006']);
    // A stop and a second start of DynamoDB Local: seconds each on a busy 2-core machine.
  }, 120_000);
});
