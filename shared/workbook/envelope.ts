import { ATS_CODE, PERIOD, type SubmissionCell, type SubmissionRow } from '../contract/submission.ts';
import { excelSerialToIsoDate, parseIsoDate, parseItalianDate } from '../domain/italian-format.ts';

/**
 * The envelope of a submission read from a workbook, which the user does not type: the ATS is T1's COD_ATS, the
 * period follows from T1's ANNO_RIF and the reference dates of the financial sheets. The population formula of T1
 * (formulas.ts) counts comuni at the same date, so the workbook and the checks agree.
 */

function asIsoDate(value: SubmissionCell | undefined): string | undefined {
  if (typeof value === 'number') return excelSerialToIsoDate(value) ?? undefined;
  if (typeof value !== 'string') return undefined;
  return parseIsoDate(value.trim()) ?? parseItalianDate(value) ?? undefined;
}

/** The ATS of a workbook: T1's COD_ATS, upper case; undefined when missing or not ATS-RR-NNN. */
export function inferAts(t1: readonly SubmissionRow[]): string | undefined {
  const value = t1.map((row) => row.COD_ATS).find((cell) => typeof cell === 'string' && cell.trim() !== '');
  const ats = typeof value === 'string' ? value.trim().toUpperCase() : undefined;
  return ats && ATS_CODE.test(ats) ? ats : undefined;
}

/**
 * The period of a workbook. With T1's ANNO_RIF: 31/08 of that year when a DATA_RIF of T4 or T5 is 31/08 of that year
 * and none is 31/12, else 31/12 of that year. Without it: the first DATA_RIF of T4, then T5, that is a reporting date
 * (31/12 or 31/08). Undefined when neither is there.
 */
export function inferPeriod(sheets: {
  readonly T1: readonly SubmissionRow[];
  readonly T4: readonly SubmissionRow[];
  readonly T5: readonly SubmissionRow[];
}): string | undefined {
  const dates: string[] = [];
  for (const row of sheets.T4) {
    const date = asIsoDate(row.DATA_RIF);
    if (date) dates.push(date);
  }
  for (const row of sheets.T5) {
    const date = asIsoDate(row.DATA_RIF);
    if (date) dates.push(date);
  }
  const year = sheets.T1[0]?.ANNO_RIF;
  if (typeof year === 'number' && Number.isInteger(year) && PERIOD.test(`${year}-12-31`)) {
    const interim = `${year}-08-31`;
    const annual = `${year}-12-31`;
    return dates.includes(interim) && !dates.includes(annual) ? interim : annual;
  }
  return dates.find((date) => PERIOD.test(date));
}
