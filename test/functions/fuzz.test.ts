import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
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
      { numRuns: 450 },
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

/*
 * The hostile classes of issue #17 (contract v1.1, "Request body"): each is a 400 (415 for a content type) with an
 * Italian message that names the path, on every route that takes a body or a page token, PUT answers as validate
 * does, and nothing stored changes.
 */

/** A placeholder replaced in the JSON text by the raw hostile fragment (JSON.stringify cannot write 1e309). */
const HOLE = '__OSTILE__';

interface Hostile {
  readonly kind: string;
  /** Raw JSON text that takes the place of a value. */
  readonly fragment: string;
}

const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  fc
    .constantFrom('1e309', '-1e400', '1E+999', '-9e99999', '9'.repeat(400))
    .map((fragment) => ({ kind: 'number', fragment })),
  fc
    .tuple(fc.string({ maxLength: 8, unit: 'grapheme-ascii' }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.boolean())
    .map(([text, unit, escaped]) => ({
      kind: 'surrogate',
      fragment: escaped
        ? `${JSON.stringify(text).slice(0, -1)}\\u${unit.toString(16)}"`
        : JSON.stringify(`${text}${String.fromCharCode(unit)}`),
    })),
  fc
    .string({ maxLength: 8, unit: 'grapheme-ascii' })
    .map((text) => ({ kind: 'nul', fragment: JSON.stringify(`${text}\u0000${text}`) })),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(1, 40, 100_000), fc.boolean()).map(([, depth, asArray]) => ({
    kind: 'nesting',
    fragment: asArray ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  })),
);

/** A key the submission cannot carry in a row: JavaScript's own names, and names the template does not have. */
const strayKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'NOTE_LIBERE'),
  fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme-ascii' }).filter((key) => !/^[A-Z_]+$/.test(key)),
);

interface HostileBody {
  readonly kind: string;
  readonly text: string;
  /** The path the answer must name, when the class has one. */
  readonly path?: string;
  /** A text the message or the issues must contain (an unknown member's name). */
  readonly names?: string;
}

/** A valid submission with one hostile value, member or key placed at a random spot. */
const hostileSubmission: fc.Arbitrary<HostileBody> = fc.oneof(
  fc.tuple(hostileValue, fc.constantFrom('cell', 'comment', 'member')).map(([hostile, where]): HostileBody => {
    const submission = submissionFor() as unknown as Record<string, unknown> & {
      sheets: { T1: Array<Record<string, unknown>> };
    };
    let path: string;
    if (where === 'cell') {
      (submission.sheets.T1[0] as Record<string, unknown>).POP_RIF = HOLE;
      path = 'sheets.T1.0.POP_RIF';
    } else if (where === 'comment') {
      submission.comment = HOLE;
      path = 'comment';
    } else {
      submission.template = HOLE;
      path = 'template';
    }
    const text = JSON.stringify(submission).replace(`"${HOLE}"`, () => hostile.fragment);
    // A nested value's path goes one level deeper than where it sits; depth is reported at the root.
    return { kind: hostile.kind, text, ...(hostile.kind === 'nesting' ? {} : { path }) };
  }),
  fc
    .string({ minLength: 1, maxLength: 20, unit: 'grapheme-ascii' })
    .filter((key) => !['template', 'templateVersion', 'ats', 'period', 'sheets', 'comment'].includes(key))
    .map((key): HostileBody => {
      const text = JSON.stringify(submissionFor()).replace(/^\{/, () => `{${JSON.stringify(key)}:{"x":1},`);
      return key === '__proto__'
        ? { kind: 'member', text, path: '__proto__' }
        : { kind: 'member', text, names: key.slice(0, 60) };
    }),
  fc.tuple(strayKey, fc.constantFrom('T1', 'T3', 'T5'), fc.boolean()).map(([key, sheet, nested]): HostileBody => {
    const submission = submissionFor();
    const rows = (submission.sheets as Record<string, Array<Record<string, unknown>>>)[sheet] ?? [];
    if (rows.length === 0) rows.push({ COD_ATS: 'ATS-05-001' });
    (submission.sheets as Record<string, unknown>)[sheet] = rows;
    // Written into the text, so `__proto__` arrives as JSON.parse makes it: an own member holding nested JSON.
    // A replacement function: a key such as "$&" must not be read as a replacement pattern.
    const text = JSON.stringify(submission).replace(
      `"${sheet}":[{`,
      () => `"${sheet}":[{${JSON.stringify(key)}:${nested ? '{"isAdmin":true}' : '"x"'},`,
    );
    // Nested JSON in a row is one level deeper than any submission: refused at the root before its key is read.
    return { kind: 'row key', text, ...(nested ? {} : { path: `sheets.${sheet}.0.${key}` }) };
  }),
);

/** The same classes in the small bodies of review and registration. */
const hostileSmallBody: fc.Arbitrary<{ route: 'review' | 'region'; body: HostileBody }> = fc
  .tuple(fc.oneof(hostileValue, fc.constant({ kind: 'member', fragment: '' })), fc.constantFrom('review', 'region'))
  .map(([hostile, route]) => {
    const valid =
      route === 'review'
        ? { decision: 'reject', version: 1, comment: HOLE }
        : { name: HOLE, comuni: BELLUNO_COMUNI, enteGestoreCf: '00000000000' };
    const field = route === 'review' ? 'comment' : 'name';
    if (hostile.kind === 'member') {
      const text = JSON.stringify({ ...valid, [field]: 'x', constructor: { prototype: {} } });
      return { route, body: { kind: 'member', text, names: 'constructor' } };
    }
    const text = JSON.stringify(valid).replace(`"${HOLE}"`, () => hostile.fragment);
    return { route, body: { kind: hostile.kind, text, ...(hostile.kind === 'nesting' ? {} : { path: field }) } };
  });

/** Words any of this API's Italian messages has; an English or empty message has none. */
const ITALIAN = /\b(non|il|la|di|del|della|da|usare|indicare|valore|parametro|colonna|chiavi|testo|numero)\b/i;

function expectHostileRefused(response: HttpResponse, body: HostileBody, what: string): void {
  expectContractResponse(response, what);
  expect(response.status, `${what}: ${response.text.slice(0, 300)}`).toBe(400);
  expect(response.text, what).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  const { error } = errorBodySchema.parse(JSON.parse(response.text));
  expect(error.message, what).toMatch(ITALIAN);
  const issues = error.issues ?? [];
  if (body.path !== undefined) {
    expect(
      issues.map((issue) => issue.path),
      `${what}: ${response.text.slice(0, 300)}`,
    ).toContain(body.path);
  }
  if (body.names !== undefined) {
    const said = [error.message, ...issues.map((issue) => issue.message)].join(' ');
    expect(said, `${what}: ${response.text.slice(0, 300)}`).toContain(body.names);
  }
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Page tokens nobody handed out: crafted store keys, other Regions' and ATS's tokens, extra members, plain junk. */
const craftedToken = fc.oneof(
  fc.constantFrom(
    base64url({ PK: 'AUDIT#ATS-05-001', SK: '' }),
    base64url({ PK: 'AUDIT#ATS-05-001', SK: 'E#2025', GSI1PK: 'x' }),
    base64url({ PK: 'AUDIT#ATS-05-001', SK: 'E#2025', PK2: 'AUDIT#ATS-05-001' }),
    base64url({ PK: 'AUDIT#ATS-05-002', SK: 'E#2025-01-01T00:00:00.000Z#x' }),
    base64url({ PK: 'AUDIT#ATS-05-001', SK: 'E#\u0000' }),
    base64url({ PK: 'AUDIT#ATS-05-001', SK: { S: 'E#1' } }),
    base64url({ PK: 'AUDIT#ATS-05-001', SK: `E#${'x'.repeat(2000)}` }),
    base64url([{ PK: 'AUDIT#ATS-05-001', SK: 'E#1' }]),
    base64url({ r: '05', p: PERIOD, f: 'ATS-06-001' }),
    base64url({ r: '06', p: PERIOD, f: 'ATS-06-001' }),
    base64url({ r: '05', p: PERIOD, f: 'ATS-05-001', extra: 1 }),
    base64url({ r: '05', p: '2024-12-31', f: 'ATS-05-001' }),
    base64url({ a: 'ATS-05-001', p: PERIOD, b: 1 }),
    base64url({ a: 'ATS-05-002', p: PERIOD, b: 5 }),
    base64url({ a: 'ATS-05-001', p: PERIOD, b: 5, c: 0 }),
    Buffer.from(`{"a":"ATS-05-001","p":"${PERIOD}","b":1e309}`, 'utf8').toString('base64url'),
    'null',
    'e30',
    '%00',
    '____',
  ),
  fc.string({ minLength: 1, maxLength: 80 }).map((text) => Buffer.from(text, 'utf8').toString('base64url')),
  fc.jsonValue({ maxDepth: 2 }).map(base64url),
);

/** Everything a reader can see of what is stored: the submission, its versions, the audit trail, the Region. */
async function storedState(): Promise<string> {
  const paths = [
    `/v1/ats/ATS-05-001/submissions/${PERIOD}`,
    `/v1/ats/ATS-05-001/submissions/${PERIOD}/document`,
    '/v1/ats/ATS-05-001/audit?limit=1000',
    '/v1/regions/05/ats',
    `/v1/regions/05/consolidated?period=${PERIOD}`,
  ];
  const answers = [];
  for (const path of paths) {
    const response = await env.client.send(path, { token: tokens.admin });
    answers.push(`${path} ${response.status} ${response.text}`);
  }
  return answers.join('\n');
}

describe('hostile input (issue #17): a 400 naming the path on every route, and nothing stored changes', () => {
  let before = '';

  beforeAll(async () => {
    // Something stored to protect: a version of the period, with its audit events.
    const stored = await env.client.send(`/v1/ats/ATS-05-001/submissions/${PERIOD}`, {
      method: 'PUT',
      token: tokens.operator,
      headers: { 'idempotency-key': 'ostile-base-0001' },
      body: JSON.stringify(submissionFor('ATS-05-001', { comment: 'versione di riferimento' })),
    });
    expect([201, 409]).toContain(stored.status);
    before = await storedState();
  });

  it('refuses every hostile submission on validate and on PUT alike', async () => {
    await fc.assert(
      fc.asyncProperty(hostileSubmission, fc.nat(), async (body, key) => {
        const what = `${body.kind}: ${body.text.slice(0, 160)}`;
        const validate = await env.client.send('/v1/validate', {
          method: 'POST',
          token: tokens.operator,
          body: body.text,
        });
        expectHostileRefused(validate, body, `validate ${what}`);
        const put = await env.client.send(`/v1/ats/ATS-05-001/submissions/${PERIOD}`, {
          method: 'PUT',
          token: tokens.operator,
          headers: { 'idempotency-key': `ostile-${key}-${body.kind.length}`, 'if-match': '1' },
          body: body.text,
        });
        expectHostileRefused(put, body, `PUT ${what}`);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses the same classes in review and registration bodies', async () => {
    await fc.assert(
      fc.asyncProperty(hostileSmallBody, async ({ route, body }) => {
        const response =
          route === 'review'
            ? await env.client.send(`/v1/ats/ATS-05-001/submissions/${PERIOD}/review`, {
                method: 'POST',
                token: tokens.reviewer,
                body: body.text,
              })
            : await env.client.send('/v1/regions/05/ats/ATS-05-001', {
                method: 'PUT',
                token: tokens.admin,
                body: body.text,
              });
        expectHostileRefused(response, body, `${route} ${body.kind}: ${body.text.slice(0, 160)}`);
      }),
      { numRuns: 80 },
    );
  });

  it('refuses unsupported content types with a 415 on every route that takes a body', async () => {
    const contentType = fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/jsonx',
      'application/xml',
    );
    await fc.assert(
      fc.asyncProperty(contentType, fc.nat(3), async (type, index) => {
        const routes = [
          ['POST', '/v1/validate', tokens.operator],
          ['PUT', `/v1/ats/ATS-05-001/submissions/${PERIOD}`, tokens.operator],
          ['POST', `/v1/ats/ATS-05-001/submissions/${PERIOD}/review`, tokens.reviewer],
          ['PUT', '/v1/regions/05/ats/ATS-05-001', tokens.admin],
        ] as const;
        const [method, path, token] = routes[index] ?? routes[0];
        const response = await env.client.send(path, {
          method,
          token,
          headers: { 'content-type': type, 'idempotency-key': 'ostile-tipo-0001' },
          body: JSON.stringify(submissionFor()),
        });
        expectContractResponse(response, `${method} ${path} ${type}`);
        expect(response.status, `${method} ${path} ${type}`).toBe(415);
      }),
      { numRuns: 24 },
    );
  });

  it('refuses crafted and foreign page tokens with a 400 on the audit, the history and the consolidated view', async () => {
    await fc.assert(
      fc.asyncProperty(craftedToken, fc.nat(2), async (token, index) => {
        const query = encodeURIComponent(token);
        const path = [
          `/v1/ats/ATS-05-001/audit?nextToken=${query}`,
          `/v1/ats/ATS-05-001/submissions/${PERIOD}?historyPageToken=${query}`,
          `/v1/regions/05/consolidated?period=${PERIOD}&pageToken=${query}`,
        ][index] as string;
        const response = await env.client.send(path, { token: tokens.admin });
        const parameter = ['nextToken', 'historyPageToken', 'pageToken'][index] as string;
        expectHostileRefused(response, { kind: 'token', text: token, path: parameter }, `GET ${path}`);
      }),
      { numRuns: 120 },
    );
  });

  it('changed nothing that is stored', async () => {
    expect(await storedState()).toBe(before);
  });

  it('gives receipts any RFC 8785 library reproduces, for text in every script and escaped pairs', async () => {
    const text = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' });
    await fc.assert(
      fc.asyncProperty(text, text, async (name, comment) => {
        const submission = submissionFor('ATS-05-001', { comment: `modifica: ${comment}` });
        (submission.sheets.T1?.[0] as Record<string, unknown>).DENOMINAZIONE_ATS = name;
        const body = JSON.stringify(submission).replace(/\u00e8/g, '\\u00e8');
        const current = await env.client.send(`/v1/ats/ATS-05-001/submissions/${PERIOD}`, { token: tokens.operator });
        const version =
          current.status === 200 ? (current.json() as { receipt: { version: number } }).receipt.version : 0;
        const response = await env.client.send(`/v1/ats/ATS-05-001/submissions/${PERIOD}`, {
          method: 'PUT',
          token: tokens.operator,
          headers: {
            'idempotency-key': `ricevuta-${createHash('sha256').update(body).digest('hex').slice(0, 32)}`,
            'if-match': String(version),
          },
          body,
        });
        expect([201, 422], response.text.slice(0, 300)).toContain(response.status);
        if (response.status !== 201) return;
        const { receipt } = response.json() as { receipt: { sha256: string } };
        const standard = canonicalize(JSON.parse(body)) ?? '';
        expect(receipt.sha256).toBe(createHash('sha256').update(standard, 'utf8').digest('hex'));
      }),
      { numRuns: 12 },
    );
  });
});
