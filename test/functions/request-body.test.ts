import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_BYTES } from '../../functions/lib/body.ts';
import {
  escapedBytes,
  isBinaryBody,
  LAMBDA_PAYLOAD_BYTES,
  MAX_RESPONSE_BODY_BYTES,
  RESULT_ENVELOPE_BYTES,
} from '../../functions/lib/lambda-limits.ts';
import {
  errorBodySchema,
  type GetSubmissionResponse,
  getSubmissionResponseSchema,
  putSubmissionResponseSchema,
  type Receipt,
  submissionDocumentPath,
} from '../../shared/contract/api.ts';
import { canonicalJson, sha256Hex, submissionSha256 } from '../../shared/contract/canonical.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { ATS } from '../support/builders.ts';
import type { HttpResponse } from './http-client.ts';
import {
  largeSubmission,
  newKey,
  PERIOD,
  quoteHeavySubmission,
  registerTestAts,
  startTestStack,
  type TestStack,
} from './support.ts';

/**
 * Request bodies per contract v1.1 through the real local stack, which builds the Lambda event as API Gateway does
 * and refuses what Lambda would refuse: JSON (plain or gzip) up to 5 MB stored intact; this API's Italian 413 above
 * it wherever the event still reaches a function; AWS's own answer where it would not; 415 for other types.
 */

let env: TestStack;
const path = `/v1/ats/${ATS}/submissions/${PERIOD}`;

beforeAll(async () => {
  env = await startTestStack();
  await registerTestAts(env);
}, 120_000);

afterAll(async () => {
  await env?.close();
});

async function put(body: string | Buffer, headers: Record<string, string>, ifMatch?: number): Promise<HttpResponse> {
  return env.client.send(path, {
    method: 'PUT',
    token: env.tokens.operator,
    headers: { 'idempotency-key': newKey(), ...(ifMatch ? { 'if-match': String(ifMatch) } : {}), ...headers },
    body,
  });
}

function validate(body: string | Buffer, headers: Record<string, string>): Promise<HttpResponse> {
  return env.client.send('/v1/validate', { method: 'POST', token: env.tokens.operator, headers, body });
}

function expectItalianError(response: HttpResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  const body = errorBodySchema.parse(response.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/[àèéìòù]|contenuto|corpo|gzip|JSON/i);
}

/**
 * Contract v1.1's bound on a response, as a client that does not ask for gzip sees it: no Content-Encoding, at most
 * 5 MB of body, and a body that, escaped into Lambda's result, fits its 6 MB (the local gateway would otherwise have
 * answered AWS's 500 instead).
 */
function expectWithinResponseBound(response: HttpResponse): void {
  expect(response.headers['content-encoding']).toBeUndefined();
  expect(response.body.byteLength).toBeLessThanOrEqual(MAX_RESPONSE_BODY_BYTES);
  expect(escapedBytes(response.text)).toBeLessThanOrEqual(LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES);
}

interface ReadBack {
  readonly response: GetSubmissionResponse;
  /** The stored document: GET's `submission` when inline, else the document route's body. */
  readonly document: unknown;
  readonly inline: boolean;
}

/**
 * What a client does to read a submission back in full, without gzip: GET submission and, when it left the document
 * out (`submissionInline: false`), the document route, whose body is the stored canonical JSON byte for byte.
 */
async function readBack(token = env.tokens.operator, query = ''): Promise<ReadBack> {
  const got = await env.client.send(`${path}${query}`, { token });
  expect(got.status, got.text.slice(0, 300)).toBe(200);
  expectWithinResponseBound(got);
  const response = getSubmissionResponseSchema.parse(got.json());
  if (response.submissionInline !== false) return { response, document: response.submission, inline: true };
  expect(response.submission).toBeNull();
  const document = await env.client.send(submissionDocumentPath(ATS, PERIOD, response.receipt.version), { token });
  expect(document.status, document.text.slice(0, 300)).toBe(200);
  expectWithinResponseBound(document);
  expect(await sha256Hex(document.text)).toBe(response.receipt.sha256);
  return { response, document: document.json(), inline: false };
}

async function currentVersion(): Promise<number> {
  return (await readBack()).response.currentVersion;
}

function expectItalianErrorCode(response: HttpResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(errorBodySchema.parse(response.json()).error.message).toMatch(/versione|Ambito|Parametro/);
}

const JSON_TYPE = { 'content-type': 'application/json' };
const GZIP_JSON = { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' };

describe('API Gateway’s text or base64 choice', () => {
  it('passes JSON and text as UTF-8 and everything else, gzip included, base64-encoded', () => {
    expect(isBinaryBody('application/json', undefined)).toBe(false);
    expect(isBinaryBody('application/json; charset=utf-8', undefined)).toBe(false);
    expect(isBinaryBody('text/plain', undefined)).toBe(false);
    expect(isBinaryBody('application/json', 'gzip')).toBe(true);
    expect(isBinaryBody('application/octet-stream', undefined)).toBe(true);
    expect(isBinaryBody('application/x-www-form-urlencoded', undefined)).toBe(true);
    expect(isBinaryBody(undefined, undefined)).toBe(true);
  });
});

describe('a 5 MB submission', () => {
  // Just under the contract's 5 MB of JSON; hash-like ids keep it from compressing below DynamoDB's item limit.
  const large = largeSubmission(MAX_JSON_BYTES - 2_000);
  const text = JSON.stringify(large);

  it('is accepted as plain JSON and stored intact', async () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(5_200_000);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_JSON_BYTES);
    const stored = await put(text, JSON_TYPE);
    expect(stored.status).toBe(201);
    const { receipt } = putSubmissionResponseSchema.parse(stored.json());
    expect(receipt.sha256).toBe(await submissionSha256(large));
    const read = await readBack();
    expect(await submissionSha256(read.document)).toBe(receipt.sha256);
  }, 120_000);

  it('is accepted gzipped and stored intact, with the same receipt hash as the plain one', async () => {
    const changed = { ...large, comment: 'Reinvio compresso' };
    const compressed = gzipSync(JSON.stringify(changed));
    expect(compressed.byteLength).toBeLessThan(LAMBDA_PAYLOAD_BYTES / 4);
    const stored = await put(compressed, GZIP_JSON, 1);
    expect(stored.status).toBe(201);
    const { receipt } = putSubmissionResponseSchema.parse(stored.json());
    expect(receipt.sha256).toBe(await submissionSha256(changed));
    const read = await readBack();
    expect(read.response.currentVersion).toBe(2);
    expect(await submissionSha256(read.document)).toBe(receipt.sha256);
  }, 120_000);
});

describe('reading large submissions back (no response over 5 MB, none that needs gzip)', () => {
  /** What a document may escape to in Lambda's result: 6 MiB less the envelope's reserve. */
  const ESCAPED_LIMIT = LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES;
  const receipts: Receipt[] = [];

  async function putAsNext(submission: Submission): Promise<HttpResponse> {
    return put(JSON.stringify(submission), JSON_TYPE, await currentVersion());
  }

  /**
   * A quote-heavy submission whose canonical JSON escapes to exactly `target` bytes: rows dropped from a larger one,
   * then the comment padded byte by byte.
   */
  function escapingTo(target: number): Submission {
    const heavy = { ...quoteHeavySubmission(4_700_000), comment: 'R' };
    const rows = [...(heavy.sheets.T3 ?? [])];
    let escaped = escapedBytes(canonicalJson(heavy));
    expect(escaped).toBeGreaterThan(target);
    while (escaped > target - 3_000) escaped -= escapedBytes(canonicalJson(rows.pop())) + 1;
    const fitted = { ...heavy, sheets: { ...heavy.sheets, T3: rows }, comment: `R${'x'.repeat(target - escaped)}` };
    expect(escapedBytes(canonicalJson(fitted))).toBe(target);
    return fitted;
  }

  it('refuses at PUT and at validate, with this API’s Italian 413, a quote-heavy submission within 5 MB whose document could not be answered', async () => {
    const heavy = { ...quoteHeavySubmission(4_900_000), comment: 'Reinvio con molte virgolette' };
    const text = JSON.stringify(heavy);
    // Within the request's 5 MB, but its stored form escapes to more than Lambda's result can hold.
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_JSON_BYTES);
    expect(escapedBytes(canonicalJson(heavy))).toBeGreaterThan(LAMBDA_PAYLOAD_BYTES);
    const before = await currentVersion();
    // Sent as clients send it, gzipped: the rule is on what would be stored, not on how it travelled.
    expectItalianError(await put(gzipSync(text), GZIP_JSON, before), 413, 'PAYLOAD_TOO_LARGE');
    expectItalianError(await validate(gzipSync(text), GZIP_JSON), 413, 'PAYLOAD_TOO_LARGE');
    // Plain, it escapes into an event over 6 MB too: AWS refuses it before any function runs.
    expect((await put(text, JSON_TYPE, before)).json()).toEqual({ message: 'Internal Server Error' });
    // Just over the document's limit, plain JSON still reaches the function (the event has 64 KB more room than a
    // response's budget): the same 413, from PUT and from validate.
    const edge = JSON.stringify(escapingTo(ESCAPED_LIMIT + 20_000));
    expectItalianError(await put(edge, JSON_TYPE, before), 413, 'PAYLOAD_TOO_LARGE');
    expectItalianError(await validate(edge, JSON_TYPE), 413, 'PAYLOAD_TOO_LARGE');
    expect(await currentVersion()).toBe(before);
  }, 180_000);

  it('stores a quote-heavy submission that fits and reads it back whole, with the same sha256, without gzip', async () => {
    const heavy = { ...quoteHeavySubmission(4_400_000), comment: 'Reinvio con virgolette' };
    expect(escapedBytes(canonicalJson(heavy))).toBeGreaterThan(Buffer.byteLength(JSON.stringify(heavy)) * 1.3);
    const stored = await putAsNext(heavy);
    expect(stored.status, stored.text.slice(0, 300)).toBe(201);
    const { receipt } = putSubmissionResponseSchema.parse(stored.json());
    receipts.push(receipt);
    const read = await readBack();
    expect(read.response.receipt.sha256).toBe(receipt.sha256);
    expect(await submissionSha256(read.document)).toBe(receipt.sha256);
  }, 120_000);

  it('leaves out of GET a document that fits only a response of its own, and answers it from the document route', async () => {
    // A quote-heavy document whose escaped form is 300 bytes under the limit: the document route can answer it, GET
    // with its receipt and history around it cannot (by escaping, not by bytes: it is 4.6 MB of JSON).
    const fitted = escapingTo(ESCAPED_LIMIT - 300);
    expect(Buffer.byteLength(canonicalJson(fitted))).toBeLessThan(MAX_RESPONSE_BODY_BYTES - 100_000);
    const stored = await putAsNext(fitted);
    expect(stored.status, stored.text.slice(0, 300)).toBe(201);
    const { receipt } = putSubmissionResponseSchema.parse(stored.json());
    receipts.push(receipt);

    const read = await readBack();
    expect(read.inline).toBe(false);
    expect(read.response.submissionInline).toBe(false);
    expect(read.response.receipt).toEqual(receipt);
    expect(await submissionSha256(read.document)).toBe(receipt.sha256);

    // ?version= reads an earlier version's document, and GET ?version= of it still answers within the bound.
    const [earlier] = receipts;
    if (!earlier) throw new Error('the previous test stores a version first');
    const old = await env.client.send(submissionDocumentPath(ATS, PERIOD, earlier.version), {
      token: env.tokens.operator,
    });
    expect(old.status).toBe(200);
    expect(old.headers.etag).toBe(`"${earlier.version}"`);
    expect(await sha256Hex(old.text)).toBe(earlier.sha256);
    const oldRead = await readBack(env.tokens.operator, `?version=${earlier.version}`);
    expect(oldRead.response.current).toBe(false);
    expect(await submissionSha256(oldRead.document)).toBe(earlier.sha256);
    // Without ?version= the document route answers the current version.
    const current = await env.client.send(`${path}/document`, { token: env.tokens.operator });
    expect(current.headers.etag).toBe(`"${receipt.version}"`);
    expect(await sha256Hex(current.text)).toBe(receipt.sha256);
  }, 180_000);

  it('lets read the document route whoever may read GET submission, and no one else', async () => {
    const document = `${path}/document`;
    for (const token of [env.tokens.operator, env.tokens.reviewer, env.tokens.admin]) {
      expect((await env.client.send(document, { token })).status).toBe(200);
    }
    // The operator of another ATS of the same Region, the reviewer of another Region.
    for (const token of [env.tokens.otherOperator, env.tokens.otherReviewer]) {
      const refused = await env.client.send(document, { token });
      expect(refused.status).toBe(403);
      expect(errorBodySchema.parse(refused.json()).error.code).toBe('FORBIDDEN');
    }
    expect((await env.client.send(document)).status).toBe(401);
    expectItalianErrorCode(await env.client.send(`${document}?version=999`, { token: env.tokens.admin }), 404);
    expectItalianErrorCode(await env.client.send(`${document}?version=zero`, { token: env.tokens.admin }), 400);
  }, 60_000);
});

describe('bodies over the limit', () => {
  it('refuses JSON over 5 MB whose event still fits Lambda with this API’s Italian 413', async () => {
    // 5.4 MB of submission JSON escapes to about 6.08 MB of event: it reaches the function, which refuses it.
    const over = JSON.stringify(largeSubmission(5_400_000));
    expect(Buffer.byteLength(over)).toBeGreaterThan(MAX_JSON_BYTES);
    expectItalianError(await put(over, JSON_TYPE), 413, 'PAYLOAD_TOO_LARGE');
  }, 60_000);

  it('refuses 6 MB of JSON sent gzipped (the event fits) with this API’s Italian 413', async () => {
    const six = gzipSync(JSON.stringify(largeSubmission(6 * 1024 * 1024)));
    expectItalianError(await put(six, GZIP_JSON), 413, 'PAYLOAD_TOO_LARGE');
  }, 60_000);

  it('answers as AWS does when the event itself is over 6 MB: Lambda is never invoked', async () => {
    // 6 MB of plain JSON escapes to about 7 MB of event; 5 MB of octet-stream is base64-encoded to 6.7 MB.
    const plain = await put(JSON.stringify(largeSubmission(6 * 1024 * 1024)), JSON_TYPE);
    expect(plain.status).toBe(500);
    expect(plain.json()).toEqual({ message: 'Internal Server Error' });
    const binary = await put(Buffer.alloc(5 * 1024 * 1024, 0x41), { 'content-type': 'application/octet-stream' });
    expect(binary.status).toBe(500);
    expect(binary.json()).toEqual({ message: 'Internal Server Error' });
  }, 60_000);

  it('stops inflating a gzip bomb at 5 MB and answers 413 at once', async () => {
    // 1 GiB of spaces as 64 concatenated gzip members (gunzip reads them all): about 1 MB on the wire.
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(bomb.byteLength).toBeLessThan(2 * 1024 * 1024);
    const started = performance.now();
    expectItalianError(await validate(bomb, GZIP_JSON), 413, 'PAYLOAD_TOO_LARGE');
    // Inflating the whole gigabyte takes 1.8 s here (and 1 GB of memory); the bounded inflate stops after 5 MB (40 ms).
    expect(performance.now() - started).toBeLessThan(1_000);
  }, 60_000);
});

describe('content types and encodings', () => {
  const small = JSON.stringify({ hello: 'mondo' });

  it('answers 415 in Italian to anything but JSON, and to a body without Content-Type', async () => {
    expectItalianError(
      await validate(small, { 'content-type': 'application/octet-stream' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectItalianError(
      await validate('a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectItalianError(await validate(small, { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectItalianError(
      await validate(small, { 'content-type': 'application/json; charset=iso-8859-1' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectItalianError(
      await validate(gzipSync(small), { ...JSON_TYPE, 'content-encoding': 'br' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectItalianError(await put(small, { 'content-type': 'application/octet-stream' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 415 to a body sent with no Content-Type at all', async () => {
    // The test client adds application/json unless told otherwise; an empty value leaves the header out.
    const response = await env.client.send('/v1/validate', {
      method: 'POST',
      token: env.tokens.operator,
      headers: { 'content-type': '' },
      body: small,
    });
    expectItalianError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 400 in Italian to malformed or truncated gzip', async () => {
    expectItalianError(await validate(Buffer.from('non è gzip'), GZIP_JSON), 400, 'INVALID_GZIP');
    const truncated = gzipSync(JSON.stringify(largeSubmission(100_000))).subarray(0, 2_000);
    expectItalianError(await validate(truncated, GZIP_JSON), 400, 'INVALID_GZIP');
  });

  it('accepts a gzipped validate body like a plain one', async () => {
    const body = JSON.stringify(largeSubmission(50_000));
    const plain = await validate(body, JSON_TYPE);
    const zipped = await validate(gzipSync(body), GZIP_JSON);
    expect(plain.status).toBe(200);
    expect(zipped.status).toBe(200);
    expect(zipped.json()).toEqual(plain.json());
  });
});
