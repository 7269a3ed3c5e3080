import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { DynamoStore } from '../../functions/store/dynamo.ts';
import type { RegisteredAts } from '../../shared/checks/types.ts';
import { type ConsolidatedResponse, consolidatedResponseSchema } from '../../shared/contract/api.ts';
import { canonicalJson, sha256Hex } from '../../shared/contract/canonical.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { REGION_CODES, syntheticRegion } from '../../shared/demo/ats.ts';
import { DEMO_PERIOD, generateSubmission } from '../../shared/demo/generate.ts';
import { SHEET_IDS } from '../../shared/template/types.ts';
import { startTestStack, type TestStack } from './support.ts';

/**
 * Contract v1.1's paged consolidated view at the size that matters: the largest Region the demo generator makes
 * (Lombardia-like) with three times the demo's rows per ATS, stored directly (the checks are not what is tested),
 * read through the local stack page by page. Every page must stay under 5 MB of JSON uncompressed, every ATS must come
 * exactly once with its rows intact, and the status list and regional findings must be on the first page.
 */

const LIMIT = 5 * 1024 * 1024;
let env: TestStack;
let region: string;
let registered: RegisteredAts[];
const stored = new Map<string, Submission>();

/** The demo's rows three times over, as the stored canonical JSON reads back. */
function tripled(body: Submission): Submission {
  const sheets = Object.fromEntries(
    Object.entries(body.sheets).map(([sheet, rows]) => [sheet, [...(rows ?? []), ...(rows ?? []), ...(rows ?? [])]]),
  ) as Submission['sheets'];
  return JSON.parse(canonicalJson({ ...body, sheets })) as Submission;
}

beforeAll(async () => {
  env = await startTestStack();
  const comuni = loadComuni();
  const regions = REGION_CODES.map((code) => ({ code, ats: syntheticRegion(code, comuni) }));
  const largest = regions.reduce((left, right) => (right.ats.length > left.ats.length ? right : left));
  region = largest.code;
  registered = largest.ats;
  const store = new DynamoStore();
  // The last three ATS are registered but send nothing: they are `missing`.
  const submitting = registered.slice(0, -3);
  for (const entry of registered) await store.putRegistration(region, entry, 'test');
  for (const entry of submitting) {
    const body = tripled(generateSubmission({ ats: entry, regionCode: region, comuni, period: DEMO_PERIOD, seed: 1 }));
    stored.set(entry.ats, body);
    const canonical = canonicalJson(body);
    const sha256 = await sha256Hex(canonical);
    const receivedAt = new Date().toISOString();
    const rows = SHEET_IDS.reduce((total, sheet) => total + (body.sheets[sheet]?.length ?? 0), 0);
    const findings = [
      {
        rule: 'T3.5',
        severity: 'warning' as const,
        sheet: 'T3' as const,
        row: 1,
        column: null,
        message: `Avviso di prova per ${entry.ats}`,
        ref: 'test',
      },
    ];
    const result = await store.commitVersion({
      version: {
        ats: entry.ats,
        period: DEMO_PERIOD,
        version: 1,
        sha256,
        receivedAt,
        template: body.template,
        templateVersion: body.templateVersion,
        findings,
        errors: 0,
        warnings: 1,
        comment: null,
        submittedBy: 'test',
        clientVersion: null,
        summary: { population: 1, fteAsTi: 1, contribution: 0, rows },
        body: canonical,
      },
      expectedVersion: null,
      idempotency: {
        scope: `pages#${entry.ats}`,
        requestHash: sha256,
        receipt: {
          ats: entry.ats,
          period: DEMO_PERIOD,
          template: body.template,
          templateVersion: body.templateVersion,
          version: 1,
          sha256,
          receivedAt,
          status: 'SUBMITTED',
          findings,
        },
      },
      audit: {
        ats: entry.ats,
        at: receivedAt,
        who: 'test',
        groups: [],
        what: 'SUBMIT',
        period: DEMO_PERIOD,
        version: 1,
        sha256,
        clientVersion: null,
      },
    });
    expect(result.ok).toBe(true);
  }
}, 600_000);

afterAll(async () => {
  await env?.close();
});

describe('the consolidated view of the largest Region, three times the demo rows', () => {
  it('comes in pages under 5 MB, every ATS once with its rows intact, statuses and findings on page 1', async () => {
    expect(registered.length).toBeGreaterThanOrEqual(100);
    const token = await env.stack.token({ sub: `rev-${region}`, groups: ['region-reviewer'], region });
    const url = `/v1/regions/${region}/consolidated?period=${DEMO_PERIOD}`;
    const pages: ConsolidatedResponse[] = [];
    const sizes: number[] = [];
    let next: string | undefined;
    do {
      const response = await env.client.send(
        next === undefined ? url : `${url}&pageToken=${encodeURIComponent(next)}`,
        {
          token,
        },
      );
      expect(response.status).toBe(200);
      // Uncompressed: the client asked for no gzip.
      expect(response.headers['content-encoding']).toBeUndefined();
      sizes.push(response.body.byteLength);
      // And escaped into Lambda's 6 MiB result, as API Gateway receives it when the client asks for no gzip.
      expect(Buffer.byteLength(JSON.stringify(response.text))).toBeLessThan(6 * 1024 * 1024);
      const page = consolidatedResponseSchema.parse(response.json());
      pages.push(page);
      next = page.nextPageToken;
      expect(pages.length).toBeLessThan(100);
    } while (next !== undefined);

    expect(Math.max(...sizes)).toBeLessThanOrEqual(LIMIT);
    // All of it would not fit in one response.
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(LIMIT);
    expect(pages.length).toBeGreaterThan(1);

    const [first, ...later] = pages;
    if (!first) throw new Error('no page');
    expect(first.ats.map((entry) => entry.ats).sort()).toEqual(registered.map((entry) => entry.ats).sort());
    expect(first.missing).toEqual(registered.slice(-3).map((entry) => entry.ats));
    for (const page of later) {
      expect(page.findings).toEqual([]);
      expect(page.missing).toEqual([]);
    }

    // Every submitting ATS on exactly one page, with all of its rows there and nowhere else.
    const placed = pages.flatMap((page) => page.pageAts ?? []);
    expect([...placed].sort()).toEqual([...stored.keys()].sort());
    expect(new Set(placed).size).toBe(placed.length);
    for (const page of pages) {
      const onPage = new Set(page.pageAts ?? []);
      for (const sheet of SHEET_IDS) {
        for (const row of page.rows[sheet] ?? []) expect(onPage.has(String(row.COD_ATS))).toBe(true);
      }
      for (const ats of onPage) {
        const body = stored.get(ats);
        for (const sheet of SHEET_IDS) {
          const rows = (page.rows[sheet] ?? []).filter((row) => row.COD_ATS === ats);
          expect(rows).toEqual((body?.sheets[sheet] ?? []).map((row) => ({ ...row, COD_ATS: ats })));
        }
        // The ATS's own entry on its page carries its receipt's findings.
        const entry = page.ats.find((each) => each.ats === ats);
        expect(entry?.receipt?.findings.map((finding) => finding.message)).toEqual([`Avviso di prova per ${ats}`]);
      }
    }
  }, 300_000);

  it('refuses a malformed or foreign page token with an Italian 400', async () => {
    const token = await env.stack.token({ sub: `rev-${region}`, groups: ['region-reviewer'], region });
    const url = `/v1/regions/${region}/consolidated?period=${DEMO_PERIOD}`;
    const foreignRegion = Buffer.from(JSON.stringify({ r: '05', p: DEMO_PERIOD, f: 'ATS-05-001' })).toString(
      'base64url',
    );
    const foreignPeriod = Buffer.from(JSON.stringify({ r: region, p: '2024-12-31', f: `ATS-${region}-001` })).toString(
      'base64url',
    );
    for (const bad of ['rubbish', '%7B%7D', foreignRegion, foreignPeriod]) {
      const response = await env.client.send(`${url}&pageToken=${bad}`, { token });
      expect(response.status).toBe(400);
      expect((response.json() as { error: { message: string } }).error.message).toMatch(/pageToken non valido/);
    }
  });
});
