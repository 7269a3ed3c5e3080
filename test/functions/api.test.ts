import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbClient, tableName } from '../../functions/store/client.ts';
import { dynamoDbRequestCounts, resetDynamoDbRequestCounts } from '../../functions/store/request-meter.ts';
import { followConsolidatedPages } from '../../shared/consolidation/pages.ts';
import {
  auditResponseSchema,
  type ConsolidatedResponse,
  consolidatedResponseSchema,
  errorBodySchema,
  getSubmissionResponseSchema,
  getTemplateResponseSchema,
  listRegionAtsResponseSchema,
  listTemplatesResponseSchema,
  putSubmissionResponseSchema,
  reviewResponseSchema,
  validateResponseSchema,
} from '../../shared/contract/api.ts';
import { canonicalJson, sha256Hex, submissionSha256 } from '../../shared/contract/canonical.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { ATS, validSubmission, withRow } from '../support/builders.ts';
import type { HttpResponse, RequestOptions } from './http-client.ts';
import {
  BELLUNO_COMUNI,
  isAuthorizerRefusal,
  largeSubmission,
  newKey,
  PERIOD,
  startTestStack,
  submissionFor,
  type TestStack,
} from './support.ts';

let env: TestStack;
const path = (ats = ATS, period = PERIOD) => `/v1/ats/${ats}/submissions/${period}`;

async function send(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  return env.client.send(url, options);
}

function expectError(response: HttpResponse, status: number, code?: string) {
  expect(response.status).toBe(status);
  const body = errorBodySchema.parse(response.json());
  if (code) expect(body.error.code).toBe(code);
  // Italian, for a person: never an English default or a stack trace.
  expect(body.error.message).not.toMatch(/\bat .*\.ts:\d+|Error:|undefined|Invalid input/);
  return body;
}

const operators = new Map<string, string>();
async function operatorOf(ats: string): Promise<string> {
  const known = operators.get(ats);
  if (known) return known;
  const token = await env.stack.token({ sub: `op-${ats}`, groups: ['ats-operator'], ats });
  operators.set(ats, token);
  return token;
}

async function put(body: unknown, options: { key?: string; ifMatch?: string; ats?: string; period?: string } = {}) {
  return send(path(options.ats, options.period), {
    method: 'PUT',
    token: await operatorOf(options.ats ?? ATS),
    headers: {
      'idempotency-key': options.key ?? newKey(),
      'x-client-version': 'test/1.0.0',
      ...(options.ifMatch ? { 'if-match': options.ifMatch } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function register(ats: string, comuni = BELLUNO_COMUNI, token = env.tokens.reviewer) {
  return send(`/v1/regions/${ats.slice(4, 6)}/ats/${ats}`, {
    method: 'PUT',
    token,
    body: JSON.stringify({ name: `Ambito di prova ${ats}`, comuni }),
  });
}

beforeAll(async () => {
  env = await startTestStack();
  const response = await register(ATS);
  expect(response.status).toBe(201);
});

afterAll(async () => {
  await env?.close();
});

describe('health, templates', () => {
  it('answers health without a token', async () => {
    const response = await send('/v1/health');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', version: 'v1', store: 'ok' });
  });

  it('lists the published templates and serves one with its JSON Schema', async () => {
    const list = listTemplatesResponseSchema.parse(
      (await send('/v1/templates', { token: env.tokens.operator })).json(),
    );
    expect(list.templates).toContainEqual(expect.objectContaining({ id: LEPS_ATS.id, version: LEPS_ATS.version }));
    const one = await send(`/v1/templates/${LEPS_ATS.id}/${LEPS_ATS.version}`, { token: env.tokens.reviewer });
    expect(one.status).toBe(200);
    const body = getTemplateResponseSchema.parse(one.json());
    expect(body.template.id).toBe(LEPS_ATS.id);
    expect(body.jsonSchema.$id).toBe(`urn:rendiconta-leps:${LEPS_ATS.id}:${LEPS_ATS.version}`);
    expectError(await send(`/v1/templates/${LEPS_ATS.id}/0.0.0-nope`, { token: env.tokens.admin }), 404, 'NOT_FOUND');
  });

  it('serves the .xlsx of a template when built, 404 in Italian when not', async () => {
    const folder = join(env.dataDir, 'templates');
    process.env.TEMPLATE_XLSX_DIR = folder;
    try {
      const url = `/v1/templates/${LEPS_ATS.id}/${LEPS_ATS.version}.xlsx`;
      const missing = expectError(await send(url, { token: env.tokens.operator }), 404);
      expect(missing.error.message).toMatch(/non è disponibile/);
      mkdirSync(folder, { recursive: true });
      const bytes = Buffer.from('PK\u0003\u0004 finto xlsx di prova');
      writeFileSync(join(folder, `${LEPS_ATS.id}-${LEPS_ATS.version}.xlsx`), bytes);
      const found = await send(url, { token: env.tokens.operator });
      expect(found.status).toBe(200);
      expect(found.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(found.headers['content-disposition']).toContain(`${LEPS_ATS.id}-${LEPS_ATS.version}.xlsx`);
      expect(found.body.equals(bytes)).toBe(true);
    } finally {
      delete process.env.TEMPLATE_XLSX_DIR;
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("refuses a request without a valid token with the JWT authorizer's own 401, as AWS does", async () => {
    const missing = await send('/v1/templates');
    expect(isAuthorizerRefusal(missing), missing.text).toBe(true);
    expect(missing.headers['content-type']).toBe('application/json');
    const invalid = await send('/v1/templates', { headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(isAuthorizerRefusal(invalid), invalid.text).toBe(true);
    expect(invalid.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
    const forged = `${env.tokens.operator.slice(0, -4)}AAAA`;
    expect(isAuthorizerRefusal(await send('/v1/templates', { token: forged }))).toBe(true);
    // The identity source may be the token alone, without "Bearer " (http-api-jwt-authorizer.html).
    const bare = await send('/v1/templates', { headers: { authorization: env.tokens.operator } });
    expect(bare.status).toBe(200);
  });

  it("answers an unknown path with the contract's Italian 404 and a known path with another method with 405", async () => {
    expectError(await send('/v1/nowhere', { token: env.tokens.admin }), 404, 'NOT_FOUND');
    // The $default route has no authorizer: the same answer with or without a token.
    expectError(await send('/v1/nowhere'), 404, 'NOT_FOUND');
    expectError(await send('/ATS-05-001'), 404, 'NOT_FOUND');
    expectError(await send('/'), 404, 'NOT_FOUND');
    const wrongMethod = await send('/v1/templates', { method: 'DELETE', token: env.tokens.admin });
    expectError(wrongMethod, 405, 'METHOD_NOT_ALLOWED');
    expect(wrongMethod.headers.allow).toBe('GET');
    const submission = await send(path(ATS, PERIOD), { method: 'POST', body: '{}' });
    expectError(submission, 405, 'METHOD_NOT_ALLOWED');
    expect(submission.headers.allow).toBe('PUT, GET');
  });
});

describe('validate', () => {
  it('returns findings and summary and stores nothing', async () => {
    const response = await send('/v1/validate', {
      method: 'POST',
      token: env.tokens.operator,
      body: JSON.stringify(submissionFor(ATS, { period: '2026-08-31' })),
    });
    expect(response.status).toBe(200);
    const body = validateResponseSchema.parse(response.json());
    expect(body.summary.template).toBe(LEPS_ATS.id);
    const stored = await send(path(ATS, '2026-08-31'), { token: env.tokens.operator });
    expect(stored.status).toBe(404);
  });

  it('reports error findings with 200 (validate does not refuse), schema problems with 400', async () => {
    const bad = validSubmission({ T1: [{ ...validSubmission().sheets.T1?.[0], COD_ATS: 'ATS-05-999' }] });
    const response = await send('/v1/validate', {
      method: 'POST',
      token: env.tokens.operator,
      body: JSON.stringify(bad),
    });
    expect(response.status).toBe(200);
    expect(validateResponseSchema.parse(response.json()).summary.errors).toBeGreaterThan(0);
    const schema = expectError(
      await send('/v1/validate', { method: 'POST', token: env.tokens.operator, body: JSON.stringify({ ats: 'x' }) }),
      400,
      'SCHEMA',
    );
    expect(schema.error.issues?.length).toBeGreaterThan(0);
    expectError(
      await send('/v1/validate', { method: 'POST', token: env.tokens.operator, body: '{"no' }),
      400,
      'INVALID_JSON',
    );
  });

  it('refuses JSON over 5 MB whose event still fits Lambda with its own Italian 413', async () => {
    const huge = `{"x":"${'a'.repeat(5.5 * 1024 * 1024)}"}`;
    expectError(await send('/v1/validate', { method: 'POST', token: env.tokens.operator, body: huge }), 413);
  });
});

describe('submissions', () => {
  const ats = 'ATS-05-003';
  let firstSha = '';

  beforeAll(async () => {
    expect((await register(ats)).status).toBe(201);
  });

  it('stores a first version and returns a receipt whose sha256 anyone can recompute', async () => {
    const submission = submissionFor(ats);
    const response = await put(submission, { ats });
    expect(response.status).toBe(201);
    const { receipt } = putSubmissionResponseSchema.parse(response.json());
    expect(receipt).toMatchObject({ ats, period: PERIOD, version: 1, status: 'SUBMITTED', template: LEPS_ATS.id });
    firstSha = receipt.sha256;
    expect(receipt.sha256).toBe(await sha256Hex(canonicalJson(submission)));
    expect(response.headers.etag).toBe('"1"');
  });

  it('reads the current version back, hash-identical, with its history', async () => {
    const response = await send(path(ats), { token: env.tokens.reviewer });
    expect(response.status).toBe(200);
    const body = getSubmissionResponseSchema.parse(response.json());
    expect(body.receipt.sha256).toBe(firstSha);
    expect(await submissionSha256(body.submission)).toBe(firstSha);
    expect(body.versions.map((entry) => entry.version)).toEqual([1]);
    expect(body.current).toBe(true);
  });

  it('needs If-Match to replace (409), refuses a stale one (409) and a re-submission without a reason (422)', async () => {
    const again = submissionFor(ats, { comment: 'Correzione del personale' });
    const missing = expectError(await put(again, { ats }), 409, 'IF_MATCH_REQUIRED');
    expect(missing.error.message).toContain('If-Match: 1');
    expectError(await put(again, { ats, ifMatch: '7' }), 409, 'STALE_VERSION');
    const noReason = expectError(await put(submissionFor(ats), { ats, ifMatch: '1' }), 422, 'VALIDATION_FAILED');
    expect(noReason.findings?.some((finding) => finding.rule === 'S.4' && finding.severity === 'error')).toBe(true);
  });

  it('stores version 2 with If-Match and keeps version 1 readable and immutable', async () => {
    const again = submissionFor(ats, { comment: 'Correzione del personale' });
    const response = await put(again, { ats, ifMatch: '"1"' });
    expect(response.status).toBe(201);
    expect(putSubmissionResponseSchema.parse(response.json()).receipt.version).toBe(2);
    const old = getSubmissionResponseSchema.parse(
      (await send(`${path(ats)}?version=1`, { token: await operatorOf(ats) })).json(),
    );
    expect(old.current).toBe(false);
    expect(old.receipt.sha256).toBe(firstSha);
    expect(old.currentVersion).toBe(2);
    expect(old.versions.map((entry) => entry.version)).toEqual([1, 2]);
    expectError(await send(`${path(ats)}?version=9`, { token: await operatorOf(ats) }), 404);
    expectError(await send(`${path(ats)}?version=zero`, { token: await operatorOf(ats) }), 400);
  });

  it('refuses error findings with 422 and the findings, stores nothing', async () => {
    const bad = submissionFor(ats, { comment: 'prova' });
    const t1 = bad.sheets.T1 ?? [];
    const broken = { ...bad, sheets: { ...bad.sheets, T1: withRow(t1 as never, 1, { COD_ATS: 'ATS-05-999' }) } };
    const body = expectError(await put(broken, { ats, ifMatch: '2' }), 422, 'VALIDATION_FAILED');
    expect(body.findings?.some((finding) => finding.severity === 'error')).toBe(true);
    const current = getSubmissionResponseSchema.parse((await send(path(ats), { token: await operatorOf(ats) })).json());
    expect(current.currentVersion).toBe(2);
  });

  it('refuses a path that does not match the body, a bad path, a missing Idempotency-Key, with 400', async () => {
    expectError(await put(submissionFor(ATS), { ats }), 400, 'PATH_MISMATCH');
    expectError(await put(submissionFor(ats), { ats, period: '2025-06-30' }), 400);
    const noKey = await send(path(ats), {
      method: 'PUT',
      token: await operatorOf(ats),
      body: JSON.stringify(submissionFor(ats)),
    });
    expectError(noKey, 400);
    expectError(await put('not json', { ats }), 400, 'INVALID_JSON');
    expectError(await put(`{"x":"${'a'.repeat(5.5 * 1024 * 1024)}"}`, { ats }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await send('/v1/ats/ATS-5-1/submissions/2025-12-31', { token: env.tokens.admin }), 400);
    expectError(await send(path('ATS-05-777'), { token: env.tokens.admin }), 404);
  });

  it('replays an idempotent retry: same receipt, nothing new stored; another body with the key is refused', async () => {
    const key = newKey();
    const body = submissionFor(ats, { comment: 'Terzo invio' });
    const first = await put(body, { ats, ifMatch: '2', key });
    expect(first.status).toBe(201);
    const retry = await put(body, { ats, ifMatch: '2', key });
    expect(retry.status).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const current = getSubmissionResponseSchema.parse((await send(path(ats), { token: await operatorOf(ats) })).json());
    expect(current.versions.map((entry) => entry.version)).toEqual([1, 2, 3]);
    const reused = expectError(
      await put(submissionFor(ats, { comment: 'Altro contenuto' }), { ats, ifMatch: '3', key }),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(reused.error.message).toMatch(/Idempotency-Key/);
  });

  it('lets exactly one of two concurrent PUTs with the same If-Match win; the other gets 409', async () => {
    const left = submissionFor(ats, { comment: 'Invio concorrente A' });
    const right = submissionFor(ats, { comment: 'Invio concorrente B' });
    const [a, b] = await Promise.all([put(left, { ats, ifMatch: '3' }), put(right, { ats, ifMatch: '3' })]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const winner = a.status === 201 ? left : right;
    const loser = a.status === 201 ? right : left;
    const current = getSubmissionResponseSchema.parse((await send(path(ats), { token: await operatorOf(ats) })).json());
    expect(current.currentVersion).toBe(4);
    expect(current.receipt.sha256).toBe(await submissionSha256(winner));
    // The loser is not lost silently: it got a 409 and is nowhere in the history or the audit trail.
    const loserSha = await submissionSha256(loser);
    expect(current.versions.map((entry) => entry.sha256)).not.toContain(loserSha);
    const audit = auditResponseSchema.parse(
      (await send(`/v1/ats/${ats}/audit`, { token: await operatorOf(ats) })).json(),
    );
    expect(audit.events.filter((event) => event.version === 4)).toHaveLength(1);
    expect(audit.events.map((event) => event.sha256)).not.toContain(loserSha);
  });

  it('stores a 5 MB submission and reads it back byte-identical', async () => {
    const large = largeSubmission(5_000_000);
    const text = JSON.stringify(large);
    expect(text.length).toBeGreaterThan(4_900_000);
    const stored = await put(large, {});
    expect(stored.status).toBe(201);
    const { receipt } = putSubmissionResponseSchema.parse(stored.json());
    expect(receipt.sha256).toBe(await sha256Hex(canonicalJson(large)));
    const read = await send(path(ATS), { token: env.tokens.operator });
    expect(read.status).toBe(200);
    const body = getSubmissionResponseSchema.parse(read.json());
    expect(canonicalJson(body.submission)).toBe(canonicalJson(large));
    expect(await submissionSha256(body.submission)).toBe(receipt.sha256);
    // It did not fit in one item: the body went to content-addressed chunk items.
    const chunks = await dynamoDbClient().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'begins_with(PK, :blob)',
        ExpressionAttributeValues: { ':blob': 'BLOB#' },
      }),
    );
    expect(chunks.Items?.length).toBeGreaterThan(1);

    // Replacing it with a reason does not fetch its chunks back: only S.4 compares with it, and only without one.
    resetDynamoDbRequestCounts();
    const withReason = await put({ ...large, comment: 'Rettifica del personale' }, { ifMatch: '1' });
    expect(withReason.status).toBe(201);
    expect(dynamoDbRequestCounts().BatchGetItemCommand).toBe(1);
    resetDynamoDbRequestCounts();
    const noReason = expectError(await put(large, { ifMatch: '2' }), 422, 'VALIDATION_FAILED');
    const s4 = noReason.findings?.find((finding) => finding.rule === 'S.4');
    expect(s4?.message).toContain('Nessuna modifica');
    expect(dynamoDbRequestCounts().BatchGetItemCommand).toBe(2);
  });
});

describe('review and audit', () => {
  const ats = 'ATS-05-004';

  beforeAll(async () => {
    expect((await register(ats)).status).toBe(201);
    expect((await put(submissionFor(ats), { ats })).status).toBe(201);
  });

  const review = (body: unknown, token = env.tokens.reviewer) =>
    send(`${path(ats)}/review`, { method: 'POST', token, body: JSON.stringify(body) });

  it('needs a comment to reject, a current version (409), a valid body (400)', async () => {
    expectError(await review({ decision: 'reject', version: 1 }), 400);
    expectError(await review({ decision: 'maybe', version: 1 }), 400, 'SCHEMA');
    expectError(await review({ decision: 'approve', version: 2 }), 409, 'STALE_VERSION');
    expectError(
      await send(`${path('ATS-05-888')}/review`, {
        method: 'POST',
        token: env.tokens.reviewer,
        body: JSON.stringify({ decision: 'approve', version: 1 }),
      }),
      404,
    );
  });

  it('approves; a second review of the same version is a conflict; a new version needs approval again', async () => {
    const approved = await review({ decision: 'approve', comment: 'Tutto in ordine', version: 1 });
    expect(approved.status).toBe(200);
    expect(reviewResponseSchema.parse(approved.json()).receipt.status).toBe('APPROVED');
    expectError(await review({ decision: 'reject', comment: 'ripensamento', version: 1 }), 409, 'ALREADY_REVIEWED');
    const after = getSubmissionResponseSchema.parse((await send(path(ats), { token: await operatorOf(ats) })).json());
    expect(after.status).toBe('APPROVED');
    expect(after.review?.comment).toBe('Tutto in ordine');

    const second = await put(submissionFor(ats, { comment: 'Rettifica dopo approvazione' }), { ats, ifMatch: '1' });
    expect(putSubmissionResponseSchema.parse(second.json()).receipt.status).toBe('SUBMITTED');
    const rejected = await review({ decision: 'reject', comment: 'Manca il personale', version: 2 });
    expect(reviewResponseSchema.parse(rejected.json()).receipt.status).toBe('REJECTED');
    const history = getSubmissionResponseSchema.parse((await send(path(ats), { token: env.tokens.admin })).json());
    expect(history.versions.map((entry) => entry.status)).toEqual(['APPROVED', 'REJECTED']);
  });

  it('keeps an append-only audit trail: who, what, when, client version, content hash', async () => {
    const audit = auditResponseSchema.parse(
      (await send(`/v1/ats/${ats}/audit`, { token: env.tokens.reviewer })).json(),
    );
    expect(audit.events.map((event) => event.what)).toEqual(['SUBMIT', 'APPROVE', 'SUBMIT', 'REJECT']);
    const [first] = audit.events;
    expect(first).toMatchObject({ who: `op-${ats}`, clientVersion: 'test/1.0.0', version: 1, period: PERIOD });
    expect(first?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const page = auditResponseSchema.parse(
      (await send(`/v1/ats/${ats}/audit?limit=2`, { token: env.tokens.admin })).json(),
    );
    expect(page.events).toHaveLength(2);
    expect(page.nextToken).not.toBeNull();
    const next = auditResponseSchema.parse(
      (await send(`/v1/ats/${ats}/audit?limit=2&nextToken=${page.nextToken}`, { token: env.tokens.admin })).json(),
    );
    expect([...page.events, ...next.events].map((event) => event.what)).toEqual(
      audit.events.map((event) => event.what),
    );
    expectError(await send(`/v1/ats/${ats}/audit?nextToken=rubbish`, { token: env.tokens.admin }), 400);
    expectError(await send(`/v1/ats/${ats}/audit?limit=0`, { token: env.tokens.admin }), 400);
  });
});

describe('regions', () => {
  it('registers an ATS (201, then 200), validating codes and comuni (400)', async () => {
    const ats = 'ATS-05-010';
    expect((await register(ats, ['025001'], env.tokens.admin)).status).toBe(201);
    expect((await register(ats, ['025001', '025003'], env.tokens.admin)).status).toBe(200);
    const wrongRegion = expectError(await register('ATS-05-011', ['001272']), 400);
    expect(wrongRegion.error.issues?.[0]?.message).toMatch(/non è nella Regione 05/);
    expectError(await register('ATS-05-011', ['999999']), 400);
    expectError(
      await send('/v1/regions/05/ats/ATS-06-001', {
        method: 'PUT',
        token: env.tokens.admin,
        body: JSON.stringify({ name: 'x', comuni: ['025001'] }),
      }),
      400,
    );
    expectError(
      await send('/v1/regions/05/ats/ATS-05-012', { method: 'PUT', token: env.tokens.admin, body: '{"name": 3}' }),
      400,
      'SCHEMA',
    );
    const list = listRegionAtsResponseSchema.parse(
      (await send('/v1/regions/05/ats', { token: env.tokens.reviewer })).json(),
    );
    expect(list.ats.find((entry) => entry.ats === ats)?.comuni).toEqual(['025001', '025003']);
  });

  it('consolidates a Region: statuses, missing ATS, rows with COD_ATS, regional findings', async () => {
    // v1.1: pages of whole ATS, each at most 5 MB; the 5 MB submission stored above takes a page of its own.
    const url = `/v1/regions/05/consolidated?period=${PERIOD}`;
    const raw: HttpResponse[] = [];
    const merged = await followConsolidatedPages<{ ok: true; body: ConsolidatedResponse } | { ok: false }>(
      async (pageToken) => {
        const page = await send(pageToken === undefined ? url : `${url}&pageToken=${encodeURIComponent(pageToken)}`, {
          token: env.tokens.reviewer,
        });
        expect(page.status).toBe(200);
        expect(page.body.byteLength).toBeLessThanOrEqual(5 * 1024 * 1024);
        raw.push(page);
        return { ok: true, body: consolidatedResponseSchema.parse(page.json()) };
      },
      () => ({ ok: false }),
    );
    if (!merged.ok) throw new Error('pages never ended');
    const body = merged.body;
    expect(raw.length).toBeGreaterThan(1);
    const submitted = body.ats.filter((entry) => entry.submitted);
    expect(submitted.map((entry) => entry.ats)).toEqual(
      expect.arrayContaining(['ATS-05-001', 'ATS-05-003', 'ATS-05-004']),
    );
    expect(body.missing).toContain('ATS-05-010');
    const own = body.ats.find((entry) => entry.ats === 'ATS-05-004');
    expect(own).toMatchObject({ status: 'REJECTED', version: 2, registered: true });
    expect(own?.summary?.population).toBe(42818);
    expect(own?.summary?.contribution).toBe(97776.62);
    expect((body.rows.T2 ?? []).every((row) => typeof row.COD_ATS === 'string')).toBe(true);
    expect((body.rows.T2 ?? []).filter((row) => row.COD_ATS === 'ATS-05-004')).toHaveLength(4);
    // The same four comuni in several ATS: T2.5 at Region level.
    expect(body.findings.some((finding) => finding.rule === 'T2.5')).toBe(true);
    // The biggest page has MB of rows: gzipped for clients that accept it.
    const biggest = raw.reduce((left, right) => (right.body.byteLength > left.body.byteLength ? right : left));
    const biggestIndex = raw.indexOf(biggest);
    const previous = biggestIndex > 0 ? consolidatedResponseSchema.parse(raw[biggestIndex - 1]?.json()) : undefined;
    const compressed = await send(
      previous?.nextPageToken ? `${url}&pageToken=${encodeURIComponent(previous.nextPageToken)}` : url,
      { token: env.tokens.reviewer, headers: { 'accept-encoding': 'gzip' } },
    );
    expect(biggest.body.byteLength).toBeGreaterThan(1_000_000);
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(compressed.body.byteLength).toBeLessThan(biggest.body.byteLength / 4);
    expect(consolidatedResponseSchema.parse(JSON.parse(gunzipSync(compressed.body).toString('utf8'))).ats).toEqual(
      consolidatedResponseSchema.parse(biggest.json()).ats,
    );
    expectError(await send(`${url}&pageToken=rubbish`, { token: env.tokens.reviewer }), 400);
    const foreign = Buffer.from(JSON.stringify({ r: '06', p: PERIOD, f: 'ATS-06-001' })).toString('base64url');
    expectError(await send(`${url}&pageToken=${foreign}`, { token: env.tokens.reviewer }), 400);
    expectError(await send('/v1/regions/05/consolidated', { token: env.tokens.reviewer }), 400);
    expectError(await send('/v1/regions/05/consolidated?period=2025-13-01', { token: env.tokens.reviewer }), 400);
  });
});
