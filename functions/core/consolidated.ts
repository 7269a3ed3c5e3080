import { boundFindings } from '../../shared/checks/bound.ts';
import { validateRegion } from '../../shared/checks/engine.ts';
import { withParams } from '../../shared/checks/params.ts';
import type { RegisteredAts } from '../../shared/checks/types.ts';
import type { ConsolidatedAts, ConsolidatedResponse } from '../../shared/contract/api.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { SHEET_IDS } from '../../shared/template/types.ts';
import { type Caller, requireRegionAccess } from '../lib/claims.ts';
import type { CurrentPointer, StoredVersion } from '../store/types.ts';
import {
  fitsLimits,
  PAGE_BUDGET_BYTES,
  pageToken,
  parsePageToken,
  planPage,
  REGIONAL_FINDINGS_RESERVE_BYTES,
} from './consolidated-pages.ts';
import type { RegionDeps } from './deps.ts';
import { receiptOf } from './receipts.ts';

type Rows = ConsolidatedResponse['rows'];

function rowsWithAts(versions: readonly StoredVersion[], bodies: ReadonlyMap<string, Submission>): Rows {
  const rows: Record<string, Array<Record<string, unknown>>> = Object.fromEntries(SHEET_IDS.map((id) => [id, []]));
  for (const version of versions) {
    const body = bodies.get(version.ats);
    if (!body) continue;
    for (const sheet of SHEET_IDS) {
      for (const row of body.sheets[sheet] ?? []) rows[sheet]?.push({ ...row, COD_ATS: version.ats });
    }
  }
  return rows;
}

/** An ATS's status entry; its receipt carries findings only when its version (with findings) is given. */
function statusEntry(
  code: string,
  pointer: CurrentPointer | undefined,
  registration: RegisteredAts | undefined,
  version: StoredVersion | undefined,
): ConsolidatedAts {
  return {
    ats: code,
    name: registration?.name ?? null,
    registered: registration !== undefined,
    submitted: pointer !== undefined,
    status: pointer?.status ?? null,
    version: pointer?.version ?? null,
    receipt: pointer ? receiptOf({ ...pointer, findings: version?.findings ?? [], body: '' }, pointer.status) : null,
    errors: pointer?.errors ?? 0,
    warnings: pointer?.warnings ?? 0,
    summary: pointer?.summary ?? null,
  };
}

const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * Builds the page for the planned ATS and measures it; while it is over either limit (5 MB of body, 6 MiB once escaped
 * into Lambda's result), the last ATS moves to the next page: the plan's estimates count bytes, not escaping. Page 1
 * may end with none (its first ATS then opens page 2). A later page's one ATS that does not fit alone is sent by
 * `alone`: its status entry without its rows, which the client reads from the stored document (`rowsFromDocument`).
 */
function fitted(
  build: (count: number) => ConsolidatedResponse,
  count: number,
  fallback: { readonly min: 0 } | { readonly min: 1; readonly alone: () => ConsolidatedResponse },
): ConsolidatedResponse {
  let kept = count;
  let response = build(kept);
  while (kept > fallback.min && !fitsLimits(response)) {
    kept -= 1;
    response = build(kept);
  }
  if (kept === 1 && 'alone' in fallback && !fitsLimits(response)) return fallback.alone();
  return response;
}

/**
 * GET /v1/regions/{region}/consolidated?period=&pageToken= (contract v1.1: paged by whole ATS, each body ≤ 5 MB).
 *
 * Page 1: the Region's registrations and current pointers (two Queries whatever the number of ATS), then every current
 * version's body (one consistent BatchGetItem per 100 ATS, plus one for chunks) for the regional checks, which need
 * all of them; it returns the status of every ATS, the missing ones, the region-level findings and the rows (with the
 * receipts' findings) of the first ATS that fit. The other ATS's entries on page 1 have `receipt.findings` empty:
 * their page (`pageAts`) carries their entry again, complete. Later pages read the registrations, the pointers and
 * only their own ATS's bodies. A page's ATS are planned from the pointers' sizes before any body is read. An ATS that
 * does not fit a page alone comes on a page of its own without its rows, named in `rowsFromDocument` with its version.
 */
export async function consolidated(
  deps: RegionDeps,
  caller: Caller,
  region: string,
  period: string,
  pageTokenText?: string,
): Promise<ConsolidatedResponse> {
  requireRegionAccess(caller, region);
  const token = parsePageToken(region, period, pageTokenText);
  const [registered, unsorted, parameters] = await Promise.all([
    deps.store.listRegistrations(region),
    deps.store.listCurrentByRegion(region, period),
    // The region-level checks run on the first page only, with the Region's own parameters.
    token ? undefined : deps.store.getRegionParameters(region),
  ]);
  // ATS codes (ATS-RR-NNN): code-unit order is their order, without the ICU collator a cold start would load.
  const pointers = [...unsorted].sort((left, right) => (left.ats < right.ats ? -1 : left.ats > right.ats ? 1 : 0));
  const registrations = new Map(registered.map((entry) => [entry.ats, entry]));
  if (token) return laterPage(deps, region, period, pointers, registrations, token.from);

  const byAts = new Map(pointers.map((pointer) => [pointer.ats, pointer]));
  const codes = [...new Set([...registrations.keys(), ...byAts.keys()])].sort();
  const missing = registered
    .filter((entry) => !byAts.has(entry.ats))
    .map((entry) => entry.ats)
    .sort();
  const statusBytes = bytesOf(
    codes.map((code) => statusEntry(code, byAts.get(code), registrations.get(code), undefined)),
  );
  const planned = planPage(pointers, 0, PAGE_BUDGET_BYTES - REGIONAL_FINDINGS_RESERVE_BYTES - statusBytes, true);
  const plannedCodes = new Set(planned.map((pointer) => pointer.ats));
  const versions = await deps.store.getVersions(pointers, (key) => plannedCodes.has(key.ats));
  const bodies = new Map(versions.map((version) => [version.ats, JSON.parse(version.body) as Submission]));
  const versionOf = new Map(versions.map((version) => [version.ats, version]));
  const findings = validateRegion({
    region,
    period,
    submissions: [...bodies.values()],
    registered,
    comuni: deps.comuni(),
    params: withParams(parameters?.parameters),
  });
  // Region-level findings bounded as every response's (contract v1.1), their full counts beside them.
  const regional = boundFindings(findings);
  const findingsBound = { countsByRule: regional.countsByRule, truncated: regional.truncated };

  const build = (count: number): ConsolidatedResponse => {
    const onPage = planned.slice(0, count);
    const onPageCodes = new Set(onPage.map((pointer) => pointer.ats));
    const next = pointers[count];
    return {
      region,
      period,
      ats: codes.map((code) =>
        statusEntry(
          code,
          byAts.get(code),
          registrations.get(code),
          onPageCodes.has(code) ? versionOf.get(code) : undefined,
        ),
      ),
      missing,
      rows: rowsWithAts(
        onPage.flatMap((pointer) => versionOf.get(pointer.ats) ?? []),
        bodies,
      ),
      findings: regional.findings,
      findingsBound,
      pageAts: [...onPageCodes],
      ...(next ? { nextPageToken: pageToken(region, period, next.ats) } : {}),
    };
  };
  return fitted(build, planned.length, { min: 0 });
}

async function laterPage(
  deps: RegionDeps,
  region: string,
  period: string,
  pointers: readonly CurrentPointer[],
  registrations: ReadonlyMap<string, RegisteredAts>,
  from: string,
): Promise<ConsolidatedResponse> {
  const start = pointers.findIndex((pointer) => pointer.ats >= from);
  if (start < 0)
    return { region, period, ats: [], missing: [], rows: rowsWithAts([], new Map()), findings: [], pageAts: [] };
  const planned = planPage(pointers, start, PAGE_BUDGET_BYTES);
  const versions = await deps.store.getVersions(planned);
  const versionOf = new Map(versions.map((version) => [version.ats, version]));
  const bodies = new Map(versions.map((version) => [version.ats, JSON.parse(version.body) as Submission]));
  const build = (count: number): ConsolidatedResponse => {
    const onPage = planned.slice(0, count);
    const next = pointers[start + count];
    return {
      region,
      period,
      ats: onPage.map((pointer) =>
        statusEntry(pointer.ats, pointer, registrations.get(pointer.ats), versionOf.get(pointer.ats)),
      ),
      missing: [],
      rows: rowsWithAts(
        onPage.flatMap((pointer) => versionOf.get(pointer.ats) ?? []),
        bodies,
      ),
      findings: [],
      pageAts: onPage.map((pointer) => pointer.ats),
      ...(next ? { nextPageToken: pageToken(region, period, next.ats) } : {}),
    };
  };
  // A submission close to what PUT accepts (5 MB, or Lambda's 6 MiB once escaped) cannot fit a page beside its status
  // entry and the page's envelope: its rows are left to the client, which reads that version's document
  // (GET …/document?version=N, the same stored JSON) and adds them with COD_ATS.
  const alone = (): ConsolidatedResponse => {
    const [pointer] = planned;
    if (!pointer) throw new Error('A later page plans at least one ATS');
    const next = pointers[start + 1];
    return {
      region,
      period,
      ats: [statusEntry(pointer.ats, pointer, registrations.get(pointer.ats), versionOf.get(pointer.ats))],
      missing: [],
      rows: rowsWithAts([], new Map()),
      findings: [],
      pageAts: [],
      rowsFromDocument: [{ ats: pointer.ats, version: versionOf.get(pointer.ats)?.version ?? pointer.version }],
      ...(next ? { nextPageToken: pageToken(region, period, next.ats) } : {}),
    };
  };
  return fitted(build, planned.length, { min: 1, alone });
}
