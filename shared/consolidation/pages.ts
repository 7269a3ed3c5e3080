import { type ConsolidatedResponse, submissionDocumentPath } from '../contract/api.ts';
import { SHEET_IDS } from '../template/types.ts';

/**
 * The consolidated view comes in pages (contract v1.1): whole ATS per page, the status list and the region-level
 * findings on the first. Clients follow `nextPageToken` until it is absent and merge the pages into the one response
 * a single page used to be, so everything downstream (the workbook model) is unchanged. An ATS whose submission alone
 * would not fit a page is named in its page's `rowsFromDocument`: its rows are read from the stored document of that
 * version and added here with COD_ATS, exactly as the server adds them.
 */

/** A Region has a few hundred ATS at most and a page holds at least one: more pages than this is a server fault. */
export const MAX_CONSOLIDATED_PAGES = 2_000;

type Rows = Record<string, Array<Record<string, unknown>>>;

/** The rows of a stored submission document as the server puts them on a page: sheet by sheet, each with COD_ATS. */
export function documentRows(ats: string, document: unknown): Rows | undefined {
  const sheets = (document as { sheets?: unknown } | null)?.sheets;
  if (typeof sheets !== 'object' || sheets === null) return undefined;
  const rows: Rows = {};
  for (const sheet of SHEET_IDS) {
    const stored = (sheets as Record<string, unknown>)[sheet] ?? [];
    if (!Array.isArray(stored)) return undefined;
    rows[sheet] = stored.map((row: Record<string, unknown>) => ({ ...row, COD_ATS: ats }));
  }
  return rows;
}

/**
 * First page's status list, missing ATS and findings; every page's rows in order, with the rows of each
 * `rowsFromDocument` ATS (from `documents`, the stored submission of that version) in its page's place. An ATS's entry
 * on its own page (the one carrying its rows, with its receipt's findings) replaces its entry on the first page.
 */
export function mergeConsolidatedPages(
  pages: readonly ConsolidatedResponse[],
  documents: ReadonlyMap<string, unknown> = new Map(),
): ConsolidatedResponse {
  const [first, ...later] = pages;
  if (!first) throw new Error('No page to merge');
  const entries = new Map(first.ats.map((entry) => [entry.ats, entry]));
  const rows: Rows = {};
  const pageAts: string[] = [];
  const add = (pageRows: ConsolidatedResponse['rows']) => {
    for (const [sheet, sheetRows] of Object.entries(pageRows)) {
      const target = rows[sheet] ?? [];
      for (const row of sheetRows) target.push(row);
      rows[sheet] = target;
    }
  };
  for (const page of [first, ...later]) {
    if (page !== first) for (const entry of page.ats) entries.set(entry.ats, entry);
    add(page.rows);
    for (const ats of page.pageAts ?? []) pageAts.push(ats);
    for (const { ats } of page.rowsFromDocument ?? []) {
      const fromDocument = documentRows(ats, documents.get(ats));
      if (!fromDocument) throw new Error(`No document for ${ats}`);
      add(fromDocument);
      pageAts.push(ats);
    }
  }
  const { nextPageToken: _next, rowsFromDocument: _documents, ...rest } = first;
  return { ...rest, ats: [...entries.values()], rows, pageAts };
}

/** Why the pages could not be merged, in Italian for the user; `status` as an HTTP client would report it. */
export interface ConsolidationFailure {
  readonly reason: 'endless' | 'changed' | 'document';
  readonly status: number;
  readonly message: string;
}

/** GET of a document path (submissionDocumentPath): the parsed JSON, or the failure's status and Italian message. */
export type DocumentFetch = (
  path: string,
) => Promise<
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly status: number; readonly message?: string | null }
>;

export const ENDLESS_PAGES_MESSAGE =
  'Il servizio ha restituito il consolidato in pagine che non finiscono: riprovare più tardi.';

const changed = (ats: string): ConsolidationFailure => ({
  reason: 'changed',
  status: 409,
  message: `La rendicontazione dell\u2019Ambito ${ats} è cambiata durante la lettura del consolidato: riprovare, così che il consolidato non unisca versioni diverse.`,
});

const unreadable = (ats: string, version: number, status: number, detail?: string | null): ConsolidationFailure => ({
  reason: 'document',
  status,
  message: `Impossibile leggere la rendicontazione dell\u2019Ambito ${ats} (versione ${version}) per il consolidato${detail ? `: ${detail}` : '.'}`,
});

type PageSuccess = { readonly ok: true; readonly body: ConsolidatedResponse };

/**
 * Fetches the first page and every next one, reads the document of each `rowsFromDocument` ATS (at the version the
 * page names, which must be the one the first page listed), then merges them into the last success (its body replaced
 * by the merge). Stops at the first failure of a page (returned as it is); answers `fail` to a token seen before or to
 * more than MAX_CONSOLIDATED_PAGES pages (a server that never ends), to an ATS whose version changed between pages
 * (rather than mixing versions), and to a document that cannot be read.
 */
export async function followConsolidatedPages<R extends PageSuccess | { readonly ok: false }>(
  fetchPage: (pageToken: string | undefined) => Promise<R>,
  fail: (failure: ConsolidationFailure) => R,
  fetchDocument?: DocumentFetch,
): Promise<R> {
  const pages: ConsolidatedResponse[] = [];
  const documents = new Map<string, unknown>();
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const result = await fetchPage(token);
    if (!result.ok) return result;
    const page = result as R & PageSuccess;
    const body = page.body;
    pages.push(body);
    const listed = new Map((pages[0]?.ats ?? []).map((entry) => [entry.ats, entry.version]));
    // A later page's ATS at another version than the first page listed: the Region's findings were not about it.
    if (pages.length > 1) {
      for (const entry of body.ats) if (listed.get(entry.ats) !== entry.version) return fail(changed(entry.ats));
    }
    for (const { ats, version } of body.rowsFromDocument ?? []) {
      const own = body.ats.find((entry) => entry.ats === ats);
      if (listed.get(ats) !== version || (own && own.version !== version)) return fail(changed(ats));
      if (!fetchDocument) return fail(unreadable(ats, version, 501));
      const document = await fetchDocument(submissionDocumentPath(ats, body.period, version));
      if (!document.ok) {
        // The version is gone or no longer the one asked for: say so rather than merge another.
        if (document.status === 404 || document.status === 409) return fail(changed(ats));
        return fail(unreadable(ats, version, document.status, document.message));
      }
      const submission = document.body as { ats?: unknown; period?: unknown } | null;
      if (
        !documentRows(ats, submission) ||
        (submission?.ats !== undefined && submission.ats !== ats) ||
        (submission?.period !== undefined && submission.period !== body.period)
      ) {
        return fail(unreadable(ats, version, 502, 'documento non riconosciuto'));
      }
      documents.set(ats, document.body);
    }
    token = body.nextPageToken;
    if (token === undefined) return { ...page, body: mergeConsolidatedPages(pages, documents) };
    if (seen.has(token) || pages.length >= MAX_CONSOLIDATED_PAGES) {
      return fail({ reason: 'endless', status: 502, message: ENDLESS_PAGES_MESSAGE });
    }
    seen.add(token);
  }
}
