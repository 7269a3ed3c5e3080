import { daysInYear, isoDay } from './italian-format.ts';

const DAY_MS = 86_400_000;

/**
 * Days of service inside the reference year, both ends included: staff who left before 31/12 count for their days
 * (nota MLPS 5635/2024, verify.md R-AS-3). Zero when the period does not touch the year.
 */
export function daysInService(year: number, startIso: string, endIso: string | null): number {
  // The year's bounds straight from Date.UTC: building "YYYY-01-01" strings for every staff row was garbage.
  const yearStart = Date.UTC(year, 0, 1) / DAY_MS;
  const yearEnd = Date.UTC(year, 11, 31) / DAY_MS;
  const from = Math.max(yearStart, isoDay(startIso));
  const to = Math.min(yearEnd, endIso ? isoDay(endIso) : yearEnd);
  return to < from ? 0 : to - from + 1;
}

/**
 * FTE of a staff row (domain.md §4.4, verify.md R-AS-3): weekly hours over full-time hours, times days in service
 * over the days of the year. Not rounded: the contribution is pro-rata (R-AS-1).
 */
export function staffRowFte(
  year: number,
  weeklyHours: number,
  fullTimeHours: number,
  startIso: string,
  endIso: string | null,
): number {
  if (!(fullTimeHours > 0) || !(weeklyHours > 0)) return 0;
  const days = daysInService(year, startIso, endIso);
  return (Math.min(weeklyHours, fullTimeHours) / fullTimeHours) * (days / daysInYear(year));
}
