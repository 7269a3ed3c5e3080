import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_BYTES } from '../../functions/lib/body.ts';
import { isBinaryBody, LAMBDA_PAYLOAD_BYTES } from '../../functions/lib/lambda-limits.ts';
import {
  errorBodySchema,
  getSubmissionResponseSchema,
  putSubmissionResponseSchema,
} from '../../shared/contract/api.ts';
import { submissionSha256 } from '../../shared/contract/canonical.ts';
import { ATS } from '../support/builders.ts';
import type { HttpResponse } from './http-client.ts';
import { BELLUNO_COMUNI, largeSubmission, newKey, PERIOD, startTestStack, type TestStack } from './support.ts';

/**
 * Request bodies per contract v1.1 through the real local stack, which builds the Lambda event as API Gateway does
 * and refuses what Lambda would refuse: JSON (plain or gzip) up to 5 MB stored intact; this API's Italian 413 above
 * it wherever the event still reaches a function; AWS's own answer where it would not; 415 for other types.
 */

let env: TestStack;
const path = `/v1/ats/${ATS}/submissions/${PERIOD}`;

beforeAll(async () => {
  env = await startTestStack();
  const registered = await env.client.send(`/v1/regions/05/ats/${ATS}`, {
    method: 'PUT',
    token: env.tokens.reviewer,
    body: JSON.stringify({ name: 'Ambito di prova', comuni: BELLUNO_COMUNI }),
  });
  expect(registered.status).toBe(201);
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
    const read = getSubmissionResponseSchema.parse(
      (await env.client.send(path, { token: env.tokens.operator })).json(),
    );
    expect(await submissionSha256(read.submission)).toBe(receipt.sha256);
  }, 120_000);

  it('is accepted gzipped and stored intact, with the same receipt hash as the plain one', async () => {
    const changed = { ...large, comment: 'Reinvio compresso' };
    const compressed = gzipSync(JSON.stringify(changed));
    expect(compressed.byteLength).toBeLessThan(LAMBDA_PAYLOAD_BYTES / 4);
    const stored = await put(compressed, GZIP_JSON, 1);
    expect(stored.status).toBe(201);
    const { receipt } = putSubmissionResponseSchema.parse(stored.json());
    expect(receipt.sha256).toBe(await submissionSha256(changed));
    const read = getSubmissionResponseSchema.parse(
      (await env.client.send(path, { token: env.tokens.operator })).json(),
    );
    expect(read.currentVersion).toBe(2);
    expect(await submissionSha256(read.submission)).toBe(receipt.sha256);
  }, 120_000);
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
