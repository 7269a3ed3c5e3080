import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idempotencyScope } from '../../functions/core/idempotency.ts';
import { previousPeriod } from '../../functions/core/periods.ts';
import { parseIfMatch } from '../../functions/core/submissions.ts';
import { callerOf, mayReadAts, parseGroups } from '../../functions/lib/claims.ts';
import { sha256HexOf } from '../../functions/lib/hash.ts';
import { HttpError } from '../../functions/lib/http.ts';
import { logger } from '../../functions/lib/logger.ts';
import { type Event, route } from '../../functions/lib/request.ts';
import { authorizerClaims } from '../../functions/local/tokens.ts';
import { CHUNK_BYTES, decodeText, encodeText, joinChunks } from '../../functions/store/payload.ts';
import { errorBodySchema } from '../../shared/contract/api.ts';
import { canonicalJson, sha256Hex, submissionSha256 } from '../../shared/contract/canonical.ts';

describe('canonical serialisation (RFC 8785)', () => {
  it('sorts members by UTF-16 code units, drops whitespace, writes numbers the ECMAScript way', () => {
    expect(canonicalJson({ b: [1, 2.5, -0, 1e21, 1e-7], a: 'x', é: true, A: null })).toBe(
      '{"A":null,"a":"x","b":[1,2.5,0,1e+21,1e-7],"é":true}',
    );
    // RFC 8785 §3.2.3: "\u20ac" sorts after "\r" and "1"; surrogate pairs sort by code unit.
    expect(canonicalJson({ '\u20ac': 1, '\r': 2, '1': 3, '\ud83d\ude00': 4, '\u0080': 5 })).toBe(
      '{"\\r":2,"1":3,"\u0080":5,"\u20ac":1,"\ud83d\ude00":4}',
    );
    expect(canonicalJson('a"\\\n\u001f')).toBe('"a\\"\\\\\\n\\u001f"');
  });

  it('is the same for any key order and whitespace of the same JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reordered = JSON.parse(JSON.stringify(value, null, 2)) as unknown;
        expect(canonicalJson(reordered)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  // The ten-line rule of canonical.ts, written as plainly as a reader recomputing a receipt would write it.
  const reference = (value: unknown): string => {
    if (value === null || typeof value === 'boolean') return String(value);
    if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
    if (typeof value === 'string') return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${reference(record[key])}`).join(',')}}`;
  };
  const reversed = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reversed);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reversed(item)]),
    );
  };

  it('writes exactly what the ten-line rule writes, whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
        expect(canonicalJson(reversed(value))).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
    expect(canonicalJson({ kept: 1, dropped: undefined })).toBe('{"kept":1}');
    expect(() => canonicalJson({ amount: Number.NaN })).toThrow(/non rappresentabile/);
    expect(() => canonicalJson([undefined])).toThrow(/non rappresentabile/);
  });

  it('follows the rule on rows that share, reorder or change their keys (the key-order memo)', () => {
    const member = fc.oneof(fc.constant(undefined), fc.integer(), fc.string(), fc.constant(null));
    const rows = fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 6 }).chain((keys) =>
      fc
        .array(
          fc.tuple(fc.constantFrom('same', 'reversed', 'fewer'), fc.array(member, { minLength: 6, maxLength: 6 })),
          { maxLength: 12 },
        )
        .map((shapes) =>
          shapes.map(([shape, values]) => {
            const order = shape === 'reversed' ? [...keys].reverse() : shape === 'fewer' ? keys.slice(1) : keys;
            return Object.fromEntries(order.map((key, index) => [key, values[index]]));
          }),
        ),
    );
    fc.assert(
      fc.property(rows, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it('hashes with WebCrypto exactly as node:crypto does over the canonical UTF-8 bytes', async () => {
    const value = { ats: 'ATS-05-001', importo: 1234.5, città: 'Forlì' };
    const expected = createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
    expect(await submissionSha256(value)).toBe(expected);
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('gives the same digest with node:crypto (the functions) as with WebCrypto (the add-in)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const canonical = canonicalJson(value);
        expect(sha256HexOf(canonical)).toBe(await sha256Hex(canonical));
      }),
    );
  });
});

describe('claims', () => {
  it('reads cognito:groups as the JWT authorizer flattens it, as an array, or as one name', () => {
    expect(parseGroups('[ats-operator region-reviewer]')).toEqual(['ats-operator', 'region-reviewer']);
    expect(parseGroups(['national-admin', 'other'])).toEqual(['national-admin']);
    expect(parseGroups('region-reviewer')).toEqual(['region-reviewer']);
    // JSON text inside the string is not a form the authorizer produces: its quotes belong to the names.
    expect(parseGroups('["ats-operator","national-admin"]')).toEqual([]);
    expect(parseGroups('["national-admin"]')).toEqual([]);
    expect(parseGroups(42)).toEqual([]);
  });

  it('never splits a group name on commas: the authorizer separates names with spaces only', () => {
    // A Cognito group name may hold a comma; `foo,national-admin` is one group, not an admin.
    expect(parseGroups('[foo,national-admin]')).toEqual([]);
    expect(parseGroups('foo,national-admin')).toEqual([]);
    expect(parseGroups(['foo,national-admin'])).toEqual([]);
    expect(parseGroups('[ats-operator,region-reviewer]')).toEqual([]);
    expect(parseGroups('["foo,national-admin"]')).toEqual([]);
    expect(parseGroups('[]')).toEqual([]);
  });

  it('reads back exactly the names the JWT authorizer flattened, whatever they are', () => {
    // A Cognito group name: no whitespace, any letter, mark, symbol, number or punctuation (commas and quotes too).
    const name = fc.stringMatching(/^[\x21-\x7e]{1,20}$/);
    const known = fc.constantFrom('ats-operator', 'region-reviewer', 'national-admin');
    fc.assert(
      fc.property(fc.array(fc.oneof(name, known), { maxLength: 6 }), (names) => {
        const flattened = authorizerClaims({ 'cognito:groups': names })['cognito:groups'];
        const expected = ['ats-operator', 'region-reviewer', 'national-admin'].filter((group) => names.includes(group));
        // The flattened string, as API Gateway delivers it, and the array itself, as a direct invocation may.
        expect(parseGroups(flattened)).toEqual(expected);
        expect(parseGroups(names)).toEqual(expected);
      }),
    );
  });

  it('lets an operator read only their ATS, a reviewer their Region, an admin everything', () => {
    const event = (claims: Record<string, string>) =>
      ({ requestContext: { authorizer: { jwt: { claims, scopes: [] } } } }) as unknown as Event;
    const operator = callerOf(event({ sub: 'a', 'cognito:groups': '[ats-operator]', 'custom:ats': 'ATS-05-001' }));
    const reviewer = callerOf(event({ sub: 'b', 'cognito:groups': '[region-reviewer]', 'custom:region': '05' }));
    expect(mayReadAts(operator, 'ATS-05-001')).toBe(true);
    expect(mayReadAts(operator, 'ATS-05-002')).toBe(false);
    expect(mayReadAts(reviewer, 'ATS-05-002')).toBe(true);
    expect(mayReadAts(reviewer, 'ATS-06-001')).toBe(false);
    expect(() => callerOf(event({ 'cognito:groups': '[national-admin]' }))).toThrow();
  });
});

describe('idempotency scope', () => {
  it('gives two different (sub, key) pairs two different scopes, even when a separator would make them meet', () => {
    expect(idempotencyScope('a#b', 'cdefghij')).not.toBe(idempotencyScope('a', 'b#cdefghij'));
    expect(idempotencyScope('a', 'bcdefghi')).not.toBe(idempotencyScope('ab', 'cdefghi'));
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (sub1, key1, sub2, key2) => {
        fc.pre(sub1 !== sub2 || key1 !== key2);
        expect(idempotencyScope(sub1, key1)).not.toBe(idempotencyScope(sub2, key2));
      }),
    );
    expect(idempotencyScope('op', 'k'.repeat(200))).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('store payloads', () => {
  it('keeps small texts inline and cuts large ones into content-addressed chunks that join back exactly', () => {
    const small = encodeText('{"a":1}', 1000);
    expect(small.kind).toBe('inline');
    if (small.kind === 'inline') expect(decodeText(small.data)).toBe('{"a":1}');
    const random = createHash('sha512');
    let text = '';
    for (let index = 0; text.length < 1_200_000; index++) text += random.copy().update(String(index)).digest('base64');
    const large = encodeText(text, 200_000);
    expect(large.kind).toBe('chunked');
    if (large.kind !== 'chunked') return;
    expect(large.chunks.length).toBe(Math.ceil(large.ref.bytes / CHUNK_BYTES));
    expect(decodeText(joinChunks(large.ref, large.chunks))).toBe(text);
    expect(() => joinChunks(large.ref, large.chunks.slice(1))).toThrow();
  });
});

describe('the handler wrapper', () => {
  const event = { requestContext: { requestId: 'req-123' }, headers: {} } as unknown as Event;

  it('answers an unexpected failure with a generic Italian 500 naming the request id, never the detail', async () => {
    logger.setLogLevel('SILENT');
    const handler = route('test', async () => {
      throw new TypeError('segreto: dettaglio interno con dati');
    });
    const result = await handler(event);
    expect(result.statusCode).toBe(500);
    const body = errorBodySchema.parse(JSON.parse(String(result.body)));
    expect(body.error).toMatchObject({ code: 'INTERNAL_ERROR', requestId: 'req-123' });
    expect(body.error.message).toMatch(/Errore interno/);
    expect(String(result.body)).not.toContain('segreto');
  });

  it('turns a typed HttpError into the contract error JSON', async () => {
    const result = await route('test', async () => {
      throw new HttpError(409, 'STALE_VERSION', 'Versione superata.');
    })(event);
    expect(result.statusCode).toBe(409);
    expect(JSON.parse(String(result.body))).toEqual({
      error: { code: 'STALE_VERSION', message: 'Versione superata.' },
    });
  });
});

describe('request details', () => {
  it('finds the previous period: the annual return of the year before', () => {
    expect(previousPeriod('2025-12-31')).toBe('2024-12-31');
    expect(previousPeriod('2025-08-31')).toBe('2024-12-31');
    expect(previousPeriod('2025-06-30')).toBeNull();
  });

  it('reads If-Match as a version number, bare or as an entity tag', () => {
    expect(parseIfMatch(undefined)).toBeNull();
    expect(parseIfMatch('3')).toBe(3);
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('*')).toBe('invalid');
  });
});
