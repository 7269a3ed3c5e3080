import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { jsonRequestBody } from '../../cli/api.ts';
import { CliError } from '../../cli/errors.ts';
import { MAX_REQUEST_JSON_BYTES } from '../../shared/contract/limits.ts';

/** The command line's request bodies: gzip (node:zlib) for large ones, an Italian refusal over 5 MB of JSON. */

describe('jsonRequestBody', () => {
  it('sends small bodies as plain JSON', () => {
    expect(jsonRequestBody({ a: 1 })).toEqual({ body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  });

  it('gzips a large body, which the API inflates back to the same JSON', () => {
    const value = { rows: Array.from({ length: 20_000 }, (_, index) => ({ id: `riga-${index}` })) };
    const prepared = jsonRequestBody(value);
    expect(prepared.headers['content-encoding']).toBe('gzip');
    if (typeof prepared.body === 'string') throw new Error('not compressed');
    expect(JSON.parse(gunzipSync(prepared.body).toString('utf8'))).toEqual(value);
  });

  it('refuses more than 5 MB of JSON in Italian without sending it', () => {
    const huge = { text: 'x'.repeat(MAX_REQUEST_JSON_BYTES) };
    expect(() => jsonRequestBody(huge)).toThrow(CliError);
    expect(() => jsonRequestBody(huge)).toThrow(/limite è di 5 MB/);
  });
});
