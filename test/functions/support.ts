import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type LocalStack, startLocalStack } from '../../functions/local/stack.ts';
import type { Submission, SubmissionRow } from '../../shared/contract/submission.ts';
import { ATS, staff, validSubmission } from '../support/builders.ts';
import { type HttpClient, type HttpResponse, httpClient } from './http-client.ts';

export const BELLUNO_COMUNI = ['025001', '025003', '025004', '025006'];
export const PERIOD = '2025-12-31';

/**
 * Whether a response is the HTTP API JWT authorizer's own refusal, exactly as AWS documents it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html): 401 and
 * `{"message":"Unauthorized"}`, which HTTP APIs cannot customise. Never our contract's error: clients read its status.
 */
export function isAuthorizerRefusal(response: HttpResponse): boolean {
  return response.status === 401 && response.text === '{"message":"Unauthorized"}';
}

export interface TestStack {
  readonly stack: LocalStack;
  /** The API's origin (stack.apiUrl). */
  readonly client: HttpClient;
  /** The add-in's origin (stack.url): its files and the sign-in page. */
  readonly addinClient: HttpClient;
  readonly dataDir: string;
  readonly tokens: {
    readonly operator: string;
    readonly otherOperator: string;
    readonly reviewer: string;
    readonly otherReviewer: string;
    readonly admin: string;
  };
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** One local stack on free ports with a temporary data folder, plus tokens for each kind of caller. */
/** Registers an ATS of the four Belluno comuni in Region 05, as its reviewer would, so it may submit. */
export async function registerTestAts(env: TestStack, ats: string = ATS, name = 'Ambito di prova'): Promise<void> {
  const registered = await env.client.send(`/v1/regions/05/ats/${ats}`, {
    method: 'PUT',
    token: env.tokens.reviewer,
    body: JSON.stringify({ name, comuni: BELLUNO_COMUNI }),
  });
  expect(registered.status).toBe(201);
}

export async function startTestStack(options: { dataDir?: string; seed?: boolean } = {}): Promise<TestStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rendiconta-functions-'));
  const stack = await startLocalStack({ port: 0, dataDir, seed: options.seed ?? false, quiet: true });
  const client = httpClient(stack.apiUrl, stack.caCertPath);
  const addinClient = httpClient(stack.url, stack.caCertPath);
  const tokens = {
    operator: await stack.token({ sub: 'op-1', groups: ['ats-operator'], ats: ATS }),
    otherOperator: await stack.token({ sub: 'op-2', groups: ['ats-operator'], ats: 'ATS-05-002' }),
    reviewer: await stack.token({ sub: 'rev-05', groups: ['region-reviewer'], region: '05' }),
    otherReviewer: await stack.token({ sub: 'rev-06', groups: ['region-reviewer'], region: '06' }),
    admin: await stack.token({ sub: 'admin-1', groups: ['national-admin'] }),
  };
  return {
    stack,
    client,
    addinClient,
    dataDir,
    tokens,
    async close({ keepData = false } = {}) {
      client.close();
      addinClient.close();
      await stack.stop();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The builders' valid submission moved to another ATS code (same comuni) and, optionally, with a comment. */
export function submissionFor(ats: string = ATS, envelope: Partial<Submission> = {}): Submission {
  const base = validSubmission();
  const sheets = Object.fromEntries(
    Object.entries(base.sheets).map(([sheet, rows]) => [
      sheet,
      (rows ?? []).map((row) => ({ ...row, COD_ATS: ats }) as SubmissionRow),
    ]),
  ) as Submission['sheets'];
  return { ...base, ats, sheets, ...envelope };
}

/**
 * A valid submission of about `bytes` of JSON: extra non-AS staff rows, which change no total that is checked. Their
 * pseudonymous ids are hash-like, so the body does not compress below DynamoDB's item limit and takes the chunked path.
 */
export function largeSubmission(bytes: number): Submission {
  const base = validSubmission();
  const rows = [...(base.sheets.T3 ?? [])];
  let size = JSON.stringify(base).length;
  for (let index = 0; size < bytes - 400; index++) {
    const id = createHash('sha256').update(String(index)).digest('hex').slice(0, 48);
    const row = staff(`ED-${id}`, { PROFILO: 'EDUCATORE', TIPO_RAPPORTO: 'TD' }) as SubmissionRow;
    size += JSON.stringify(row).length + 1;
    rows.push(row);
  }
  return { ...base, sheets: { ...base.sheets, T3: rows } };
}

/**
 * A valid submission of about `bytes` of JSON whose text is quote-heavy: each extra staff row's id carries 60 `"`
 * (written `\"` in JSON), so escaping the JSON into Lambda's result grows it by about 35% instead of our usual 12.6%.
 */
export function quoteHeavySubmission(bytes: number, quotesPerRow = 60): Submission {
  const base = validSubmission();
  const rows = [...(base.sheets.T3 ?? [])];
  let size = JSON.stringify(base).length;
  for (let index = 0; size < bytes - 700; index++) {
    const id = createHash('sha256').update(String(index)).digest('hex').slice(0, 12);
    const row = staff(`ED-${id}-${'"'.repeat(quotesPerRow)}`, {
      PROFILO: 'EDUCATORE',
      TIPO_RAPPORTO: 'TD',
    }) as SubmissionRow;
    size += JSON.stringify(row).length + 1;
    rows.push(row);
  }
  return { ...base, sheets: { ...base.sheets, T3: rows } };
}

let keyCounter = 0;
export const newKey = (): string => `test-key-${process.pid}-${Date.now()}-${++keyCounter}`;
