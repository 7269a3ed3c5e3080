import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../addin/app/api.ts';
import { canCompress, prepareJsonBody } from '../../addin/app/compress.ts';
import { COMPRESS_REQUEST_ABOVE_BYTES, MAX_REQUEST_JSON_BYTES } from '../../shared/contract/limits.ts';
import { validSubmission } from '../support/builders.ts';

/** The task pane's request bodies: gzip where the webview can, plain JSON where it cannot, nothing over 5 MB. */

const rows = (bytes: number) => ({
  rows: Array.from({ length: Math.ceil(bytes / 40) }, (_, i) => ({ id: `r-${String(i).padStart(30, '0')}` })),
});

describe('prepareJsonBody', () => {
  it('sends a small body as plain JSON', async () => {
    const prepared = await prepareJsonBody({ a: 1 });
    expect(prepared).toEqual({ kind: 'ready', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  });

  it('gzips a large body with CompressionStream, and the API’s gunzip gets the same JSON back', async () => {
    expect(canCompress()).toBe(true);
    const value = rows(COMPRESS_REQUEST_ABOVE_BYTES * 4);
    const prepared = await prepareJsonBody(value);
    if (prepared.kind !== 'ready' || typeof prepared.body === 'string') throw new Error('not compressed');
    expect(prepared.headers).toEqual({ 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(JSON.parse(gunzipSync(prepared.body).toString('utf8'))).toEqual(value);
  });

  it('falls back to plain JSON where the webview has no CompressionStream', async () => {
    const prepared = await prepareJsonBody(rows(COMPRESS_REQUEST_ABOVE_BYTES * 4), false);
    expect(prepared.kind === 'ready' && typeof prepared.body).toBe('string');
  });

  it('never sends more than 5 MB of JSON: the client answers 413 in Italian without calling the API', async () => {
    expect((await prepareJsonBody(rows(MAX_REQUEST_JSON_BYTES + 1000))).kind).toBe('too-large');
    let calls = 0;
    const api = new ApiClient({
      baseUrl: 'https://api.example',
      token: () => 't',
      fetch: async () => {
        calls++;
        return new Response('{}');
      },
    });
    const huge = { ...validSubmission(), comment: 'x'.repeat(MAX_REQUEST_JSON_BYTES) };
    const result = await api.putSubmission(huge, 'key-12345678', null);
    expect(result).toMatchObject({ kind: 'error', status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(result.kind === 'error' && result.message).toMatch(/limite è di 5 MB/);
    expect(calls).toBe(0);
  });
});
