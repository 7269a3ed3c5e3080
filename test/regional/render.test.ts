import { describe, expect, it } from 'vitest';
import {
  consolidate,
  loadArticulation,
  type RegionalDeps,
  registerArticulation,
  reviewSelected,
} from '../../addin/regional/actions.ts';
import type { ApiResult, RegionalApi, RegisteredAtsEntry } from '../../addin/regional/api.ts';
import { commandBytes, planCommands, renderWorkbook } from '../../addin/regional/render.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import {
  buildConsolidatedWorkbook,
  FINDINGS_SHEET,
  STATUS_SHEET,
  SUMMARY_SHEET,
} from '../../shared/consolidation/index.ts';
import type { ConsolidatedResponse, RegionAtsBody, ReviewBody } from '../../shared/contract/api.ts';
import { PERIOD } from '../support/builders.ts';
import { officeRequestMeter } from '../support/office-request.ts';
import { EXCEL_WEB_PAYLOAD_LIMIT } from '../support/request-meter.ts';
import { FakeWorkbook } from './fake-host.ts';
import { atsCode, belluno, consolidated, demoRegion, HOSTILE_STRINGS, REGION } from './support.ts';

const comuni = loadComuni();

function hostileResponse(): ConsolidatedResponse {
  const rows = belluno(atsCode(0));
  rows.T5 = rows.T5.map((row, index) => ({ ...row, NOTE: HOSTILE_STRINGS[index] ?? null }));
  rows.T6 = rows.T6.map((row, index) => ({ ...row, NOTE: HOSTILE_STRINGS[index + 3] ?? null }));
  rows.T1 = rows.T1.map((row) => ({ ...row, DENOMINAZIONE_ATS: '=HYPERLINK("http://x","y")', POPOLAZIONE_TOT: '-1' }));
  return consolidated(
    [
      { ats: atsCode(0), rows },
      {
        ats: atsCode(1),
        findings: [
          { rule: 'T5.9', severity: 'warning', sheet: 'T5', row: 1, column: 'MODALITA', message: '=1+1', ref: '@x' },
        ],
      },
    ],
    [atsCode(2)],
    [
      {
        rule: 'T2.5',
        severity: 'error',
        sheet: 'T2',
        row: 2,
        column: 'COD_ISTAT_COMUNE',
        message: '+ comune doppio',
        ref: 'r',
        ats: atsCode(1),
      },
    ],
  );
}

describe('drawing the consolidated workbook in Excel', () => {
  it('writes every sheet, and hostile strings read back as the same text, never as formulas', async () => {
    const workbook = new FakeWorkbook();
    const model = buildConsolidatedWorkbook(hostileResponse());
    const report = await renderWorkbook(workbook.run, model, { notes: true });
    expect(workbook.sheets.map((sheet) => sheet.name)).toEqual(['Foglio1', ...model.sheets.map((sheet) => sheet.name)]);
    expect(report.syncs).toBe(workbook.syncs);
    expect(report.syncs).toBe(2);

    const t5 = workbook.read('T5_Spesa_LEPS', 'A1:Q4');
    const noteColumn = t5[0]?.indexOf('NOTE') ?? -1;
    expect(noteColumn).toBeGreaterThan(0);
    expect(t5.slice(1).map((row) => row[noteColumn])).toEqual(HOSTILE_STRINGS.slice(0, 3));
    const t6 = workbook.read('T6_Indicatori_LEPS', 'A1:J7');
    const t6Note = t6[0]?.indexOf('NOTE') ?? -1;
    expect(t6.slice(1).map((row) => row[t6Note])).toEqual(HOSTILE_STRINGS.slice(3, 9));

    const t1 = workbook.read('T1_ATS_Anagrafica', 'A1:AZ2');
    const header = t1[0] ?? [];
    expect(t1[1]?.[header.indexOf('DENOMINAZIONE_ATS')]).toBe('=HYPERLINK("http://x","y")');
    expect(t1[1]?.[header.indexOf('POPOLAZIONE_TOT')]).toBe('-1');
    // Numbers stay numbers, codes keep their zeros.
    const t2 = workbook.read('T2_ATS_Comuni', 'A1:J2');
    expect(t2[1]?.slice(0, 2)).toEqual([atsCode(0), '025001']);
    expect(t2[1]?.[5]).toBe(4019);
    expect(workbook.cell('T2_ATS_Comuni', 'B2')?.format).toBe('@');

    // Every cell anywhere: no formula was created from submitted data.
    for (const sheet of workbook.sheets) {
      for (const cell of sheet.cells.values()) expect(cell.formula).toBeNull();
    }
    // The findings sheet shows hostile messages as text, and the note carries the message.
    const findings = workbook.read(FINDINGS_SHEET, 'A1:J4').flat();
    expect(findings).toContain('=1+1');
    expect(findings).toContain('+ comune doppio');
    expect([...(workbook.sheets.find((sheet) => sheet.name === 'T5_Spesa_LEPS')?.notes.values() ?? [])]).toEqual([
      'T5.9: =1+1',
    ]);
  });

  it('shows the missing ATS and the marked cells in colour, and draws the two charts', async () => {
    const workbook = new FakeWorkbook();
    await renderWorkbook(workbook.run, buildConsolidatedWorkbook(hostileResponse()));
    const status = workbook.read(STATUS_SHEET, 'A1:L4');
    expect(status.map((row) => row[3])).toEqual(['Inviato', 'Sì', 'Sì', 'NO — mancante']);
    expect(workbook.cell(STATUS_SHEET, 'A4')?.fill).toBe('#F8CBAD');
    expect(workbook.cell(STATUS_SHEET, 'A2')?.fill).toBeNull();
    // T2.5 on ATS 2's second comune: T2 row 1 + 4 rows of ATS 1 + 2 → sheet row 7, column B.
    expect(workbook.cell('T2_ATS_Comuni', 'B7')?.fill).toBe('#FDE7E9');
    // T5.9 on ATS 2's first T5 row: 1 + 3 + 1 → row 5.
    const t5Header = workbook.read('T5_Spesa_LEPS', 'A1:Q1')[0] ?? [];
    const modalita = String.fromCharCode(65 + t5Header.indexOf('MODALITA'));
    expect(workbook.cell('T5_Spesa_LEPS', `${modalita}5`)?.fill).toBe('#FFF4CE');

    const summary = workbook.sheet(SUMMARY_SHEET);
    expect(summary.charts.map((chart) => [chart.type, chart.source, chart.categories, chart.seriesTypes])).toEqual([
      ['ColumnClustered', 'D1:G4', ['A2:A4', 'A2:A4', 'A2:A4', 'A2:A4'], [null, 'Line', 'Line', 'Line']],
      ['BarClustered', 'C6:D9', ['B7:B9', 'B7:B9'], [null, null]],
    ]);
    expect(summary.charts[0]?.title).toBe('Assistenti sociali (FTE) per Ambito e soglie di legge');
    expect(workbook.read(SUMMARY_SHEET, 'C6:D6')).toEqual([['Impegnato (€)', 'Liquidato (€)']]);
    expect(summary.frozenRows).toBe(1);
  });

  it('replaces the sheets of an earlier pull, even when they are the only sheets of the workbook', async () => {
    const workbook = new FakeWorkbook([STATUS_SHEET]);
    workbook.sheet(STATUS_SHEET).cells.set('50,50', { value: 'vecchio', format: 'General', formula: null, fill: null });
    const model = buildConsolidatedWorkbook(consolidated([{ ats: atsCode(0) }]));
    await renderWorkbook(workbook.run, model);
    await renderWorkbook(workbook.run, model);
    expect(workbook.sheets.map((sheet) => sheet.name)).toEqual(model.sheets.map((sheet) => sheet.name));
    expect(workbook.read(STATUS_SHEET, 'AY51')).toEqual([['']]);
    expect(workbook.sheet(SUMMARY_SHEET).charts).toHaveLength(2);
  });

  it('draws a period nobody submitted: every sheet with its header, no chart on empty data', async () => {
    const workbook = new FakeWorkbook();
    const model = buildConsolidatedWorkbook(consolidated([], [atsCode(0), atsCode(1)]));
    await renderWorkbook(workbook.run, model);
    expect(workbook.read(STATUS_SHEET, 'A2:D3')).toEqual([
      [atsCode(0), `Ambito sintetico ${atsCode(0)}`, 'Sì', 'NO — mancante'],
      [atsCode(1), `Ambito sintetico ${atsCode(1)}`, 'Sì', 'NO — mancante'],
    ]);
    expect(workbook.read('T4_Quadro_Fondi', 'A1:A2')).toEqual([['COD_ATS'], ['']]);
    // The thresholds chart still shows the two ATS (without figures); spending by LEPS has no data and no chart.
    expect(workbook.sheet(SUMMARY_SHEET).charts.map((chart) => chart.type)).toEqual(['ColumnClustered']);
  });

  it('pulls 100 ATS of realistic size in at most three syncs, every request under 5 MB as Office.js sends it', async () => {
    const response = demoRegion(100);
    const model = buildConsolidatedWorkbook(response);
    const workbook = new FakeWorkbook(['Foglio1'], { meter: officeRequestMeter() });
    const report = await renderWorkbook(workbook.run, model, { notes: true });
    expect(workbook.syncs).toBeLessThanOrEqual(3);
    expect(report.syncs).toBe(workbook.syncs);
    expect(Math.max(...workbook.requestBytes)).toBeLessThanOrEqual(EXCEL_WEB_PAYLOAD_LIMIT);
    // The plan's bound is an upper bound of what Office.js sent, request by request, and not far above it.
    report.requestBytes.forEach((bound, index) => {
      const sent = workbook.requestBytes[index + 1] ?? 0;
      expect(bound).toBeGreaterThanOrEqual(sent);
      expect(bound).toBeLessThanOrEqual(sent * 1.3);
    });
    const codes = response.ats.map((entry) => entry.ats).sort();
    expect(workbook.read(STATUS_SHEET, 'A101:A101')).toEqual([[codes[99]]]);
    const t3 = response.rows.T3 ?? [];
    expect(workbook.read('T3_Personale_SS', `A${t3.length + 1}:B${t3.length + 2}`)).toEqual([
      [t3[t3.length - 1]?.COD_ATS, t3[t3.length - 1]?.ANNO_RIF],
      ['', ''],
    ]);
  });

  it('splits the writes into as many requests as the budget needs, each under it (600 ATS: npm run bench)', async () => {
    const model = buildConsolidatedWorkbook(
      consolidated(Array.from({ length: 30 }, (_, index) => ({ ats: atsCode(index) }))),
    );
    const budget = 64 * 1024;
    const workbook = new FakeWorkbook();
    const report = await renderWorkbook(workbook.run, model, { maxRequestBytes: budget, maxBlockBytes: 16 * 1024 });
    expect(report.syncs).toBe(workbook.syncs);
    expect(report.syncs).toBeGreaterThan(3);
    expect(Math.max(...workbook.requestBytes)).toBeLessThanOrEqual(budget);
    expect(Math.max(...report.requestBytes)).toBeLessThanOrEqual(budget);
    expect(workbook.read(STATUS_SHEET, 'A31')).toEqual([[atsCode(29)]]);
    expect(workbook.read('T3_Personale_SS', 'A301')).toEqual([[atsCode(29)]]);
    expect(Math.max(...planCommands(model, new Set(), { maxBlockBytes: 16 * 1024 }).map(commandBytes))).toBeLessThan(
      20 * 1024,
    );
  });
});

interface Calls {
  reviews: Array<{ ats: string; period: string; body: ReviewBody }>;
  puts: Array<{ region: string; ats: string; body: RegionAtsBody }>;
}

/** An API double for the Excel-side tests; the browser test runs the same flow against the real local stack. */
function stubApi(
  response: ConsolidatedResponse,
  reviewStatus: number,
  registered: RegisteredAtsEntry[] = [],
): { api: RegionalApi; calls: Calls } {
  const calls: Calls = { reviews: [], puts: [] };
  const api: RegionalApi = {
    consolidated: async () => ({ ok: true, status: 200, body: response }),
    review: async (ats, period, body): Promise<ApiResult<unknown>> => {
      calls.reviews.push({ ats, period, body });
      return reviewStatus === 200
        ? { ok: true, status: 200, body: {} }
        : { ok: false, status: reviewStatus, message: 'La versione indicata non è quella corrente.' };
    },
    listAts: async () => ({ ok: true, status: 200, body: registered }),
    putAts: async (region, ats, body) => {
      calls.puts.push({ region, ats, body });
      return { ok: true, status: 201, body: {} };
    },
  };
  return { api, calls };
}

function deps(workbook: FakeWorkbook, api: RegionalApi): RegionalDeps {
  return { api, excel: workbook.run, comuni: async () => comuni };
}

describe('the Region panel actions in Excel', () => {
  const response = consolidated([{ ats: atsCode(0), version: 2 }, { ats: atsCode(1) }], [atsCode(2)]);

  it('consolidates, then approves the selected ATS for the version shown', async () => {
    const workbook = new FakeWorkbook();
    const regionWide = {
      rule: 'T5.7',
      severity: 'error' as const,
      sheet: 'T5' as const,
      row: null,
      column: null,
      message: 'Quota FNPS per infanzia e adolescenza inferiore al 50% a livello regionale.',
      ref: 'r',
    };
    const { api, calls } = stubApi({ ...response, findings: [regionWide] }, 200);
    const result = await consolidate(deps(workbook, api), REGION, PERIOD);
    expect(result).toMatchObject({
      ok: true,
      message: `Consolidati 3 Ambiti per il periodo ${PERIOD}: 2 inviati, 1 mancante, 0 con errori, 1 rilievo regionale.`,
      details: ['Errore T5.7: Quota FNPS per infanzia e adolescenza inferiore al 50% a livello regionale.'],
    });
    expect(workbook.read(FINDINGS_SHEET, 'A2:I2')[0]?.slice(6)).toEqual(['T5.7', 'Errore', regionWide.message]);
    workbook.selection = { sheet: STATUS_SHEET, address: 'C2' };
    const review = await reviewSelected(deps(workbook, api), PERIOD, 'approve', '');
    expect(review).toEqual({ ok: true, message: `Versione 2 dell'Ambito ${atsCode(0)} approvata.` });
    expect(calls.reviews).toEqual([
      { ats: atsCode(0), period: PERIOD, body: { decision: 'approve', comment: null, version: 2 } },
    ]);
    expect(workbook.read(STATUS_SHEET, 'F2')).toEqual([['Approvata dalla Regione']]);
  });

  it('reports a stale version clearly and changes nothing', async () => {
    const workbook = new FakeWorkbook();
    const { api, calls } = stubApi(response, 409);
    await consolidate(deps(workbook, api), REGION, PERIOD);
    workbook.selection = { sheet: STATUS_SHEET, address: 'B3' };
    const review = await reviewSelected(deps(workbook, api), PERIOD, 'reject', 'Dati T4 incompleti');
    expect(review.ok).toBe(false);
    expect(review.message).toMatch(/^La versione 1 dell'Ambito ATS-05-002 non è più quella corrente/);
    expect(calls.reviews[0]?.body).toEqual({ decision: 'reject', comment: 'Dati T4 incompleti', version: 1 });
    expect(workbook.read(STATUS_SHEET, 'F3')).toEqual([['Inviata, in attesa di esame della Regione']]);
  });

  it('does not send a decision for a missing ATS or from another sheet', async () => {
    const workbook = new FakeWorkbook();
    const { api, calls } = stubApi(response, 200);
    await consolidate(deps(workbook, api), REGION, PERIOD);
    workbook.selection = { sheet: STATUS_SHEET, address: 'A4' };
    expect((await reviewSelected(deps(workbook, api), PERIOD, 'approve', '')).message).toBe(
      `L'Ambito ${atsCode(2)} non ha inviato dati per il periodo: non c'è nulla da esaminare.`,
    );
    workbook.selection = { sheet: SUMMARY_SHEET, address: 'A2' };
    expect((await reviewSelected(deps(workbook, api), PERIOD, 'approve', '')).ok).toBe(false);
    expect(calls.reviews).toEqual([]);
  });

  it('downloads the articulation, and registers it again from the sheet with the errors marked', async () => {
    const workbook = new FakeWorkbook();
    const registered = [
      { ats: 'ATS-05-001', name: '=Ambito', comuni: ['025006', '025001'], enteGestoreCf: '00100060250' },
    ];
    const { api, calls } = stubApi(response, 200, registered);
    expect(await loadArticulation(deps(workbook, api), REGION)).toEqual({
      ok: true,
      message: 'Articolazione della Regione 05: 1 Ambito registrato.',
    });
    expect(workbook.read('Articolazione', 'A1:E3')).toEqual([
      ['COD_ATS', 'DENOMINAZIONE_ATS', 'COD_ISTAT_COMUNE', 'DENOMINAZIONE_COMUNE', 'ENTE_GESTORE_CF'],
      ['ATS-05-001', '=Ambito', '025006', 'Belluno', '00100060250'],
      ['ATS-05-001', '=Ambito', '025001', 'Agordo', '00100060250'],
    ]);
    // The reviewer adds an ATS and makes one mistake.
    const sheet = workbook.sheet('Articolazione');
    const put = (row: number, values: string[]): void => {
      values.forEach((value, column) => {
        sheet.cells.set(`${row},${column}`, { value, format: '@', formula: null, fill: null });
      });
    };
    put(3, ['ATS-05-002', 'Ambito di Feltre', '025021', '', '']);
    put(4, ['ATS-05-003', 'Ambito di Torino', '001272', '', '']);
    const result = await registerArticulation(deps(workbook, api), REGION);
    expect(result.ok).toBe(false);
    expect(result.message).toBe('2 Ambiti registrati, 1 Ambito non inviato per errori nel foglio.');
    expect(result.details).toContain(
      'Errore: Riga 5: il comune 001272 Torino è in Piemonte (01), non nella Regione 05.',
    );
    expect(calls.puts).toEqual([
      {
        region: REGION,
        ats: 'ATS-05-001',
        body: { name: '=Ambito', comuni: ['025006', '025001'], enteGestoreCf: '00100060250' },
      },
      { region: REGION, ats: 'ATS-05-002', body: { name: 'Ambito di Feltre', comuni: ['025021'] } },
    ]);
    expect(workbook.cell('Articolazione', 'A5')?.fill).toBe('#FDE7E9');
  });
});
