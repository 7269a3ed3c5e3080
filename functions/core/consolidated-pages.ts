import { ATS_CODE } from '../../shared/contract/codes.ts';
import { badRequest } from '../lib/http.ts';
import type { CurrentPointer } from '../store/types.ts';

/**
 * How the consolidated view is cut into pages (contract v1.1): whole ATS per page, every response body at most
 * RESPONSE_LIMIT_BYTES of JSON before compression. Pages are planned from the current pointers alone (each carries
 * its body's and findings' sizes), so a page reads only its own ATS's bodies; the response is then measured, and an
 * ATS that an estimate let in is moved to the next page when the measure says so.
 */

/**
 * The contract's 5 MB, counted as the request limit counts it (MiB, shared/contract/limits.ts): under Lambda's 6 MiB
 * result with room for the envelope and the escaping of the body into it. An ATS whose own submission is so close to
 * 5 MB that it does not fit a page alone (rows cannot be split, and the body was accepted) gets a page with its status
 * entry and `rowsFromDocument` instead of its rows: the client reads them from the stored document.
 */
export const RESPONSE_LIMIT_BYTES = 5 * 1024 * 1024;
/**
 * Lambda's 6 MiB result holds the body as a JSON string: every quote and backslash of the body is escaped there (rows
 * of short strings grow by about a quarter). A page must fit both limits; 64 KB are left for the result's envelope.
 */
export const ESCAPED_LIMIT_BYTES = 6 * 1024 * 1024 - 64 * 1024;

/** Whether a response body fits this API's 5 MB and, escaped into Lambda's result, the 6 MiB. */
export function fitsLimits(response: unknown): boolean {
  const text = JSON.stringify(response);
  if (Buffer.byteLength(text, 'utf8') > RESPONSE_LIMIT_BYTES) return false;
  return Buffer.byteLength(JSON.stringify(text), 'utf8') <= ESCAPED_LIMIT_BYTES;
}

/**
 * What pages are planned to: a fifth below the limit, for what the estimate does not see (JSON escaping of the body
 * inside Lambda's result when it is not gzipped, a receipt's envelope).
 */
export const PAGE_BUDGET_BYTES = 4_000_000;
/** Page 1 keeps this much for the region-level findings, which are known only once every body is read. */
export const REGIONAL_FINDINGS_RESERVE_BYTES = 1_000_000;

/** `,"COD_ATS":"ATS-RR-NNN"` and a separator: what each row may gain over its bytes in the stored body. */
const ROW_OVERHEAD_BYTES = 32;
const RECEIPT_OVERHEAD_BYTES = 1_000;

/** An upper bound of the bytes an ATS adds to a page: its rows (from the body's size) and its receipt's findings. */
export function estimatedBytes(pointer: CurrentPointer): number {
  const rows = pointer.summary?.rows ?? Math.ceil(pointer.bodyBytes / 40);
  return pointer.bodyBytes + rows * ROW_OVERHEAD_BYTES + pointer.findingsBytes + RECEIPT_OVERHEAD_BYTES;
}

/**
 * The ATS of one page: from `start` (sorted pointers), as many as fit `budget`. A later page holds at least one; the
 * first may hold none (its status list and findings already fill it), and its first ATS then opens page 2.
 */
export function planPage(
  pointers: readonly CurrentPointer[],
  start: number,
  budget: number,
  first = false,
): CurrentPointer[] {
  const page: CurrentPointer[] = [];
  let used = 0;
  for (let index = start; index < pointers.length; index++) {
    const pointer = pointers[index];
    if (!pointer) break;
    const bytes = estimatedBytes(pointer);
    // An ATS bigger than a whole page goes alone: its rows are never split.
    if (page.length > 0 && used + bytes > budget) break;
    if (page.length === 0 && first && bytes > budget) break;
    page.push(pointer);
    used += bytes;
  }
  return page;
}

export interface PageToken {
  /** The first ATS of the page (pages after the first hold ATS with codes from it on). */
  readonly from: string;
}

export function pageToken(region: string, period: string, from: string): string {
  return Buffer.from(JSON.stringify({ r: region, p: period, f: from }), 'utf8').toString('base64url');
}

const badToken = () =>
  badRequest(
    'Parametro pageToken non valido: usare quello restituito dalla pagina precedente, per la stessa Regione e lo stesso periodo.',
    [{ path: 'pageToken', message: 'Non valido per questa Regione e questo periodo.' }],
  );

/** A token this API handed out for this Region and period, or a 400: malformed and foreign tokens alike. */
export function parsePageToken(region: string, period: string, token: string | undefined): PageToken | undefined {
  if (token === undefined) return undefined;
  if (token.length === 0 || token.length > 200) throw badToken();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badToken();
  }
  const fields = value as { r?: unknown; p?: unknown; f?: unknown } | null;
  if (
    typeof fields !== 'object' ||
    fields === null ||
    Object.keys(fields).length !== 3 ||
    fields.r !== region ||
    fields.p !== period ||
    typeof fields.f !== 'string' ||
    !ATS_CODE.test(fields.f) ||
    fields.f.slice(4, 6) !== region
  ) {
    throw badToken();
  }
  return { from: fields.f };
}
