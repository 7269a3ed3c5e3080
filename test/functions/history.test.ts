import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbRequestCounts, resetDynamoDbRequestCounts } from '../../functions/store/request-meter.ts';
import { getSubmissionResponseSchema } from '../../shared/contract/api.ts';
import { ATS } from '../support/builders.ts';
import { newKey, PERIOD, startTestStack, submissionFor, type TestStack } from './support.ts';

/**
 * GET submission in a constant number of DynamoDB requests whatever the number of versions, and the version history
 * paged (v1.1 addition): newest `historyLimit` versions, oldest first within a page, `historyNextToken` for older ones.
 */

let env: TestStack;
const OTHER = 'ATS-05-002';
const path = (ats: string) => `/v1/ats/${ats}/submissions/${PERIOD}`;

async function put(ats: string, token: string, version: number): Promise<void> {
  const response = await env.client.send(path(ats), {
    method: 'PUT',
    token,
    headers: { 'idempotency-key': newKey(), ...(version > 1 ? { 'if-match': String(version - 1) } : {}) },
    body: JSON.stringify(submissionFor(ats, version > 1 ? { comment: `Correzione numero ${version}` } : {})),
  });
  expect(response.status).toBe(201);
}

async function review(version: number, decision: 'approve' | 'reject'): Promise<void> {
  const response = await env.client.send(`${path(ATS)}/review`, {
    method: 'POST',
    token: env.tokens.reviewer,
    body: JSON.stringify({ decision, version, comment: decision === 'reject' ? 'Dati da rivedere' : null }),
  });
  expect(response.status).toBe(200);
}

/** The GET's DynamoDB requests (its function threads report them to this process). */
async function counted(url: string, token: string) {
  resetDynamoDbRequestCounts();
  const response = await env.client.send(url, { token });
  const total = Object.values(dynamoDbRequestCounts()).reduce((sum, count) => sum + count, 0);
  return { response, total };
}

beforeAll(async () => {
  env = await startTestStack();
  await put(ATS, env.tokens.operator, 1);
  await review(1, 'approve');
  await put(ATS, env.tokens.operator, 2);
  await review(2, 'reject');
  for (const version of [3, 4, 5]) await put(ATS, env.tokens.operator, version);
  await put(OTHER, env.tokens.otherOperator, 1);
}, 300_000);

afterAll(async () => {
  await env?.close();
});

describe('GET submission and its history', () => {
  it('pages the history newest first, with each version’s status', async () => {
    const seen: Array<[number, string]> = [];
    let token: string | null | undefined;
    let pages = 0;
    do {
      const query = `?historyLimit=2${token ? `&historyPageToken=${encodeURIComponent(token)}` : ''}`;
      const response = await env.client.send(`${path(ATS)}${query}`, { token: env.tokens.operator });
      expect(response.status).toBe(200);
      const body = getSubmissionResponseSchema.parse(response.json());
      expect(body.currentVersion).toBe(5);
      expect(body.versions.length).toBeLessThanOrEqual(2);
      // Within a page, oldest first as in v1; the pages go from the newest back.
      seen.unshift(...body.versions.map((entry): [number, string] => [entry.version, entry.status]));
      token = body.historyNextToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual([
      [1, 'APPROVED'],
      [2, 'REJECTED'],
      [3, 'SUBMITTED'],
      [4, 'SUBMITTED'],
      [5, 'SUBMITTED'],
    ]);
    const all = getSubmissionResponseSchema.parse(
      (await env.client.send(path(ATS), { token: env.tokens.operator })).json(),
    );
    expect(all.versions.map((entry) => entry.version)).toEqual([1, 2, 3, 4, 5]);
    expect(all.historyNextToken).toBeNull();
  });

  it('costs the same DynamoDB requests at 1 and at 5 versions', async () => {
    const one = await counted(path(OTHER), env.tokens.otherOperator);
    const five = await counted(path(ATS), env.tokens.operator);
    expect(one.response.status).toBe(200);
    expect(five.response.status).toBe(200);
    expect(five.total).toBe(one.total);
    expect(five.total).toBe(2);
    // An older version: one more Query, still independent of the history's length.
    const older = await counted(`${path(ATS)}?version=2`, env.tokens.operator);
    expect(getSubmissionResponseSchema.parse(older.response.json()).status).toBe('REJECTED');
    expect(older.total).toBe(3);
  });

  it('refuses a malformed or foreign history token and a bad limit with an Italian 400', async () => {
    const foreign = Buffer.from(JSON.stringify({ a: OTHER, p: PERIOD, b: 3 })).toString('base64url');
    const otherPeriod = Buffer.from(JSON.stringify({ a: ATS, p: '2024-12-31', b: 3 })).toString('base64url');
    for (const query of [
      'historyPageToken=rubbish',
      `historyPageToken=${foreign}`,
      `historyPageToken=${otherPeriod}`,
      'historyLimit=0',
      'historyLimit=abc',
    ]) {
      const response = await env.client.send(`${path(ATS)}?${query}`, { token: env.tokens.operator });
      expect(response.status).toBe(400);
      expect((response.json() as { error: { message: string } }).error.message).toMatch(/non valido/);
    }
  });
});
