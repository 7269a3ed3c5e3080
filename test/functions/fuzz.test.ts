import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../shared/contract/api.ts';
import type { HttpResponse, RequestOptions } from './http-client.ts';
import {
  BELLUNO_COMUNI,
  isAuthorizerRefusal,
  PERIOD,
  startTestStack,
  submissionFor,
  type TestStack,
} from './support.ts';

/**
 * Thousands of odd bodies, headers and paths over real HTTPS: never a 5xx, and every refusal is the contract's error
 * JSON with an Italian message.
 */

let env: TestStack;
let requests = 0;

/** English that would betray a default message leaking through (zod's, Node's, the SDK's). */
const ENGLISH =
  /\b(Invalid input|Expected|expected|Unexpected|Unrecognized|Required|undefined|null is not|Cannot|Error:|at \w+ \()/;

function expectContractResponse(response: HttpResponse, what: string): void {
  requests++;
  expect(response.status, `${what} → ${response.status} ${response.text.slice(0, 300)}`).toBeLessThan(500);
  // The one answer that is not ours: the JWT authorizer's refusal, exactly as AWS documents it (support.ts).
  if (isAuthorizerRefusal(response)) return;
  if (response.status >= 400) {
    const parsed = errorBodySchema.safeParse(JSON.parse(response.text));
    expect(parsed.success, `${what}: ${response.text.slice(0, 300)}`).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data.error.message, what).not.toMatch(ENGLISH);
    for (const issue of parsed.data.error.issues ?? []) expect(issue.message, what).not.toMatch(ENGLISH);
  }
}

async function send(path: string, options: RequestOptions, what: string): Promise<void> {
  expectContractResponse(await env.client.send(path, options), what);
}

const tokens: Record<string, string> = {};

beforeAll(async () => {
  env = await startTestStack();
  tokens.operator = await env.stack.token({ sub: 'op', groups: ['ats-operator'], ats: 'ATS-05-001' });
  tokens.admin = await env.stack.token({ sub: 'admin', groups: ['national-admin'] });
  tokens.reviewer = await env.stack.token({ sub: 'rev', groups: ['region-reviewer'], region: '05' });
  await env.client.send('/v1/regions/05/ats/ATS-05-001', {
    method: 'PUT',
    token: tokens.admin,
    body: JSON.stringify({ name: 'Ambito di prova', comuni: BELLUNO_COMUNI }),
  });
});

afterAll(async () => {
  await env?.close();
  expect(requests).toBeGreaterThan(2000);
});

/** A valid submission with one cell, one row or one envelope field replaced by an arbitrary JSON value. */
const mutatedSubmission = fc
  .record({
    sheet: fc.constantFrom('T1', 'T2', 'T3', 'T4', 'T5', 'T6'),
    row: fc.nat(12),
    column: fc.oneof(
      fc.constantFrom(
        'COD_ATS',
        'ANNO_RIF',
        'POPOLAZIONE_RESIDENTE',
        'ORE_SETT',
        'DATA_INIZIO',
        'IMPORTO_IMPEGNATO',
        'FONDO',
        'VALORE',
      ),
      fc.string(),
    ),
    value: fc.jsonValue({ maxDepth: 2 }),
    envelope: fc.option(
      fc.record({
        key: fc.constantFrom('template', 'templateVersion', 'ats', 'period', 'sheets', 'comment'),
        value: fc.jsonValue({ maxDepth: 2 }),
      }),
      { nil: undefined },
    ),
  })
  .map(({ sheet, row, column, value, envelope }) => {
    const submission = submissionFor() as unknown as Record<string, unknown> & {
      sheets: Record<string, Array<Record<string, unknown>>>;
    };
    const rows = submission.sheets[sheet] ?? [];
    const target = rows[row % Math.max(rows.length, 1)];
    if (target) target[column] = value;
    else submission.sheets[sheet] = [value as Record<string, unknown>];
    if (envelope) (submission as Record<string, unknown>)[envelope.key] = envelope.value;
    return JSON.stringify(submission);
  });

const rawBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constantFrom(
    '',
    '{',
    '[]',
    'null',
    '"x"',
    '{"sheets":{}}',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
  ),
);

describe('fuzzed bodies', () => {
  it('validate answers every body with 200 or a contract 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(rawBody, mutatedSubmission), async (body) => {
        await send('/v1/validate', { method: 'POST', token: tokens.operator, body }, `validate ${body.slice(0, 120)}`);
      }),
      { numRuns: 700 },
    );
  });

  it('PUT answers every body with 201 or a contract 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(rawBody, mutatedSubmission),
        fc.string({ minLength: 8, maxLength: 40, unit: fc.constantFrom(...'abcdef0123456789-'.split('')) }),
        async (body, key) => {
          await send(
            `/v1/ats/ATS-05-001/submissions/${PERIOD}`,
            { method: 'PUT', token: tokens.operator, headers: { 'idempotency-key': key }, body },
            `put ${body.slice(0, 120)}`,
          );
        },
      ),
      { numRuns: 350 },
    );
  });

  it('review and region registration answer every body with a contract status', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (body) => {
        await send(
          `/v1/ats/ATS-05-001/submissions/${PERIOD}/review`,
          { method: 'POST', token: tokens.reviewer, body },
          `review ${body}`,
        );
        await send('/v1/regions/05/ats/ATS-05-009', { method: 'PUT', token: tokens.reviewer, body }, `region ${body}`);
        await send('/dev/token', { method: 'POST', body }, `token ${body}`);
      }),
      { numRuns: 200 },
    );
  });
});

const segment = fc.oneof(
  fc.string({ maxLength: 20 }).map((text) => encodeURIComponent(text)),
  fc.constantFrom(
    'ATS-05-001',
    'ATS-99-999',
    '2025-12-31',
    '2025-08-31',
    '05',
    '..',
    '%2e%2e',
    '%',
    '%zz',
    'ATS-05-001%00',
    '',
    'LEPS-ATS',
  ),
);
const PATH_TEMPLATES = [
  (a: string, b: string) => `/v1/ats/${a}/submissions/${b}`,
  (a: string, b: string) => `/v1/ats/${a}/submissions/${b}/review`,
  (a: string) => `/v1/ats/${a}/audit`,
  (a: string, b: string) => `/v1/regions/${a}/ats/${b}`,
  (a: string) => `/v1/regions/${a}/ats`,
  (a: string, b: string) => `/v1/regions/${a}/consolidated?period=${b}`,
  (a: string, b: string) => `/v1/templates/${a}/${b}`,
  (a: string, b: string) => `/v1/${a}/${b}`,
  (a: string) => `/v1/ats/ATS-05-001/audit?limit=${a}&nextToken=${a}`,
  (a: string) => `/v1/ats/ATS-05-001/submissions/${PERIOD}?version=${a}`,
  (a: string) => `/${a}`,
];

describe('fuzzed paths and headers', () => {
  it('answers every path with a contract status', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(PATH_TEMPLATES.length - 1),
        segment,
        segment,
        fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'PATCH'),
        async (index, first, second, method) => {
          const template = PATH_TEMPLATES[index] ?? PATH_TEMPLATES[0];
          if (!template) return;
          const path = template(first, second);
          const response = await env.client.send(path, {
            method,
            token: tokens.admin,
            ...(method === 'GET' ? {} : { body: '{}' }),
          });
          // Every path, /v1 or not (`/v1/../x` is normalised to `/x`): the $default route answers what no route takes.
          expectContractResponse(response, `${method} ${path}`);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('answers every combination of odd headers with a contract status', async () => {
    const headerValue = fc.oneof(
      fc.string({ maxLength: 60 }).map((text) => text.replace(/[^\x20-\x7e]/g, '')),
      fc.constantFrom('', '*', 'W/"1"', '"abc"', '1', '999999999999', 'Bearer', 'Bearer x.y.z'),
    );
    await fc.assert(
      fc.asyncProperty(
        headerValue,
        headerValue,
        headerValue,
        headerValue,
        async (key, ifMatch, authorization, clientVersion) => {
          const body = JSON.stringify(submissionFor('ATS-05-001', { comment: 'prova' }));
          const response = await env.client.send(`/v1/ats/ATS-05-001/submissions/${PERIOD}`, {
            method: 'PUT',
            body,
            headers: {
              'idempotency-key': key,
              'if-match': ifMatch,
              'x-client-version': clientVersion,
              authorization: authorization.startsWith('Bearer') ? authorization : `Bearer ${tokens.operator}`,
            },
          });
          expectContractResponse(response, `headers ${key} ${ifMatch} ${authorization}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
