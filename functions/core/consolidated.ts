import { validateRegion } from '../../shared/checks/engine.ts';
import type { ConsolidatedAts, ConsolidatedResponse } from '../../shared/contract/api.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { SHEET_IDS } from '../../shared/template/types.ts';
import { type Caller, requireRegionAccess } from '../lib/claims.ts';
import type { CurrentVersion } from '../store/types.ts';
import type { Deps } from './deps.ts';
import { receiptOf } from './receipts.ts';

function rowsWithAts(currents: readonly CurrentVersion[], bodies: ReadonlyMap<string, Submission>) {
  const rows: Record<string, Array<Record<string, unknown>>> = Object.fromEntries(SHEET_IDS.map((id) => [id, []]));
  for (const current of currents) {
    const body = bodies.get(current.ats);
    if (!body) continue;
    for (const sheet of SHEET_IDS) {
      for (const row of body.sheets[sheet] ?? []) rows[sheet]?.push({ ...row, COD_ATS: current.ats });
    }
  }
  return rows;
}

/**
 * GET /v1/regions/{region}/consolidated?period=: two queries whatever the number of ATS (registrations, and the
 * current pointers in the Region's partition for the period), then the regional checks over every current submission.
 */
export async function consolidated(
  deps: Deps,
  caller: Caller,
  region: string,
  period: string,
): Promise<ConsolidatedResponse> {
  requireRegionAccess(caller, region);
  const [registered, currents] = await Promise.all([
    deps.store.listRegistrations(region),
    deps.store.listCurrentByRegion(region, period),
  ]);
  const bodies = new Map(currents.map((current) => [current.ats, JSON.parse(current.body) as Submission]));
  const byAts = new Map(currents.map((current) => [current.ats, current]));
  const registeredCodes = new Set(registered.map((entry) => entry.ats));
  const codes = [...new Set([...registeredCodes, ...byAts.keys()])].sort();
  const ats: ConsolidatedAts[] = codes.map((code) => {
    const current = byAts.get(code);
    const registration = registered.find((entry) => entry.ats === code);
    return {
      ats: code,
      name: registration?.name ?? null,
      registered: registration !== undefined,
      submitted: current !== undefined,
      status: current?.status ?? null,
      version: current?.version ?? null,
      receipt: current ? receiptOf(current, current.status) : null,
      errors: current?.errors ?? 0,
      warnings: current?.warnings ?? 0,
      summary: current?.summary ?? null,
    };
  });
  const findings = validateRegion({
    region,
    period,
    submissions: [...bodies.values()],
    registered,
    comuni: deps.comuni(),
  });
  return {
    region,
    period,
    ats,
    missing: registered
      .filter((entry) => !byAts.has(entry.ats))
      .map((entry) => entry.ats)
      .sort(),
    rows: rowsWithAts(currents, bodies),
    findings: [...findings],
  };
}
