import { formatEuro, formatNumber } from '../../domain/italian-format.ts';
import type { IndicatorDef } from '../../template/types.ts';
import { contributionPopulation, fteAsTi, hasStaffData, num, referenceYear, str } from '../derived.ts';
import type { NormalizedRow, NormalizedSubmission } from '../types.ts';
import { amount, formatShare, type NumberedRow, numbered, pnrrLine, sheetAccess } from './finance.ts';
import type { RuleModule } from './module.ts';

/**
 * T6 — Indicatori_LEPS (domain.md §4.7). VALORE ≥ 0 and the code lists are checked while reading cells; the rest of
 * T6.1 (whole counts, each indicator's maximum, indicator of the row's LEPS) is here.
 */

const { at, each, rowsOf } = sheetAccess('T6');

function indicatorDefs(submission: NormalizedSubmission): Map<string, IndicatorDef> {
  return new Map(submission.template.indicators.map((indicator) => [indicator.code, indicator]));
}

/** The first row of each indicator (one row per indicator is the sheet's key). */
function byIndicator(rows: readonly NumberedRow[]): Map<string, NumberedRow> {
  const found = new Map<string, NumberedRow>();
  for (const entry of rows) {
    const code = str(entry.row.COD_INDICATORE);
    if (code !== null && !found.has(code)) found.set(code, entry);
  }
  return found;
}

const indicatorValue = (entry: NumberedRow | undefined): number | null => (entry ? num(entry.row.VALORE) : null);

/** T6.2: pairs where the first indicator cannot exceed the second. */
const LINKED: ReadonlyArray<readonly [smaller: string, larger: string]> = [
  ['SUP_OPERATORI_SUPERVISIONATI', 'SUP_OPERATORI_TOT'],
  ['DIM_PAI', 'DIM_PERSONE'],
  ['ADI_PAIS_SOTTOSCRITTI', 'ADI_NUCLEI_ASSEGNATI'],
  ['PAI_REDATTI', 'UVM_VALUTAZIONI'],
];

/** T6.4: indicators that describe how a service is set up rather than what it delivered. */
const NOT_OUTPUTS: ReadonlySet<string> = new Set(['PIS_H24', 'PIS_ORE_COPERTURA_SETT', 'PIPPI_LIVELLO']);

/**
 * T6.8: the indicator that counts the persons (or families, or operators) a LEPS served, the denominator of its unit
 * cost. LEPS_SSP has none: its output is staff, checked through T3.
 */
export const UNIT_COST_INDICATOR: Readonly<Record<string, string>> = {
  LEPS_PIS: 'PIS_PERSONE',
  LEPS_SUP: 'SUP_OPERATORI_SUPERVISIONATI',
  LEPS_DIM: 'DIM_PERSONE',
  LEPS_PIPPI: 'PIPPI_FFTT',
  LEPS_RES: 'RES_ISCRITTI',
  LEPS_DDN: 'DDN_BENEFICIARI',
  LEPS_NA_DOM: 'NA_DOM_UTENTI',
  LEPS_NA_SOL: 'NA_SOL_UTENTI',
  LEPS_NA_SUP: 'NA_SUP_FAMIGLIE',
  LEPS_PUA: 'PUA_ACCESSI',
  LEPS_ADI: 'ADI_NUCLEI_ASSEGNATI',
};

/** Σ T5 LIQUIDATO per LEPS. */
function spendingByLeps(submission: NormalizedSubmission): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of submission.sheets.T5) {
    const leps = str(row.COD_LEPS);
    if (leps === null) continue;
    totals.set(leps, (totals.get(leps) ?? 0) + (amount(row, 'LIQUIDATO') ?? 0));
  }
  return totals;
}

/**
 * Percentile by linear interpolation between closest ranks, as Excel's PERCENTILE.INC computes it, so a Region's
 * analyst can reproduce the band in a spreadsheet.
 */
export function percentileInc(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, share));
  const lower = Math.floor(position);
  const below = sorted[lower] ?? Number.NaN;
  const above = sorted[Math.min(sorted.length - 1, lower + 1)] ?? below;
  return below + (above - below) * (position - lower);
}

const isPippiFunding = (row: NormalizedRow): boolean =>
  row.QUOTA === 'FNPS_PIPPI' || (row.FONDO === 'PNRR' && pnrrLine(row) === '1.1.1');

export const T6_RULES: RuleModule = {
  submission: {
    'T6.1': (context, emit) => {
      const definitions = indicatorDefs(context.submission);
      each(context, (row, number) => {
        const code = str(row.COD_INDICATORE);
        const definition = code === null ? undefined : definitions.get(code);
        if (!code || !definition) return;
        const leps = str(row.COD_LEPS);
        if (leps !== null && leps !== definition.leps) {
          emit(
            at(
              number,
              'COD_INDICATORE',
              `Valore non ammesso per l'indicatore ${code}: appartiene al LEPS ${definition.leps}, non a ${leps}.`,
            ),
          );
        }
        const value = num(row.VALORE);
        if (value === null) return;
        if (definition.integer && !Number.isInteger(value)) {
          emit(
            at(
              number,
              'VALORE',
              `Valore non ammesso per l'indicatore ${code}: è un conteggio e deve essere intero (${formatNumber(value)}).`,
            ),
          );
        }
        if (definition.max !== undefined && value > definition.max) {
          emit(
            at(
              number,
              'VALORE',
              `Valore non ammesso per l'indicatore ${code}: ${formatNumber(value)} supera il massimo ${formatNumber(definition.max)}.`,
            ),
          );
        }
      });
    },
    'T6.2': (context, emit) => {
      const found = byIndicator(rowsOf(context));
      for (const [smaller, larger] of LINKED) {
        const entry = found.get(smaller);
        const low = indicatorValue(entry);
        const high = indicatorValue(found.get(larger));
        if (!entry || low === null || high === null || low <= high) continue;
        emit(
          at(
            entry.number,
            'VALORE',
            `Incoerenza tra indicatori collegati (${smaller} ${formatNumber(low)} > ${larger} ${formatNumber(high)}).`,
          ),
        );
      }
    },
    'T6.3': (context, emit) => {
      const found = byIndicator(rowsOf(context));
      const weekHours = indicatorDefs(context.submission).get('PIS_ORE_COPERTURA_SETT')?.max ?? 168;
      const h24 = found.get('PIS_H24');
      if (h24 && indicatorValue(h24) === 0) {
        emit(
          at(
            h24.number,
            'VALORE',
            'Il LEPS Pronto intervento sociale richiede copertura h24/365: servizio h24 indicato come non attivo (0).',
          ),
        );
      }
      const hours = found.get('PIS_ORE_COPERTURA_SETT');
      const covered = indicatorValue(hours);
      if (hours && covered !== null && covered < weekHours) {
        emit(
          at(
            hours.number,
            'VALORE',
            `Il LEPS Pronto intervento sociale richiede copertura h24/365: ${formatNumber(covered)} ore settimanali su ${formatNumber(weekHours)}.`,
          ),
        );
      }
    },
    'T6.4': (context, emit) => {
      const { submission } = context;
      if (submission.sheets.T5.length === 0 || submission.sheets.T6.length === 0) return;
      const spending = spendingByLeps(submission);
      const indicators = rowsOf(context);
      const outputs = (leps: string): NumberedRow[] =>
        indicators.filter(
          ({ row }) => row.COD_LEPS === leps && !NOT_OUTPUTS.has(str(row.COD_INDICATORE) ?? '') && row.VALORE != null,
        );
      const lepsCodes = new Set<string>([
        ...spending.keys(),
        ...indicators.map(({ row }) => str(row.COD_LEPS)).filter((code) => code !== null),
      ]);
      for (const leps of lepsCodes) {
        // SSP's output is its staff (T3, T6.5); NON_LEPS has no indicators by definition.
        if (leps === 'LEPS_SSP' || leps === 'NON_LEPS') continue;
        const spent = spending.get(leps) ?? 0;
        const served = outputs(leps).filter(({ row }) => (num(row.VALORE) ?? 0) > 0);
        if (spent > 0 && served.length === 0) {
          const first = numbered(submission.sheets.T5).find(
            ({ row }) => row.COD_LEPS === leps && (amount(row, 'LIQUIDATO') ?? 0) > 0,
          );
          emit({
            sheet: 'T5',
            row: first?.number ?? null,
            column: first ? 'LIQUIDATO' : null,
            message: `Spesa senza utenti per il LEPS ${leps}: liquidati ${formatEuro(spent)}, indicatori di risultato assenti o a zero nel foglio Indicatori.`,
          });
        } else if (spent <= 0 && served.length > 0) {
          const first = served[0];
          emit(
            at(
              first?.number ?? null,
              first ? 'VALORE' : null,
              `Utenti senza spesa per il LEPS ${leps}: indicatori valorizzati ma nessun liquidato nel foglio Spesa per LEPS.`,
            ),
          );
        }
      }
    },
    'T6.5': (context, emit) => {
      const { submission, params } = context;
      const year = referenceYear(submission);
      if (!hasStaffData(submission, 'CONSUNTIVO', year)) return;
      const fte = fteAsTi(submission, params, 'CONSUNTIVO', year);
      const population = contributionPopulation(submission);
      const found = byIndicator(rowsOf(context));
      const typedFte = found.get('SSP_FTE_AS');
      const fteValue = indicatorValue(typedFte);
      if (typedFte && fteValue !== null && Math.abs(fteValue - fte) > params.fteTolerance + 1e-9) {
        emit(
          at(
            typedFte.number,
            'VALORE',
            `Dato FTE da compilare nel foglio Personale: indicati ${formatNumber(fteValue)} FTE, dal foglio Personale risultano ${formatNumber(Math.round(fte * 100) / 100)} FTE.`,
          ),
        );
      }
      const typedRatio = found.get('SSP_ABITANTI_PER_AS');
      const ratio = indicatorValue(typedRatio);
      if (!typedRatio || ratio === null || fte <= 0 || population <= 0) return;
      // Accept any value an FTE within tolerance would give, and rounding to a whole number of inhabitants.
      const lowest = population / (fte + params.fteTolerance) - 0.5;
      const highest = fte > params.fteTolerance ? population / (fte - params.fteTolerance) + 0.5 : Infinity;
      if (ratio >= lowest && ratio <= highest) return;
      emit(
        at(
          typedRatio.number,
          'VALORE',
          `Dato da compilare nel foglio Personale: indicati ${formatNumber(ratio)} abitanti per assistente sociale, calcolati ${formatNumber(Math.round(population / fte))} (${formatNumber(population)} abitanti, ${formatNumber(Math.round(fte * 100) / 100)} FTE).`,
        ),
      );
    },
    'T6.6': (context, emit) => {
      const { submission } = context;
      if (submission.sheets.T6.length === 0) return;
      const funded =
        submission.sheets.T4.some((row) => isPippiFunding(row) && (amount(row, 'IMPORTO_ASSEGNATO') ?? 0) > 0) ||
        submission.sheets.T5.some((row) => isPippiFunding(row) && (amount(row, 'IMPEGNATO') ?? 0) > 0);
      if (!funded) return;
      const families = byIndicator(rowsOf(context)).get('PIPPI_FFTT');
      const value = indicatorValue(families);
      if (families && value !== null && value > 0) return;
      emit(
        at(
          families?.number ?? null,
          families ? 'VALORE' : null,
          `Programma P.I.P.P.I. finanziato ma nessuna famiglia target: PIPPI_FFTT ${families && value !== null ? 'pari a 0' : 'non indicato'}.`,
        ),
      );
    },
    'T6.7': (context, emit) => {
      const { previousAnnual: previous, params } = context;
      if (!previous) return;
      const definitions = indicatorDefs(context.submission);
      const before = byIndicator(numbered(previous.sheets.T6));
      for (const [code, entry] of byIndicator(rowsOf(context))) {
        if (!definitions.get(code)?.integer) continue;
        const now = indicatorValue(entry);
        const then = indicatorValue(before.get(code));
        if (now === null || then === null || then <= params.indicatorChangeMinCount) continue;
        const change = Math.abs(now - then) / then;
        if (change <= params.indicatorChangeWarning) continue;
        emit(
          at(
            entry.number,
            'VALORE',
            `Variazione anomala rispetto all'anno precedente per ${code}: ${formatNumber(then)} → ${formatNumber(now)} (${now > then ? '+' : '−'}${formatShare(change)}).`,
          ),
        );
      }
    },
  },
  regional: {
    'T6.8': (context, emit) => {
      const { params } = context;
      for (const [leps, indicator] of Object.entries(UNIT_COST_INDICATOR)) {
        const costs: Array<{ ats: string; cost: number; row: number }> = [];
        for (const submission of context.submissions) {
          const spent = spendingByLeps(submission).get(leps) ?? 0;
          const entry = byIndicator(numbered(submission.sheets.T6)).get(indicator);
          const persons = indicatorValue(entry);
          if (!entry || persons === null || persons <= 0 || spent <= 0) continue;
          costs.push({ ats: submission.ats, cost: spent / persons, row: entry.number });
        }
        if (costs.length < params.unitCostMinAts) continue;
        const sorted = costs.map((entry) => entry.cost).sort((left, right) => left - right);
        const low = percentileInc(sorted, params.unitCostBand.low);
        const high = percentileInc(sorted, params.unitCostBand.high);
        const band = `P${formatNumber(params.unitCostBand.low * 100)}–P${formatNumber(params.unitCostBand.high * 100)}`;
        for (const entry of costs) {
          if (entry.cost >= low && entry.cost <= high) continue;
          emit({
            ...at(
              entry.row,
              'VALORE',
              `Costo unitario fuori dall'intervallo regionale per il LEPS ${leps}: ${formatEuro(entry.cost)} per unità di ${indicator}, intervallo ${band} della Regione ${formatEuro(low)}–${formatEuro(high)} (${costs.length} Ambiti).`,
            ),
            ats: entry.ats,
          });
        }
      }
    },
  },
};
