import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoreUnavailable } from '../../functions/lib/store-faults.ts';
import { type LocalStack, startLocalStack } from '../../functions/local/stack.ts';
import { errorBodySchema, healthResponseSchema } from '../../shared/contract/api.ts';
import { type HttpClient, httpClient } from './http-client.ts';
import { newKey, PERIOD, submissionFor } from './support.ts';

/**
 * DynamoDB Local dying under a running stack: every data route answers 503 in Italian with Retry-After, health says the
 * store is down, and both recover once the stack has started DynamoDB Local again.
 */

/** Long enough to see the outage before the stack brings the store back. */
const RESTART_DELAY_MS = 4000;

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the store going down under a running stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-outage-'));
  let stack: LocalStack | undefined;
  let client: HttpClient | undefined;
  let reviewer = '';
  let operator = '';

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      dataDir,
      seed: false,
      quiet: true,
      storeRestartDelayMs: RESTART_DELAY_MS,
    });
    client = httpClient(stack.apiUrl, stack.caCertPath);
    reviewer = await stack.token({ sub: 'rev-05', groups: ['region-reviewer'], region: '05' });
    operator = await stack.token({ sub: 'op-1', groups: ['ats-operator'], ats: 'ATS-05-001' });
  });

  afterAll(async () => {
    client?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After on data routes and in health, then recovers', async () => {
    if (!stack || !client) throw new Error('not started');
    const api = client;
    const health = async () => {
      const response = await api.send('/v1/health');
      return { response, body: healthResponseSchema.parse(response.json()) };
    };
    const list = () => api.send('/v1/regions/05/ats', { token: reviewer });

    expect((await health()).body).toEqual({ status: 'ok', version: 'v1', store: 'ok' });
    expect((await list()).status).toBe(200);

    const javaPid = stack.dynamoDbLocalPid ?? 0;
    process.kill(javaPid, 'SIGKILL');
    expect(await waitUntil(() => !isRunning(javaPid), 10_000)).toBe(true);

    const read = await list();
    expect(read.status).toBe(503);
    expect(read.headers['retry-after']).toBe('5');
    const readError = errorBodySchema.parse(read.json()).error;
    expect(readError.code).toBe('STORE_UNAVAILABLE');
    expect(readError.message).toMatch(/archivio dei dati non è raggiungibile/);
    expect(read.text).not.toMatch(/ECONNREFUSED|Error:|at /);
    const write = await api.send(`/v1/ats/ATS-05-001/submissions/${PERIOD}`, {
      method: 'PUT',
      token: operator,
      headers: { 'idempotency-key': newKey() },
      body: JSON.stringify(submissionFor('ATS-05-001')),
    });
    expect(write.status).toBe(503);
    expect(write.headers['retry-after']).toBe('5');

    let down: Awaited<ReturnType<typeof health>> | undefined;
    expect(
      await waitUntil(async () => {
        down = await health();
        return down.response.status === 503;
      }, RESTART_DELAY_MS),
    ).toBe(true);
    expect(down?.body).toEqual({ status: 'unavailable', version: 'v1', store: 'unavailable' });
    expect(down?.response.headers['retry-after']).toBe('5');

    expect(await waitUntil(async () => (await health()).response.status === 200, 120_000)).toBe(true);
    expect((await list()).status).toBe(200);
    expect(stack.dynamoDbLocalPid).not.toBe(javaPid);
    expect(isRunning(stack.dynamoDbLocalPid ?? 0)).toBe(true);
  }, 180_000);
});

describe('which failures mean the store is unavailable', () => {
  it('counts refused connections, timeouts, throttling and DynamoDB 5xx, and nothing the request caused', () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code });
    const named = (name: string, httpStatusCode: number) =>
      Object.assign(new Error('x'), { name, $metadata: { httpStatusCode } });
    expect(isStoreUnavailable(withCode('ECONNREFUSED'))).toBe(true);
    expect(isStoreUnavailable(withCode('ECONNRESET'))).toBe(true);
    expect(isStoreUnavailable(named('TimeoutError', 0))).toBe(true);
    expect(isStoreUnavailable(named('ProvisionedThroughputExceededException', 400))).toBe(true);
    expect(isStoreUnavailable(named('InternalServerError', 500))).toBe(true);
    expect(isStoreUnavailable(named('ConditionalCheckFailedException', 400))).toBe(false);
    expect(isStoreUnavailable(named('ValidationException', 400))).toBe(false);
    expect(isStoreUnavailable(new RangeError('Invalid string length'))).toBe(false);
    expect(isStoreUnavailable('ECONNREFUSED')).toBe(false);
  });
});
