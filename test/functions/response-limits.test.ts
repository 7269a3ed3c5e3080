import { afterEach, describe, expect, it, vi } from 'vitest';
import { json } from '../../functions/lib/http.ts';
import {
  escapedBytes,
  LAMBDA_PAYLOAD_BYTES,
  MAX_RESPONSE_BODY_BYTES,
  RESULT_ENVELOPE_BYTES,
  responseFits,
  responseOverLimits,
} from '../../functions/lib/lambda-limits.ts';
import { logger } from '../../functions/lib/logger.ts';
import { type Event, route } from '../../functions/lib/request.ts';
import { exceedsLambdaPayload } from '../../functions/local/gateway.ts';
import { errorBodySchema } from '../../shared/contract/api.ts';

/**
 * Contract v1.1's bound on every response, enforced in one place (the route wrapper): a body over 5 MB before
 * compression, or a result over Lambda's 6 MB once serialised, is our bug and is answered with the contract's Italian
 * 500 (logged as an error with its sizes), never let out — not even gzipped — and never left to AWS's opaque 500.
 */

const event = (acceptGzip = false) =>
  ({
    requestContext: { requestId: 'req-limits' },
    headers: acceptGzip ? { 'accept-encoding': 'gzip' } : {},
  }) as unknown as Event;

/** About `bytes` of JSON: an array of empty strings (quote-heavy: 2 of every 3 bytes escape), or one long string. */
function quoted(bytes: number): string {
  return `[${Array.from({ length: Math.floor((bytes - 2) / 3) }, () => '""').join(',')}]`;
}
function plain(bytes: number): string {
  return JSON.stringify('a'.repeat(bytes - 2));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the route wrapper’s bound on responses', () => {
  async function answer(body: string, acceptGzip = false) {
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    const result = await route('test', async () => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body,
    }))(event(acceptGzip));
    return { result, errors };
  }

  function expectOurs500(result: Awaited<ReturnType<typeof answer>>['result']): void {
    expect(result.statusCode).toBe(500);
    const body = errorBodySchema.parse(JSON.parse(String(result.body)));
    expect(body.error).toMatchObject({ code: 'INTERNAL_ERROR', requestId: 'req-limits' });
    expect(body.error.message).toMatch(/Errore interno/);
    // What the local gateway (as Lambda) would refuse is not this answer: the client reads the contract's error.
    expect(exceedsLambdaPayload(result)).toBe(false);
  }

  it('answers a body over 5 MB with the contract’s Italian 500 and logs the sizes, even to a client asking for gzip', async () => {
    for (const acceptGzip of [false, true]) {
      const body = plain(MAX_RESPONSE_BODY_BYTES + 1);
      const { result, errors } = await answer(body, acceptGzip);
      expectOurs500(result);
      expect(errors).toHaveBeenCalledWith(
        'risposta oltre i limiti',
        expect.objectContaining({ statusCode: 200, bodyBytes: MAX_RESPONSE_BODY_BYTES + 1 }),
      );
    }
  });

  it('answers a body within 5 MB whose serialised result would pass Lambda’s 6 MB with the same 500, not AWS’s', async () => {
    const body = quoted(4 * 1024 * 1024);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BODY_BYTES);
    expect(escapedBytes(body)).toBeGreaterThan(LAMBDA_PAYLOAD_BYTES);
    const { result, errors } = await answer(body);
    expectOurs500(result);
    const [, details] = errors.mock.calls[0] ?? [];
    expect((details as { resultBytes: number }).resultBytes).toBeGreaterThan(LAMBDA_PAYLOAD_BYTES);
  });

  it('lets through, untouched, the largest bodies that fit both limits', async () => {
    const atLimit = plain(MAX_RESPONSE_BODY_BYTES);
    const { result, errors } = await answer(atLimit);
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe(atLimit);
    expect(errors).not.toHaveBeenCalled();
    const small = await answer(JSON.stringify({ ok: true }));
    expect(small.result.statusCode).toBe(200);
  });

  it('counts a base64 body (the .xlsx template) by its decoded bytes', () => {
    const bytes = Buffer.alloc(4 * 1024 * 1024, 1);
    expect(responseOverLimits({ body: bytes.toString('base64'), isBase64Encoded: true })).toBeUndefined();
    const over = Buffer.alloc(MAX_RESPONSE_BODY_BYTES + 1, 1).toString('base64');
    expect(responseOverLimits({ body: over, isBase64Encoded: true })?.bodyBytes).toBe(MAX_RESPONSE_BODY_BYTES + 1);
  });
});

describe('responseFits: what a route designs its responses to', () => {
  const escapedLimit = LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES;

  it('measures parts as their concatenation, escaping included', () => {
    const parts = ['{"a":"\\"é\\"",', '"b":', quoted(1000), '}'];
    expect(parts.map(escapedBytes).reduce((a, b) => a + b, 0)).toBe(escapedBytes(parts.join('')));
    expect(escapedBytes(JSON.stringify({ text: 'riga\n"citata"' }))).toBe(
      Buffer.byteLength(JSON.stringify(JSON.stringify({ text: 'riga\n"citata"' }))) - 2,
    );
  });

  it('holds a body within 5 MB whose escaped form fits 6 MB less the envelope’s reserve, and nothing more', () => {
    expect(responseFits([plain(MAX_RESPONSE_BODY_BYTES)])).toBe(true);
    expect(responseFits([plain(MAX_RESPONSE_BODY_BYTES - 10), plain(11)])).toBe(false);
    // Quote-heavy: 3.3 MB escapes to about 5.5 MB and fits; 3.8 MB escapes to 6.3 MB, past the limit.
    expect(responseFits([quoted(3_300_000)])).toBe(true);
    expect(escapedBytes(quoted(3_800_000))).toBeGreaterThan(escapedLimit);
    expect(responseFits([quoted(3_800_000)])).toBe(false);
    expect(responseFits(['{"rows":', quoted(2_000_000), ',"more":', quoted(1_800_000), '}'])).toBe(false);
  });

  it('agrees with what the wrapper lets through: a fitting response built with json() passes it', () => {
    const body = { rows: Array.from({ length: 400_000 }, () => 'x') };
    const text = JSON.stringify(body);
    expect(responseFits([text])).toBe(true);
    expect(responseOverLimits(json(200, body))).toBeUndefined();
  });
});
