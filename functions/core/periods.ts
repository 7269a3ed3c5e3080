/**
 * The period whose current version the cross-period checks compare with. Both the annual return (YYYY-12-31) and the
 * interim snapshot (YYYY-08-31) look back to the previous year's annual return, the last complete picture.
 */
export function previousPeriod(period: string): string | null {
  const match = /^(\d{4})-(12-31|08-31)$/.exec(period);
  if (!match) return null;
  return `${Number(match[1]) - 1}-12-31`;
}
