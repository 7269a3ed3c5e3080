import { contributionOf } from '../checks/derived.ts';
import { toNormalized } from '../checks/engine.ts';
import { type CheckParams, DEFAULT_PARAMS } from '../checks/params.ts';
import type { ConsolidatedAts, ConsolidatedResponse } from '../contract/api.ts';
import { parseSubmission } from '../contract/submission.ts';
import { socialWorkerContribution } from '../domain/contribution.ts';
import { SHEET_IDS, type TemplateDef } from '../template/types.ts';
import { type Cell, empty, number, TEXT_FORMAT, text, withStyle } from './cells.ts';
import type { ChartSpec, ColumnSpec, SheetModel } from './model.ts';

/**
 * "Sintesi": per ATS the population, the FTE of social workers a tempo indeterminato, inhabitants per social worker
 * against the three thresholds of L. 178/2020 c. 797, the contribution it computes to, and per fund the shares
 * impegnato/assegnato and liquidato/impegnato; below, spending by LEPS for the whole Region. Two native charts draw
 * from these two tables.
 */

export const SUMMARY_SHEET = 'Sintesi';

export interface SummaryOptions {
  readonly params?: CheckParams;
}

const POPULATION_FORMAT = '#,##0';
const FTE_FORMAT = '0.00';
const EURO_FORMAT = '#,##0.00';
const SHARE_FORMAT = '0.0%';

type Row = Readonly<Record<string, unknown>>;

const numeric = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const code = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export interface AtsFigures {
  readonly population: number;
  readonly fte: number;
  readonly contribution: number;
}

/** The figures the backend sent, or the same computation over the ATS's rows when it sent none. */
export function atsFigures(
  entry: ConsolidatedAts,
  rowsOf: (sheet: (typeof SHEET_IDS)[number]) => readonly Row[],
  template: TemplateDef,
  period: string,
  params: CheckParams,
): AtsFigures | null {
  if (entry.summary) {
    return {
      population: entry.summary.population,
      fte: entry.summary.fteAsTi,
      contribution: entry.summary.contribution,
    };
  }
  if (!entry.submitted) return null;
  const sheets = Object.fromEntries(SHEET_IDS.map((sheet) => [sheet, rowsOf(sheet)]));
  const parsed = parseSubmission({
    template: template.id,
    templateVersion: entry.receipt?.templateVersion ?? template.version,
    ats: entry.ats,
    period,
    sheets,
  });
  if (!parsed.ok) return null;
  const normalized = toNormalized(parsed.submission);
  if (!normalized) return null;
  const computed = contributionOf(normalized, params);
  return { population: computed.population, fte: computed.fte, contribution: computed.contribution };
}

/** "6.500": Italian grouping even for four digits, which Intl's it-IT leaves ungrouped. */
const thousands = (value: number): string => String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** Which threshold the ATS reaches, in words. */
export function thresholdLevel(population: number, fte: number, params: CheckParams): string {
  if (population <= 0) return 'Popolazione non indicata';
  const bands = socialWorkerContribution(population, fte, params.contribution);
  const ratio = (value: number): string => `1:${thousands(value)}`;
  if (fte >= bands.targetFte) return `Obiettivo raggiunto (${ratio(params.contribution.targetRatio)})`;
  if (fte >= bands.lepFte) return `LEP raggiunto (${ratio(params.contribution.lepRatio)})`;
  if (fte > bands.minimumFte) return `Sopra la soglia minima (${ratio(params.contribution.minimumRatio)})`;
  return `Sotto la soglia minima (${ratio(params.contribution.minimumRatio)})`;
}

interface FundTotals {
  assegnato: number;
  impegnato: number;
  liquidato: number;
}

/** A share, or an empty cell when the denominator is zero (no fund, nothing committed). */
const share = (numerator: number, denominator: number): Cell =>
  denominator > 0 ? number(numerator / denominator, SHARE_FORMAT) : empty(SHARE_FORMAT);

function groupByAts(rows: readonly Row[]): Map<string, Row[]> {
  const byAts = new Map<string, Row[]>();
  for (const row of rows) {
    const ats = code(row.COD_ATS) ?? '';
    const list = byAts.get(ats) ?? [];
    list.push(row);
    byAts.set(ats, list);
  }
  return byAts;
}

/** Codes that occur in the rows, in the code list's order (unknown codes last, alphabetically). */
function presentCodes(rows: readonly Row[], column: string, order: readonly string[]): string[] {
  const present = new Set<string>();
  for (const row of rows) {
    const value = code(row[column]);
    if (value !== null) present.add(value);
  }
  const known = order.filter((entry) => present.has(entry));
  const unknown = [...present].filter((entry) => !order.includes(entry)).sort();
  return [...known, ...unknown];
}

export function buildSummarySheet(
  response: ConsolidatedResponse,
  entries: readonly ConsolidatedAts[],
  template: TemplateDef,
  options: SummaryOptions = {},
): SheetModel {
  const params = options.params ?? DEFAULT_PARAMS;
  const ratios = params.contribution;
  const bySheet = new Map(SHEET_IDS.map((sheet) => [sheet, groupByAts(response.rows[sheet] ?? [])]));
  const rowsOf =
    (ats: string) =>
    (sheet: (typeof SHEET_IDS)[number]): readonly Row[] =>
      bySheet.get(sheet)?.get(ats) ?? [];

  const t4 = response.rows.T4 ?? [];
  const funds = presentCodes(
    t4,
    'FONDO',
    template.codeLists.FONDO.values.map((entry) => entry.code),
  );

  const headers: Array<[string, number]> = [
    ['COD_ATS', 14],
    ['Denominazione', 32],
    ['Popolazione', 12],
    ['FTE AS tempo indeterminato', 14],
    [`FTE soglia 1:${thousands(ratios.minimumRatio)}`, 14],
    [`FTE soglia 1:${thousands(ratios.lepRatio)} (LEP)`, 14],
    [`FTE soglia 1:${thousands(ratios.targetRatio)} (obiettivo)`, 14],
    ['Abitanti per AS', 12],
    ['Livello raggiunto', 30],
    ['Contributo AS calcolato (€)', 16],
  ];
  for (const fund of funds) {
    headers.push([`${fund} impegnato/assegnato`, 14], [`${fund} liquidato/impegnato`, 14]);
  }
  const width = headers.length;
  const pad = (cells: Cell[]): Cell[] => [...cells, ...Array.from({ length: width - cells.length }, () => empty())];

  const rows: Cell[][] = [headers.map(([title]) => text(title, 'header'))];
  for (const entry of entries) {
    const figures = atsFigures(entry, rowsOf(entry.ats), template, response.period, params);
    const name = entry.name === null ? empty(TEXT_FORMAT) : text(entry.name);
    if (figures === null) {
      rows.push(pad([text(entry.ats), name, text('Nessun invio')]).map((cell) => withStyle(cell, 'missing')));
      continue;
    }
    const bands = socialWorkerContribution(figures.population, figures.fte, ratios);
    const cells: Cell[] = [
      text(entry.ats),
      name,
      number(figures.population, POPULATION_FORMAT),
      number(figures.fte, FTE_FORMAT),
      number(bands.minimumFte, FTE_FORMAT),
      number(bands.lepFte, FTE_FORMAT),
      number(bands.targetFte, FTE_FORMAT),
      figures.fte > 0 ? number(figures.population / figures.fte, POPULATION_FORMAT) : empty(POPULATION_FORMAT),
      text(thresholdLevel(figures.population, figures.fte, params), figures.fte > bands.minimumFte ? 'ok' : 'warning'),
      number(figures.contribution, EURO_FORMAT),
    ];
    const totals = new Map<string, FundTotals>();
    for (const row of rowsOf(entry.ats)('T4')) {
      const fund = code(row.FONDO);
      if (fund === null) continue;
      const sum = totals.get(fund) ?? { assegnato: 0, impegnato: 0, liquidato: 0 };
      sum.assegnato += numeric(row.IMPORTO_ASSEGNATO);
      sum.impegnato += numeric(row.IMPORTO_IMPEGNATO);
      sum.liquidato += numeric(row.IMPORTO_LIQUIDATO);
      totals.set(fund, sum);
    }
    for (const fund of funds) {
      const sum = totals.get(fund);
      cells.push(
        sum ? share(sum.impegnato, sum.assegnato) : empty(SHARE_FORMAT),
        sum ? share(sum.liquidato, sum.impegnato) : empty(SHARE_FORMAT),
      );
    }
    rows.push(cells);
  }
  const atsLastRow = rows.length - 1;

  // Spending by LEPS over the whole Region, two rows below the ATS table.
  const t5 = response.rows.T5 ?? [];
  const lepsOrder = template.codeLists.LEPS.values;
  const lepsCodes = presentCodes(
    t5,
    'COD_LEPS',
    lepsOrder.map((entry) => entry.code),
  );
  rows.push(pad([]));
  const lepsHeaderRow = rows.length;
  rows.push(
    pad([
      text('COD_LEPS', 'header'),
      text('LEPS', 'header'),
      text('Impegnato (€)', 'header'),
      text('Liquidato (€)', 'header'),
    ]),
  );
  const lepsTotals = new Map<string, { impegnato: number; liquidato: number }>();
  for (const row of t5) {
    const leps = code(row.COD_LEPS);
    if (leps === null) continue;
    const sum = lepsTotals.get(leps) ?? { impegnato: 0, liquidato: 0 };
    sum.impegnato += numeric(row.IMPEGNATO);
    sum.liquidato += numeric(row.LIQUIDATO);
    lepsTotals.set(leps, sum);
  }
  for (const leps of lepsCodes) {
    const sum = lepsTotals.get(leps) ?? { impegnato: 0, liquidato: 0 };
    const label = lepsOrder.find((entry) => entry.code === leps)?.label ?? leps;
    rows.push(pad([text(leps), text(label), number(sum.impegnato, EURO_FORMAT), number(sum.liquidato, EURO_FORMAT)]));
  }
  const lepsLastRow = rows.length - 1;

  const charts: ChartSpec[] = [];
  const chartColumn = width + 1;
  if (atsLastRow >= 1) {
    charts.push({
      title: 'Assistenti sociali (FTE) per Ambito e soglie di legge',
      type: 'columnClustered',
      data: { firstRow: 0, lastRow: atsLastRow, firstColumn: 3, lastColumn: 6 },
      categories: { firstRow: 1, lastRow: atsLastRow, firstColumn: 0, lastColumn: 0 },
      lineSeries: [1, 2, 3],
      anchor: { row: 0, column: chartColumn },
      size: { rows: 20, columns: 10 },
    });
  }
  if (lepsLastRow > lepsHeaderRow) {
    charts.push({
      title: 'Spesa per LEPS (impegnato e liquidato)',
      type: 'barClustered',
      data: { firstRow: lepsHeaderRow, lastRow: lepsLastRow, firstColumn: 2, lastColumn: 3 },
      categories: { firstRow: lepsHeaderRow + 1, lastRow: lepsLastRow, firstColumn: 1, lastColumn: 1 },
      lineSeries: [],
      anchor: { row: 22, column: chartColumn },
      size: { rows: 20, columns: 10 },
    });
  }

  const columns: ColumnSpec[] = headers.map(([, columnWidth]) => ({ width: columnWidth }));
  return { name: SUMMARY_SHEET, role: 'summary', columns, rows, marks: [], charts, freezeRows: 1 };
}
