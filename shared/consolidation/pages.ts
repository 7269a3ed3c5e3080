import type { ConsolidatedResponse } from '../contract/api.ts';

/**
 * The consolidated view comes in pages (contract v1.1): whole ATS per page, the status list and the region-level
 * findings on the first. Clients follow `nextPageToken` until it is absent and merge the pages into the one response
 * a single page used to be, so everything downstream (the workbook model) is unchanged.
 */

/** A Region has a few hundred ATS at most and a page holds at least one: more pages than this is a server fault. */
export const MAX_CONSOLIDATED_PAGES = 2_000;

/**
 * First page's status list, missing ATS and findings; every page's rows in order. An ATS's entry on its own page (the
 * one carrying its rows, with its receipt's findings) replaces its entry on the first page.
 */
export function mergeConsolidatedPages(pages: readonly ConsolidatedResponse[]): ConsolidatedResponse {
  const [first, ...later] = pages;
  if (!first) throw new Error('No page to merge');
  const entries = new Map(first.ats.map((entry) => [entry.ats, entry]));
  const rows: Record<string, Array<Record<string, unknown>>> = {};
  const pageAts: string[] = [];
  for (const page of [first, ...later]) {
    if (page !== first) for (const entry of page.ats) entries.set(entry.ats, entry);
    for (const [sheet, sheetRows] of Object.entries(page.rows)) {
      const target = rows[sheet] ?? [];
      for (const row of sheetRows) target.push(row);
      rows[sheet] = target;
    }
    pageAts.push(...(page.pageAts ?? []));
  }
  const { nextPageToken: _next, ...rest } = first;
  return { ...rest, ats: [...entries.values()], rows, pageAts };
}

type PageSuccess = { readonly ok: true; readonly body: ConsolidatedResponse };

/**
 * Fetches the first page and every next one, then merges them into the last success (its body replaced by the
 * merge). Stops at the first failure (returned as it is), and answers `loop()` to a token seen before or to more than
 * MAX_CONSOLIDATED_PAGES pages (a server that never ends).
 */
export async function followConsolidatedPages<R extends PageSuccess | { readonly ok: false }>(
  fetchPage: (pageToken: string | undefined) => Promise<R>,
  loop: () => R,
): Promise<R> {
  const pages: ConsolidatedResponse[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const result = await fetchPage(token);
    if (!result.ok) return result;
    const page = result as R & PageSuccess;
    pages.push(page.body);
    token = page.body.nextPageToken;
    if (token === undefined) return { ...page, body: mergeConsolidatedPages(pages) };
    if (seen.has(token) || pages.length >= MAX_CONSOLIDATED_PAGES) return loop();
    seen.add(token);
  }
}
