import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRegionalApi } from '../../addin/regional/api.ts';
import { escapedBytes, LAMBDA_PAYLOAD_BYTES, RESULT_ENVELOPE_BYTES } from '../../functions/lib/lambda-limits.ts';
import { consolidatedResponseSchema, putSubmissionResponseSchema } from '../../shared/contract/api.ts';
import { canonicalJson } from '../../shared/contract/canonical.ts';
import type { Submission, SubmissionRow } from '../../shared/contract/submission.ts';
import { SHEET_IDS } from '../../shared/template/types.ts';
import {
  newKey,
  PERIOD,
  quoteHeavySubmission,
  registerTestAts,
  startTestStack,
  submissionFor,
  type TestStack,
} from './support.ts';

/**
 * A Region where one ATS sent a submission close to the 5 MB PUT accepts: its rows with COD_ATS and a page's envelope
 * cannot fit any page, so its page names it in `rowsFromDocument` and the shared page-following code (here through the
 * regional panel's API client, as `rendiconta consolida` uses it too) reads its document and adds the rows. Every
 * response stays within 5 MB (and 6 MiB escaped), none is a 500, and every ATS's rows come exactly once.
 */

const LARGE = 'ATS-05-002';
const NORMAL = ['ATS-05-001', 'ATS-05-003', 'ATS-05-004'];
const MISSING = 'ATS-05-005';
let env: TestStack;
const sent = new Map<string, Submission>();

/** What a stored document may escape to in Lambda's result, as PUT checks it: 6 MiB less the envelope's reserve. */
const ESCAPED_LIMIT = LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES;

/**
 * The largest submission PUT accepts for `ats`: quote-heavy rows whose stored canonical JSON escapes to exactly
 * Lambda's limit (rows dropped from a larger one, then the comment padded byte by byte). Its document is answered by
 * the document route; its page, with the status entry and receipt beside the same rows, cannot be.
 */
function largestFor(ats: string): Submission {
  const base = quoteHeavySubmission(4_900_000);
  const sheets = Object.fromEntries(
    Object.entries(base.sheets).map(([sheet, rows]) => [
      sheet,
      (rows ?? []).map((row) => ({ ...row, COD_ATS: ats }) as SubmissionRow),
    ]),
  ) as Submission['sheets'];
  const heavy: Submission = { ...base, ats, sheets, comment: 'R' };
  const rows = [...(heavy.sheets.T3 ?? [])];
  let escaped = escapedBytes(canonicalJson(heavy));
  expect(escaped).toBeGreaterThan(ESCAPED_LIMIT);
  while (escaped > ESCAPED_LIMIT) escaped -= escapedBytes(canonicalJson(rows.pop())) + 1;
  const fitted = {
    ...heavy,
    sheets: { ...heavy.sheets, T3: rows },
    comment: `R${'x'.repeat(ESCAPED_LIMIT - escaped)}`,
  };
  expect(escapedBytes(canonicalJson(fitted))).toBe(ESCAPED_LIMIT);
  return fitted;
}

beforeAll(async () => {
  env = await startTestStack();
  for (const ats of [...NORMAL, LARGE, MISSING]) {
    await registerTestAts(env, ats, `Ambito di prova ${ats}`);
  }
  for (const ats of [...NORMAL, LARGE]) {
    const submission = ats === LARGE ? largestFor(ats) : submissionFor(ats);
    const text = JSON.stringify(submission);
    if (ats === LARGE) expect(Buffer.byteLength(text)).toBeGreaterThan(4_500_000);
    // Gzipped, as clients send large bodies: plain, this one would escape into an event over Lambda's 6 MB.
    const stored = await env.client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, {
      method: 'PUT',
      token: await env.stack.token({ sub: `op-${ats}`, groups: ['ats-operator'], ats }),
      headers: { 'idempotency-key': newKey(), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(text),
    });
    expect(stored.status, stored.text.slice(0, 300)).toBe(201);
    expect(putSubmissionResponseSchema.parse(stored.json()).receipt.version).toBe(1);
    // As the stored canonical JSON reads back.
    sent.set(ats, JSON.parse(canonicalJson(submission)) as Submission);
  }
}, 300_000);

afterAll(async () => {
  await env?.close();
});

describe('a consolidated view with an ATS too large for any page', () => {
  it('is read whole through the shared client: that ATS’s rows from its document, no response over 5 MB', async () => {
    const responses: Array<{ path: string; status: number; bytes: number; escaped: number; text: string }> = [];
    const api = fetchRegionalApi({
      baseUrl: env.stack.apiUrl,
      token: () => env.tokens.reviewer,
      // The local stack's own certificate: the test client trusts it, global fetch does not.
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(String(input));
        const path = `${url.pathname}${url.search}`;
        const response = await env.client.send(path, {
          method: init?.method ?? 'GET',
          headers: init?.headers as Record<string, string>,
        });
        responses.push({
          path,
          status: response.status,
          bytes: response.body.byteLength,
          escaped: escapedBytes(response.text),
          text: response.text,
        });
        return new Response(new Uint8Array(response.body), { status: response.status });
      }) as typeof fetch,
    });

    const result = await api.consolidated('05', PERIOD);
    if (!result.ok) throw new Error(`${result.status} ${result.message}`);

    for (const response of responses) {
      expect(response.status, response.path).toBe(200);
      expect(response.bytes, response.path).toBeLessThanOrEqual(5 * 1024 * 1024);
      expect(response.escaped, response.path).toBeLessThanOrEqual(LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES);
    }
    const pages = responses
      .filter((response) => response.path.includes('/consolidated'))
      .map((response) => consolidatedResponseSchema.parse(JSON.parse(response.text)));
    expect(pages.length).toBeGreaterThan(1);
    // The large ATS's page names it, with its version, and carries its status entry but none of its rows.
    const own = pages.find((page) => page.rowsFromDocument !== undefined);
    expect(own?.rowsFromDocument).toEqual([{ ats: LARGE, version: 1 }]);
    expect(own?.ats.map((entry) => [entry.ats, entry.version])).toEqual([[LARGE, 1]]);
    expect(Object.values(own?.rows ?? {}).flat()).toEqual([]);
    expect(pages.flatMap((page) => page.pageAts ?? [])).not.toContain(LARGE);
    // Its rows came from the document route, once.
    expect(
      responses.filter((response) => response.path.includes('/document')).map((response) => response.path),
    ).toEqual([`/v1/ats/${LARGE}/submissions/${PERIOD}/document?version=1`]);

    // Merged: every ATS's rows once, in code order, each with COD_ATS, exactly as one unpaged view would have them.
    const merged = result.body;
    const order = [...sent.keys()].sort();
    expect(merged.pageAts).toEqual(order);
    expect(merged.missing).toEqual([MISSING]);
    expect(merged.ats.map((entry) => entry.ats)).toEqual([...order, MISSING].sort());
    expect(merged.rowsFromDocument).toBeUndefined();
    for (const sheet of SHEET_IDS) {
      const expected = order.flatMap((ats) =>
        (sent.get(ats)?.sheets[sheet] ?? []).map((row) => ({ ...row, COD_ATS: ats })),
      );
      expect(merged.rows[sheet]?.length, sheet).toBe(expected.length);
      expect(JSON.stringify(merged.rows[sheet]), sheet).toBe(JSON.stringify(expected));
    }
    expect((merged.rows.T3 ?? []).filter((row) => row.COD_ATS === LARGE).length).toBeGreaterThan(5_000);
  }, 300_000);
});
