/**
 * The previous annual return: what the year-on-year checks (T2.4, T3.8, T6.7) compare with. Both the annual return
 * (YYYY-12-31) and the interim snapshot (YYYY-08-31) look back to the previous year's annual return.
 */
export function previousPeriod(period: string): string | null {
  const match = /^(\d{4})-(12-31|08-31)$/.exec(period);
  if (!match) return null;
  return `${Number(match[1]) - 1}-12-31`;
}

/**
 * The interim snapshot of the same year that precedes an annual return (YYYY-08-31 before YYYY-12-31), or null. The
 * cumulative financial checks (T4.7, T4.8, T4.16) compare with the latest earlier snapshot, as Multifondo does: an
 * impegnato lower at 31/12 than at 31/08 must be declared even when it is higher than the year before.
 */
export function interimBefore(period: string): string | null {
  const match = /^(\d{4})-12-31$/.exec(period);
  return match ? `${match[1]}-08-31` : null;
}
