/**
 * Numbers and dates typed as text in an Italian workbook ("1.234,56", "31/12/2025"). They are read correctly so that
 * every other check sees the intended value, and S.3 still reports them: the backend never stores display strings.
 */

const ITALIAN_NUMBER = /^[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$/;
const PLAIN_NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Reads "1.234,56", "1234,56", "1234.56", "€ 1.234,56" style text; null when it is not a number. */
export function parseItalianNumber(text: string): number | null {
  // \u20ac (€) escaped keeps the functions' bundles ASCII (infra/bundling.ts, BUNDLE_CHARSET).
  const cleaned = text.replace(/[\s\u00a0\u20ac]/g, '');
  if (cleaned === '') return null;
  let parsed: number;
  if (ITALIAN_NUMBER.test(cleaned) && (cleaned.includes(',') || /\.\d{3}(?:\.|$)/.test(cleaned))) {
    parsed = Number(cleaned.replace(/\./g, '').replace(',', '.'));
  } else if (PLAIN_NUMBER.test(cleaned)) {
    parsed = Number(cleaned);
  } else {
    return null;
  }
  return Number.isFinite(parsed) ? parsed : null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ITALIAN_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

function validCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  const monthDays = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= (monthDays[month - 1] ?? 0);
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** A real calendar date in ISO form, or null. */
export function parseIsoDate(text: string): string | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return validCalendarDate(year, month, day) ? text : null;
}

/** "31/12/2025" (also with "." or "-") to "2025-12-31"; null when it is not a real date. */
export function parseItalianDate(text: string): string | null {
  const match = ITALIAN_DATE.exec(text.trim());
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return validCalendarDate(year, month, day) ? `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` : null;
}

/** Excel's serial day number (1900 date system) to ISO. Excel wrongly counts 29/02/1900, hence the 1899-12-30 epoch. */
export function excelSerialToIsoDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 200000) return null;
  const milliseconds = Date.UTC(1899, 11, 30) + Math.floor(serial) * 86400000;
  return new Date(milliseconds).toISOString().slice(0, 10);
}

export function isoDateToExcelSerial(iso: string): number {
  const [year, month, day] = iso.split('-').map(Number);
  return Math.round((Date.UTC(year ?? 1900, (month ?? 1) - 1, day ?? 1) - Date.UTC(1899, 11, 30)) / 86400000);
}

/** "2025-12-31" to "31/12/2025", for messages. */
export function formatItalianDate(iso: string): string {
  const match = ISO_DATE.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

/**
 * Built on first use, then kept: the first Intl object a process makes loads ICU's data, 20–40 ms
 * (`npm run bench -- coldstart`), which a request whose findings name no number (a clean submission, any read) never
 * needs. Built at import, every cold start of the data functions paid it.
 */
let euroFormatter: Intl.NumberFormat | undefined;
let numberFormatter: Intl.NumberFormat | undefined;

/** 1234.5 to "1.234,50 €", for messages. */
export function formatEuro(value: number): string {
  euroFormatter ??= new Intl.NumberFormat('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${euroFormatter.format(value)} €`;
}

export function formatNumber(value: number): string {
  numberFormatter ??= new Intl.NumberFormat('it-IT', { maximumFractionDigits: 4 });
  return numberFormatter.format(value);
}

/** Bounded so a long-running Lambda cannot grow it without limit; real data has few distinct dates. */
const isoDayCache = new Map<string, number>();
const ISO_DAY_CACHE_LIMIT = 10_000;

/** Days since 1970-01-01 of an ISO date; memoised because staff and fund checks compare the same dates many times. */
export function isoDay(iso: string): number {
  const cached = isoDayCache.get(iso);
  if (cached !== undefined) return cached;
  const [year, month, day] = iso.split('-').map(Number);
  const value = Date.UTC(year ?? 1900, (month ?? 1) - 1, day ?? 1) / 86400000;
  if (isoDayCache.size >= ISO_DAY_CACHE_LIMIT) isoDayCache.clear();
  isoDayCache.set(iso, value);
  return value;
}
