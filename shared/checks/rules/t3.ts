import { daysInYear, formatEuro, formatItalianDate, formatNumber } from '../../domain/italian-format.ts';
import {
  contributionOf,
  fteAsTi,
  fullTimeHoursOf,
  hasStaffData,
  num,
  referenceYear,
  type StaffRowDerived,
  staffRows,
  str,
  t1Row,
} from '../derived.ts';
import type { CheckParams } from '../params.ts';
import type { CheckContext, FindingInput, NormalizedRow, NormalizedSubmission } from '../types.ts';
import type { RuleModule } from './module.ts';

/**
 * T3 — Personale_Servizio_Sociale (domain.md §4.4, verify.md §1.3). The spec's "summary block" (FTE_AS_TI, the
 * contribution, the SIOSS figure, the certification flag) lives in T1 in this template, so the checks about the
 * totals are reported on T1 row 1. Column-level problems (ORE_SETT ≤ 0, missing dates, codes) are reported while
 * reading cells (normalize.ts) and not repeated here.
 */

/** The contribution is rounded to the cent (R-AS-1): a typed amount may differ by rounding only. */
const CENT = 0.01;
/** Float noise on sums of pro-rata FTE must not turn an equality into a finding. */
const EPSILON = 1e-9;
const CF = /^\d{11}$/;
/** Employers outside the comuni and the ente gestore that the spec admits by type (T3.2). */
const EMPLOYERS_ADMITTED_BY_TYPE = new Set(['ENTE_STRUMENTALE', 'ASL_DELEGA_RIMBORSO']);

const dateText = (iso: string): string => formatItalianDate(iso);
/** "1:6.500" as the law writes it: Italian number format leaves four-digit numbers ungrouped. */
const ratioText = (ratio: number): string => `1:${String(Math.round(ratio)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;

const summaryAt = (column: string, message: string): FindingInput => ({ sheet: 'T1', row: 1, column, message });
const staffAt = (rowNumber: number, column: string, message: string): FindingInput => ({
  sheet: 'T3',
  row: rowNumber,
  column,
  message,
});

function employeeLabel(row: NormalizedRow): string {
  const id = str(row.ID_DIPENDENTE);
  return id === null ? 'il dipendente' : `il dipendente ${id}`;
}

/**
 * The calendar day in Italy: the SIOSS deadline runs "entro le ore 24" Italian time. Italy keeps Central European
 * Time, UTC+1, and summer time, UTC+2, from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
 * October (Directive 2000/84/EC, art. 2–3): computed here rather than with Intl and the Europe/Rome zone, whose first
 * use loads ICU's data (20–40 ms of a cold start, `npm run bench -- coldstart`). The test compares the two.
 */
export function italianDay(now: Date): string {
  const year = now.getUTCFullYear();
  const lastSunday = (month: number): number => {
    const last = new Date(Date.UTC(year, month + 1, 0));
    return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
  };
  const time = now.getTime();
  const offsetHours = time >= lastSunday(2) && time < lastSunday(9) ? 2 : 1;
  return new Date(time + offsetHours * 3_600_000).toISOString().slice(0, 10);
}

/** The SIOSS deadline for CONSUNTIVO N-1 / PREVISIONE N, for year N (R-AS-6): per-year parameter, else 28/02/N. */
export function siossDeadline(year: number, params: CheckParams): string {
  const { month, day } = params.siossDefaultDeadline;
  return (
    params.siossDeadlines[String(year)] ?? `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  );
}

interface TypedFteProblem {
  readonly typed: number;
  readonly computed: number;
  /** The employee left before 31/12 and the typed value is the full-year FTE (the case T3.11 names). */
  readonly fullYearForLeaver: boolean;
  readonly days: number;
  readonly yearDays: number;
  readonly end: string | null;
}

/** A typed FTE on a T3 row that the recomputation does not confirm; null when it agrees or cannot be recomputed. */
function typedFteProblem(row: NormalizedRow, derived: StaffRowDerived, params: CheckParams): TypedFteProblem | null {
  const typed = num(row.FTE);
  const year = num(row.ANNO_RIF);
  const hours = num(row.ORE_SETT);
  if (typed === null || year === null || hours === null || derived.fte === null || derived.days === null) return null;
  if (Math.abs(typed - derived.fte) <= params.fteTolerance + EPSILON) return null;
  const end = str(row.DATA_FINE);
  const yearDays = daysInYear(year);
  const fullTime = fullTimeHoursOf(row, params);
  const fullYearFte = fullTime > 0 ? Math.min(hours, fullTime) / fullTime : 0;
  const leftEarly = end !== null && end < `${year}-12-31` && derived.days > 0 && derived.days < yearDays;
  return {
    typed,
    computed: derived.fte,
    fullYearForLeaver: leftEarly && Math.abs(typed - fullYearFte) <= params.fteTolerance + EPSILON,
    days: derived.days,
    yearDays,
    end,
  };
}

/** FTE_AS_TI against the thresholds, only when the submission carries the consuntivo of its year (T3.5, T3.6). */
function ratioSituation(context: CheckContext) {
  const { submission, params } = context;
  if (!hasStaffData(submission, 'CONSUNTIVO', referenceYear(submission))) return null;
  const result = contributionOf(submission, params);
  return result.population > 0 ? result : null;
}

/** The SIOSS consuntivo for year N: typed in T1, else the previous submission's consuntivo of N when it has one. */
function siossFte(context: CheckContext, year: number): { value: number; source: string } | null {
  const typed = num(t1Row(context.submission).FTE_AS_CONSUNTIVO_SIOSS);
  if (typed !== null) return { value: typed, source: 'indicato in anagrafica' };
  const previous = context.previous;
  if (previous && hasStaffData(previous, 'CONSUNTIVO', year)) {
    return { value: fteAsTi(previous, context.params, 'CONSUNTIVO', year), source: 'dall’invio precedente' };
  }
  return null;
}

/** The forecast for year N: from the previous period (declared with its consuntivo), else from this submission. */
function forecastFte(context: CheckContext, year: number): number | null {
  const sources: Array<NormalizedSubmission | undefined> = [context.previousAnnual, context.submission];
  for (const source of sources) {
    if (source && hasStaffData(source, 'PREVISIONE', year)) return fteAsTi(source, context.params, 'PREVISIONE', year);
  }
  return null;
}

function bandsText(params: CheckParams): string {
  const { band1EuroPerFte, band2EuroPerFte, minimumRatio, lepRatio, targetRatio } = params.contribution;
  const euro = (value: number): string => `${formatNumber(value)} €/FTE`;
  return `${euro(band1EuroPerFte)} tra ${ratioText(minimumRatio)} e ${ratioText(lepRatio)}; ${euro(band2EuroPerFte)} tra ${ratioText(lepRatio)} e ${ratioText(targetRatio)}`;
}

export const T3_RULES: RuleModule = {
  submission: {
    /** Typed values of the computed columns GIORNI_IN_SERVIZIO and FTE that the recomputation does not confirm. */
    'T3.0': ({ submission, params }, emit) => {
      const staff = staffRows(submission.sheets.T3, params);
      submission.sheets.T3.forEach((row, index) => {
        const derived = staff[index] as StaffRowDerived;
        const typedDays = num(row.GIORNI_IN_SERVIZIO);
        const year = num(row.ANNO_RIF);
        if (typedDays !== null && derived.days !== null && typedDays !== derived.days) {
          emit(
            staffAt(
              index + 1,
              'GIORNI_IN_SERVIZIO',
              `Giorni in servizio indicati (${formatNumber(typedDays)}) diversi da quelli calcolati dal modello (${formatNumber(derived.days)} nel ${year}): il valore si calcola dalle date di servizio.`,
            ),
          );
        }
        const problem = typedFteProblem(row, derived, params);
        if (problem && !problem.fullYearForLeaver) {
          emit(
            staffAt(
              index + 1,
              'FTE',
              `FTE indicato (${formatNumber(problem.typed)}) diverso da quello calcolato dal modello (${formatNumber(problem.computed)} = ore/tempo pieno × ${problem.days}/${problem.yearDays} giorni).`,
            ),
          );
        }
      });
    },
    'T3.1': ({ submission, params }, emit) => {
      const staff = staffRows(submission.sheets.T3, params);
      submission.sheets.T3.forEach((row, index) => {
        const rowNumber = index + 1;
        const hours = num(row.ORE_SETT);
        const fullTime = fullTimeHoursOf(row, params);
        if (hours !== null && hours > 0 && fullTime > 0 && hours > fullTime + EPSILON) {
          const basis = num(row.ORE_TEMPO_PIENO) === null ? ' (valore predefinito)' : '';
          emit(
            staffAt(
              rowNumber,
              'ORE_SETT',
              `Ore settimanali non valide: ${formatNumber(hours)} superano le ${formatNumber(fullTime)} ore del tempo pieno${basis}.`,
            ),
          );
        }
        const start = str(row.DATA_INIZIO);
        const end = str(row.DATA_FINE);
        if (start !== null && end !== null && end < start) {
          emit(
            staffAt(
              rowNumber,
              'DATA_FINE',
              `Date di servizio non valide: la fine (${dateText(end)}) precede l'inizio (${dateText(start)}).`,
            ),
          );
          return;
        }
        const year = num(row.ANNO_RIF);
        if (start === null || year === null || (staff[index]?.days ?? 0) > 0) return;
        const period = end === null ? `dal ${dateText(start)}` : `dal ${dateText(start)} al ${dateText(end)}`;
        emit(
          staffAt(
            rowNumber,
            start > `${year}-12-31` ? 'DATA_INIZIO' : 'DATA_FINE',
            `Date di servizio non valide: il periodo (${period}) non cade nell'anno di riferimento ${year}, quindi l'FTE della riga è 0.`,
          ),
        );
      });
    },
    'T3.2': ({ submission }, emit) => {
      const ambito = new Set<string>();
      for (const row of submission.sheets.T2) {
        const cf = str(row.CF_COMUNE);
        if (cf !== null) ambito.add(cf);
      }
      const gestore = str(t1Row(submission).ENTE_GESTORE_CF);
      if (gestore !== null) ambito.add(gestore);
      submission.sheets.T3.forEach((row, index) => {
        const cf = str(row.ENTE_DATORE_CF);
        if (cf === null || !CF.test(cf) || ambito.has(cf)) return;
        const type = str(row.ENTE_DATORE_TIPO);
        if (type !== null && EMPLOYERS_ADMITTED_BY_TYPE.has(type)) return;
        emit(
          staffAt(
            index + 1,
            'ENTE_DATORE_CF',
            `Ente datore di lavoro non appartenente all'Ambito: il codice fiscale ${cf} non è di un comune del foglio Comuni né dell'ente gestore.`,
          ),
        );
      });
    },
    'T3.3': ({ submission }, emit) => {
      submission.sheets.T3.forEach((row, index) => {
        if (row.ENTE_DATORE_TIPO !== 'ASL_DELEGA_RIMBORSO' || row.ONERI_A_CARICO_ENTE_ATS !== 'N') return;
        emit(
          staffAt(
            index + 1,
            'ONERI_A_CARICO_ENTE_ATS',
            `Personale ASL computabile solo se gli oneri sono a carico dei Comuni/Ambito: ${employeeLabel(row)} è escluso dal computo degli FTE.`,
          ),
        );
      });
    },
    'T3.4': ({ submission }, emit) => {
      // The last row seen of each (employee, year, kind), and for every row the one before it with the same key: a
      // chain through the earlier rows of a key, without a list per key (most employees have one row).
      const rows = submission.sheets.T3;
      const lastOfKey = new Map<string, number>();
      const earlierOfSameKey = new Int32Array(rows.length).fill(-1);
      const from = (row: NormalizedRow): string => str(row.DATA_INIZIO) ?? '0000-01-01';
      // An unknown start or end cannot prove the periods apart, so it is taken as open-ended.
      const to = (row: NormalizedRow): string => str(row.DATA_FINE) ?? '9999-12-31';
      rows.forEach((row, index) => {
        const id = str(row.ID_DIPENDENTE);
        const year = num(row.ANNO_RIF);
        const kind = str(row.TIPO_DATO);
        if (id === null || year === null || kind === null) return;
        const key = `${id}|${year}|${kind}`;
        const last = lastOfKey.get(key);
        lastOfKey.set(key, index);
        if (last === undefined) return;
        earlierOfSameKey[index] = last;
        const start = from(row);
        const end = to(row);
        // The earliest overlapping row is the one named, as the reader meets it first in the sheet.
        let clash = -1;
        for (let other = last; other >= 0; other = earlierOfSameKey[other] ?? -1) {
          const earlier = rows[other] as NormalizedRow;
          if (from(earlier) <= end && start <= to(earlier)) clash = other;
        }
        if (clash < 0) return;
        emit(
          staffAt(
            index + 1,
            'ID_DIPENDENTE',
            `Dipendente duplicato con periodi sovrapposti: ${id} compare già alla riga ${clash + 1} (${kind} ${year}).`,
          ),
        );
      });
    },
    'T3.5': (context, emit) => {
      const situation = ratioSituation(context);
      if (!situation || situation.fte >= situation.minimumFte) return;
      const ratio = ratioText(context.params.contribution.minimumRatio);
      emit(
        summaryAt(
          'FTE_AS_TI',
          `Rapporto assistenti sociali/abitanti inferiore a ${ratio} (${formatNumber(situation.fte)} FTE per ${formatNumber(situation.population)} abitanti; ne servono ${formatNumber(situation.minimumFte)}): nessun contributo spettante e LEPS non raggiunto.`,
        ),
      );
    },
    'T3.6': (context, emit) => {
      const situation = ratioSituation(context);
      if (!situation || situation.fte < situation.minimumFte || situation.fte >= situation.lepFte) return;
      const ratio = ratioText(context.params.contribution.lepRatio);
      emit(
        summaryAt(
          'FTE_AS_TI',
          `LEPS ${ratio} non ancora raggiunto: ${formatNumber(situation.fte)} FTE per ${formatNumber(situation.population)} abitanti, ne servono ${formatNumber(situation.lepFte)}.`,
        ),
      );
    },
    'T3.7': ({ submission, params }, emit) => {
      const row = t1Row(submission);
      const computed = contributionOf(submission, params);
      const typedContribution = num(row.CONTRIBUTO_AS_CALCOLATO);
      if (typedContribution !== null && Math.abs(typedContribution - computed.contribution) > CENT + EPSILON) {
        emit(
          summaryAt(
            'CONTRIBUTO_AS_CALCOLATO',
            `Il contributo deve essere calcolato dal modello (${bandsText(params)}): indicato ${formatEuro(typedContribution)}, calcolato ${formatEuro(computed.contribution)} per ${formatNumber(computed.fte)} FTE e ${formatNumber(computed.population)} abitanti.`,
          ),
        );
      }
      const typedFte = num(row.FTE_AS_TI);
      if (typedFte !== null && Math.abs(typedFte - computed.fte) > params.fteTolerance + EPSILON) {
        emit(
          summaryAt(
            'FTE_AS_TI',
            `Gli FTE degli assistenti sociali a tempo indeterminato devono essere calcolati dal modello: indicati ${formatNumber(typedFte)}, calcolati dal foglio Personale ${formatNumber(computed.fte)}.`,
          ),
        );
      }
    },
    'T3.8': (context, emit) => {
      const { submission, params } = context;
      const year = referenceYear(submission);
      if (!hasStaffData(submission, 'CONSUNTIVO', year)) return;
      const forecast = forecastFte(context, year);
      if (forecast === null) return;
      const actual = fteAsTi(submission, params, 'CONSUNTIVO', year);
      if (actual >= forecast - params.fteTolerance - EPSILON) return;
      emit(
        summaryAt(
          'FTE_AS_TI',
          `Il consuntivo FTE ${year} (${formatNumber(actual)}) è inferiore alla previsione (${formatNumber(forecast)}): il contributo prenotato sarà ridotto.`,
        ),
      );
    },
    'T3.9': (context, emit) => {
      if (t1Row(context.submission).CERTIFICAZIONE_AS !== 'S') return;
      const year = referenceYear(context.submission);
      const sioss = siossFte(context, year);
      if (!sioss) return;
      const certified = fteAsTi(context.submission, context.params, 'CONSUNTIVO', year);
      if (certified <= sioss.value + context.params.fteTolerance + EPSILON) return;
      emit(
        summaryAt(
          'FTE_AS_TI',
          `FTE certificati (${formatNumber(certified)}) superiori al consuntivo SIOSS ${year} (${formatNumber(sioss.value)}, ${sioss.source}): verificare.`,
        ),
      );
    },
    'T3.10': (context, emit) => {
      if (t1Row(context.submission).CERTIFICAZIONE_AS !== 'S') return;
      const year = referenceYear(context.submission);
      const sioss = siossFte(context, year);
      if (!sioss) return;
      const certified = fteAsTi(context.submission, context.params, 'CONSUNTIVO', year);
      if (certified >= sioss.value - context.params.fteTolerance - EPSILON) return;
      emit(
        summaryAt(
          'FTE_AS_TI',
          `FTE certificati (${formatNumber(certified)}) inferiori al consuntivo SIOSS ${year} (${formatNumber(sioss.value)}, ${sioss.source}): rischio di rideterminazione in diminuzione (DM 125/2024) del contributo.`,
        ),
      );
    },
    'T3.11': ({ submission, params }, emit) => {
      const staff = staffRows(submission.sheets.T3, params);
      submission.sheets.T3.forEach((row, index) => {
        const problem = typedFteProblem(row, staff[index] as StaffRowDerived, params);
        if (!problem?.fullYearForLeaver || problem.end === null) return;
        emit(
          staffAt(
            index + 1,
            'FTE',
            `Personale cessato in corso d'anno: calcolare FTE pro-quota. ${employeeLabel(row)} ha cessato il ${dateText(problem.end)} (${problem.days} giorni su ${problem.yearDays}): FTE ${formatNumber(problem.computed)}, non ${formatNumber(problem.typed)}.`,
          ),
        );
      });
    },
    'T3.12': ({ submission }, emit) => {
      submission.sheets.T3.forEach((row, index) => {
        const contract = str(row.TIPO_RAPPORTO);
        if (
          row.PROFILO !== 'ASSISTENTE_SOCIALE' ||
          row.TIPO_DATO !== 'CONSUNTIVO' ||
          row.FONTE_COSTO !== 'FP_AS797' ||
          contract === null ||
          contract === 'TI'
        ) {
          return;
        }
        emit(
          staffAt(
            index + 1,
            'TIPO_RAPPORTO',
            `Nel computo per il contributo sono ammessi solo assistenti sociali a tempo indeterminato: ${employeeLabel(row)} è a carico del contributo AS (FP_AS797) con rapporto ${contract}.`,
          ),
        );
      });
    },
    'T3.13': ({ submission, params, now }, emit) => {
      const year = referenceYear(submission);
      if (!hasStaffData(submission, 'CONSUNTIVO', year) && !hasStaffData(submission, 'PREVISIONE', year + 1)) return;
      const deadline = siossDeadline(year + 1, params);
      if (italianDay(now) <= deadline) return;
      emit({
        sheet: 'T3',
        row: null,
        column: null,
        message: `Scadenza SIOSS del ${dateText(deadline)} superata: consuntivo ${year} e previsione ${year + 1} degli assistenti sociali andavano inseriti su SIOSS entro quella data.`,
      });
    },
  },
};
