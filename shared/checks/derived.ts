import { type ContributionBands, socialWorkerContribution } from '../domain/contribution.ts';
import { daysInService, staffRowFte } from '../domain/fte.ts';
import type { CheckParams } from './params.ts';
import type { NormalizedRow, NormalizedSubmission } from './types.ts';

/**
 * Values the template computes (POPOLAZIONE_TOT, FTE, FTE_AS_TI, the contribution), derived once per submission and
 * shared by every check that needs them. Pure functions of the normalised submission and the parameters.
 */

export const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
export const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The T1 row (the ATS's own data); an empty object when T1 is empty. */
export function t1Row(submission: NormalizedSubmission): NormalizedRow {
  return submission.sheets.T1[0] ?? {};
}

export function referenceYear(submission: NormalizedSubmission): number {
  return num(t1Row(submission).ANNO_RIF) ?? Number(submission.period.slice(0, 4));
}

/** A comune counts unless it left the ATS on or before the reference date. */
export function isActiveComune(row: NormalizedRow, period: string): boolean {
  const left = str(row.DATA_USCITA);
  return left === null || left > period;
}

/** Sum of T2 resident population over active comuni: what POPOLAZIONE_TOT must be (T1.9). */
export function populationTotal(submission: NormalizedSubmission): number {
  let total = 0;
  for (const row of submission.sheets.T2) {
    if (isActiveComune(row, submission.period)) total += num(row.POPOLAZIONE_RESIDENTE) ?? 0;
  }
  return total;
}

/** The population the contribution uses: POP_RIF when the ATS states one (R-AS-2), else the comuni total. */
export function contributionPopulation(submission: NormalizedSubmission): number {
  return num(t1Row(submission).POP_RIF) ?? populationTotal(submission);
}

/** Full-time weekly hours of a staff row: ORE_TEMPO_PIENO, or the parameter when the row leaves it empty (R-AS-3). */
export function fullTimeHoursOf(row: NormalizedRow, params: CheckParams): number {
  return num(row.ORE_TEMPO_PIENO) ?? params.fullTimeHours;
}

/** Active T2 rows with their 1-based row number, in sheet order (T1.9, T2.3, T2.5–T2.7 all look at the same set). */
export function activeComuneRows(submission: NormalizedSubmission): Array<{ row: NormalizedRow; rowNumber: number }> {
  const active: Array<{ row: NormalizedRow; rowNumber: number }> = [];
  submission.sheets.T2.forEach((row, index) => {
    if (isActiveComune(row, submission.period)) active.push({ row, rowNumber: index + 1 });
  });
  return active;
}

export interface StaffRowDerived {
  readonly days: number | null;
  readonly fte: number | null;
  /** Counts for FTE_AS_TI: AS, tempo indeterminato, territorial services, and ASL staff only with costs borne. */
  readonly countsForContribution: boolean;
}

/**
 * A value derived from a sheet's rows and one more input (a period, a parameter set), computed once per sheet and
 * shared by every check of the validation: rows are immutable. Kept per sheet, not per row in a WeakMap, whose hundred
 * thousand entries cost more to keep than the values cost to compute; a different input computes it afresh.
 */
export function perSheet<Input, Value>(
  derive: (rows: readonly NormalizedRow[], input: Input) => Value,
): (rows: readonly NormalizedRow[], input: Input) => Value {
  const cache = new WeakMap<readonly NormalizedRow[], { readonly input: Input; readonly value: Value }>();
  return (rows, input) => {
    const cached = cache.get(rows);
    if (cached && cached.input === input) return cached.value;
    const value = derive(rows, input);
    cache.set(rows, { input, value });
    return value;
  };
}

/**
 * Every T3 check and FTE_AS_TI need each row's days and FTE: computed once per sheet and parameter set, as one array
 * indexed like the rows, instead of once per check, which keeps 100,000-row validations linear and fast.
 */
export const staffRows: (rows: readonly NormalizedRow[], params: CheckParams) => readonly StaffRowDerived[] = perSheet(
  (rows, params: CheckParams) => rows.map((row) => staffRow(row, params)),
);

/** Days in service, FTE and whether a staff row counts for FTE_AS_TI. */
export function staffRow(row: NormalizedRow, params: CheckParams): StaffRowDerived {
  const year = num(row.ANNO_RIF);
  const start = str(row.DATA_INIZIO);
  const end = str(row.DATA_FINE);
  const hours = num(row.ORE_SETT);
  const fullTime = fullTimeHoursOf(row, params);
  const days = year !== null && start !== null ? daysInService(year, start, end) : null;
  const fte = year !== null && start !== null && hours !== null ? staffRowFte(year, hours, fullTime, start, end) : null;
  const countsForContribution =
    row.PROFILO === 'ASSISTENTE_SOCIALE' &&
    row.TIPO_RAPPORTO === 'TI' &&
    row.IMPIEGO_SERVIZI_TERRITORIALI === 'S' &&
    (row.ENTE_DATORE_TIPO !== 'ASL_DELEGA_RIMBORSO' || row.ONERI_A_CARICO_ENTE_ATS === 'S');
  return { days, fte, countsForContribution };
}

/** FTE of AS a tempo indeterminato (T3 summary block FTE_AS_TI) for one year and kind of data. */
export function fteAsTi(
  submission: NormalizedSubmission,
  params: CheckParams,
  kind: 'CONSUNTIVO' | 'PREVISIONE' = 'CONSUNTIVO',
  year: number = referenceYear(submission),
): number {
  let total = 0;
  const rows = submission.sheets.T3;
  const derived = staffRows(rows, params);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index] as NormalizedRow;
    if (row.TIPO_DATO !== kind || num(row.ANNO_RIF) !== year) continue;
    const staff = derived[index] as StaffRowDerived;
    if (staff.countsForContribution) total += staff.fte ?? 0;
  }
  return total;
}

/** Whether the submission carries any T3 row of that kind for that year. */
export function hasStaffData(
  submission: NormalizedSubmission,
  kind: 'CONSUNTIVO' | 'PREVISIONE',
  year: number,
): boolean {
  return submission.sheets.T3.some((row) => row.TIPO_DATO === kind && num(row.ANNO_RIF) === year);
}

export function contributionOf(
  submission: NormalizedSubmission,
  params: CheckParams,
): ContributionBands & { population: number; fte: number } {
  const population = contributionPopulation(submission);
  const fte = fteAsTi(submission, params);
  return { ...socialWorkerContribution(population, fte, params.contribution), population, fte };
}
