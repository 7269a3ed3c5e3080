import { describe, expect, it } from 'vitest';
import { estimatedBytes, pageToken, parsePageToken, planPage } from '../../functions/core/consolidated-pages.ts';
import { HttpError } from '../../functions/lib/http.ts';
import type { CurrentPointer } from '../../functions/store/types.ts';
import { followConsolidatedPages, mergeConsolidatedPages } from '../../shared/consolidation/pages.ts';
import type { ConsolidatedAts, ConsolidatedResponse } from '../../shared/contract/api.ts';

/** The consolidated view's pages: planning on the server, following and merging on the clients. */

const entry = (ats: string, findings: number): ConsolidatedAts => ({
  ats,
  name: `Ambito ${ats}`,
  registered: true,
  submitted: true,
  status: 'SUBMITTED',
  version: 1,
  receipt: {
    ats,
    period: '2025-12-31',
    template: 'LEPS-ATS',
    templateVersion: '1',
    version: 1,
    sha256: '0'.repeat(64),
    receivedAt: '2026-01-31T00:00:00.000Z',
    status: 'SUBMITTED',
    findings: Array.from({ length: findings }, (_, index) => ({
      rule: 'T3.5',
      severity: 'warning' as const,
      sheet: 'T3' as const,
      row: index + 1,
      column: null,
      message: 'Avviso',
      ref: 'x',
    })),
  },
  errors: 0,
  warnings: findings,
  summary: null,
});

const page = (overrides: Partial<ConsolidatedResponse>): ConsolidatedResponse => ({
  region: '05',
  period: '2025-12-31',
  ats: [],
  missing: [],
  rows: { T1: [], T2: [] },
  findings: [],
  ...overrides,
});

const pointer = (ats: string, bodyBytes: number): CurrentPointer => ({
  ats,
  period: '2025-12-31',
  version: 1,
  sha256: '0'.repeat(64),
  receivedAt: '',
  template: 'LEPS-ATS',
  templateVersion: '1',
  errors: 0,
  warnings: 0,
  comment: null,
  submittedBy: 'x',
  clientVersion: null,
  summary: { population: 1, fteAsTi: 1, contribution: 0, rows: 10 },
  status: 'SUBMITTED',
  review: null,
  bodyBytes,
  findingsBytes: 100,
});

describe('consolidated pages', () => {
  const pages = [
    page({
      ats: [entry('ATS-05-001', 1), entry('ATS-05-002', 0), entry('ATS-05-003', 0)],
      missing: ['ATS-05-004'],
      rows: { T1: [{ COD_ATS: 'ATS-05-001', X: 1 }], T2: [] },
      findings: [{ rule: 'T2.5', severity: 'error', sheet: 'T2', row: 1, column: null, message: 'm', ref: 'r' }],
      pageAts: ['ATS-05-001'],
      nextPageToken: 'a',
    }),
    page({
      ats: [entry('ATS-05-002', 2), entry('ATS-05-003', 3)],
      rows: { T1: [{ COD_ATS: 'ATS-05-002' }, { COD_ATS: 'ATS-05-003' }], T2: [{ COD_ATS: 'ATS-05-003' }] },
      pageAts: ['ATS-05-002', 'ATS-05-003'],
    }),
  ];

  it('merges pages: the first page’s list, each ATS’s entry from its own page, every row in order', () => {
    const merged = mergeConsolidatedPages(pages);
    expect(merged.ats.map((each) => [each.ats, each.receipt?.findings.length])).toEqual([
      ['ATS-05-001', 1],
      ['ATS-05-002', 2],
      ['ATS-05-003', 3],
    ]);
    expect(merged.missing).toEqual(['ATS-05-004']);
    expect(merged.findings).toHaveLength(1);
    expect(merged.rows.T1?.map((row) => row.COD_ATS)).toEqual(['ATS-05-001', 'ATS-05-002', 'ATS-05-003']);
    expect(merged.rows.T2).toHaveLength(1);
    expect(merged.nextPageToken).toBeUndefined();
  });

  it('follows nextPageToken until absent, and stops on a token seen before', async () => {
    const asked: Array<string | undefined> = [];
    const result = await followConsolidatedPages<{ ok: true; body: ConsolidatedResponse } | { ok: false }>(
      async (token) => {
        asked.push(token);
        return {
          ok: true,
          body: token === undefined ? (pages[0] as ConsolidatedResponse) : (pages[1] as ConsolidatedResponse),
        };
      },
      () => ({ ok: false }),
    );
    expect(asked).toEqual([undefined, 'a']);
    expect(result.ok).toBe(true);
    const endless = await followConsolidatedPages<{ ok: true; body: ConsolidatedResponse } | { ok: false }>(
      async () => ({ ok: true, body: pages[0] as ConsolidatedResponse }),
      () => ({ ok: false }),
    );
    expect(endless.ok).toBe(false);
  });

  it('adds a rowsFromDocument ATS’s rows from its document, as an unpaged view has them', async () => {
    const big = {
      ats: 'ATS-05-002',
      period: '2025-12-31',
      sheets: {
        T1: [{ COD_ATS: 'ATS-05-002', X: 1 }, { X: 2 }],
        T2: [{ Y: 'a' }],
        T3: [{ Z: true, COD_ATS: 'ATS-05-002' }],
      },
    };
    const withAts = (ats: string, rows: Array<Record<string, unknown>>) =>
      rows.map((row) => ({ ...row, COD_ATS: ats }));
    const emptyRows = { T1: [], T2: [], T3: [], T4: [], T5: [], T6: [] };
    // What one unpaged page would hold: every ATS's rows in code order, each with COD_ATS.
    const unpaged = page({
      ats: [entry('ATS-05-001', 1), entry('ATS-05-002', 2), entry('ATS-05-003', 3)],
      rows: {
        T1: [{ COD_ATS: 'ATS-05-001', X: 0 }, ...withAts('ATS-05-002', big.sheets.T1), { COD_ATS: 'ATS-05-003', X: 3 }],
        T2: withAts('ATS-05-002', big.sheets.T2),
        T3: withAts('ATS-05-002', big.sheets.T3),
        T4: [],
        T5: [],
        T6: [],
      },
      pageAts: ['ATS-05-001', 'ATS-05-002', 'ATS-05-003'],
    });
    const paged = [
      page({
        ats: [entry('ATS-05-001', 1), entry('ATS-05-002', 0), entry('ATS-05-003', 0)],
        rows: { ...emptyRows, T1: [{ COD_ATS: 'ATS-05-001', X: 0 }] },
        pageAts: ['ATS-05-001'],
        nextPageToken: 'b',
      }),
      page({
        ats: [entry('ATS-05-002', 2)],
        rows: emptyRows,
        pageAts: [],
        rowsFromDocument: [{ ats: 'ATS-05-002', version: 1 }],
        nextPageToken: 'c',
      }),
      page({
        ats: [entry('ATS-05-003', 3)],
        rows: { ...emptyRows, T1: [{ COD_ATS: 'ATS-05-003', X: 3 }] },
        pageAts: ['ATS-05-003'],
      }),
    ];
    const byToken = new Map<string | undefined, ConsolidatedResponse>([
      [undefined, paged[0] as ConsolidatedResponse],
      ['b', paged[1] as ConsolidatedResponse],
      ['c', paged[2] as ConsolidatedResponse],
    ]);
    const asked: string[] = [];
    type Result = { ok: true; body: ConsolidatedResponse } | { ok: false; message: string };
    const follow = (document: () => { ok: true; body: unknown } | { ok: false; status: number }) =>
      followConsolidatedPages<Result>(
        async (token) => ({ ok: true, body: byToken.get(token) as ConsolidatedResponse }),
        (failure) => ({ ok: false, message: failure.message }),
        async (path) => {
          asked.push(path);
          return document();
        },
      );
    const result = await follow(() => ({ ok: true, body: JSON.parse(JSON.stringify(big)) }));
    expect(asked).toEqual(['/v1/ats/ATS-05-002/submissions/2025-12-31/document?version=1']);
    if (!result.ok) throw new Error(result.message);
    expect(result.body).toEqual(unpaged);
    expect(JSON.stringify(result.body.rows)).toBe(JSON.stringify(unpaged.rows));
    expect(mergeConsolidatedPages(paged, new Map([['ATS-05-002', big]]))).toEqual(unpaged);

    // The version is gone (404) or another (409): said in Italian, nothing merged.
    for (const status of [404, 409]) {
      const gone = await follow(() => ({ ok: false, status }));
      expect(gone).toEqual({ ok: false, message: expect.stringMatching(/ATS-05-002 è cambiata/) });
    }
    // The page names another version than the first page listed.
    byToken.set('b', { ...(paged[1] as ConsolidatedResponse), rowsFromDocument: [{ ats: 'ATS-05-002', version: 2 }] });
    const moved = await follow(() => ({ ok: true, body: big }));
    expect(moved).toEqual({ ok: false, message: expect.stringMatching(/cambiata durante la lettura/) });
  });

  it('plans whole ATS within the budget; a later page takes an oversized ATS alone, the first may hold none', () => {
    const pointers = [pointer('ATS-05-001', 1000), pointer('ATS-05-002', 1000), pointer('ATS-05-003', 10_000)];
    const each = estimatedBytes(pointer('x', 1000));
    expect(planPage(pointers, 0, each * 2).map((p) => p.ats)).toEqual(['ATS-05-001', 'ATS-05-002']);
    expect(planPage(pointers, 2, each).map((p) => p.ats)).toEqual(['ATS-05-003']);
    expect(planPage(pointers, 2, each, true)).toEqual([]);
  });

  it('binds page tokens to the Region and period', () => {
    const token = pageToken('05', '2025-12-31', 'ATS-05-007');
    expect(parsePageToken('05', '2025-12-31', token)).toEqual({ from: 'ATS-05-007' });
    for (const [region, period, text] of [
      ['06', '2025-12-31', token],
      ['05', '2024-12-31', token],
      ['05', '2025-12-31', 'rubbish'],
      ['05', '2025-12-31', ''],
      ['05', '2025-12-31', pageToken('05', '2025-12-31', 'ATS-06-001')],
    ] as const) {
      expect(() => parsePageToken(region, period, text)).toThrow(HttpError);
    }
  });
});
