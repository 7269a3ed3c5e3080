import type { RegionParameters } from '../../shared/checks/params.ts';
import { canonicalJson } from '../../shared/contract/canonical.ts';
import type { PutRegionParametersBody, RegionParametersResponse } from '../../shared/contract/region-parameters.ts';
import { type Caller, isAdmin, isReviewerOf, regionOfAts, requireRegionAccess } from '../lib/claims.ts';
import { sha256HexOf } from '../lib/hash.ts';
import { badRequest, conflict, forbidden } from '../lib/http.ts';
import { parseIfMatch } from '../lib/if-match.ts';
import type { RegionParametersEvent, RegionParametersRecord } from '../store/types.ts';
import type { RegionParametersDeps, RegionParametersWriteDeps } from './deps.ts';

/** How many changes GET and PUT show: the audit trail's recent part, enough to see who set what lately. */
const CHANGES_SHOWN = 20;
/** The stored overrides stay well inside one DynamoDB item (400 KB) with their attributes. */
const MOST_PARAMETER_BYTES = 200_000;

/**
 * Who may read a Region's parameters: its reviewers and the national admins, and the operators of its ATS — their
 * add-in and CLI run the same checks locally, so they must see the same thresholds.
 */
function requireParametersReader(caller: Caller, region: string): void {
  const operatorHere =
    caller.groups.includes('ats-operator') && caller.ats !== null && regionOfAts(caller.ats) === region;
  if (!operatorHere && !isReviewerOf(caller, region) && !isAdmin(caller)) {
    throw forbidden(`Non si è autorizzati a consultare i parametri dei controlli della Regione ${region}.`);
  }
}

function responseOf(
  region: string,
  record: RegionParametersRecord | undefined,
  changes: readonly RegionParametersEvent[],
): RegionParametersResponse {
  return {
    region,
    version: record?.version ?? 0,
    parameters: { ...(record?.parameters ?? {}) } as RegionParametersResponse['parameters'],
    updatedAt: record?.updatedAt ?? null,
    updatedBy: record?.updatedBy ?? null,
    history: changes.map(({ region: _region, ...change }) => ({
      ...change,
      groups: [...change.groups],
      changed: [...change.changed],
    })),
  };
}

/** GET /v1/regions/{region}/parameters. */
export async function getRegionParameters(
  deps: RegionParametersDeps,
  caller: Caller,
  region: string,
): Promise<RegionParametersResponse> {
  requireParametersReader(caller, region);
  const [record, changes] = await Promise.all([
    deps.store.getRegionParameters(region),
    deps.store.listRegionParameterChanges(region, CHANGES_SHOWN),
  ]);
  return responseOf(region, record, changes);
}

/** The parameters a change added, changed or removed, by name, sorted. */
function changedNames(before: RegionParameters, after: RegionParameters): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const value = (set: RegionParameters, name: string) => {
    const entry = (set as Record<string, unknown>)[name];
    return entry === undefined ? undefined : canonicalJson(entry);
  };
  return [...names].filter((name) => value(before, name) !== value(after, name)).sort();
}

export interface PutRegionParametersInput {
  readonly caller: Caller;
  readonly region: string;
  readonly body: PutRegionParametersBody;
  readonly ifMatch: string | undefined;
  readonly clientVersion: string | null;
}

/**
 * PUT /v1/regions/{region}/parameters: replaces the Region's overrides whole, audited. Like PUT of a submission,
 * `If-Match: <version>` is required once a version exists, so two reviewers never overwrite each other unseen.
 */
export async function putRegionParameters(
  deps: RegionParametersWriteDeps,
  input: PutRegionParametersInput,
): Promise<{ created: boolean; response: RegionParametersResponse }> {
  const { caller, region } = input;
  requireRegionAccess(caller, region);
  const expected = parseIfMatch(input.ifMatch);
  if (expected === 'invalid') {
    throw badRequest('Intestazione If-Match non valida: indicare il numero della versione corrente (es. 3).', [
      { path: 'If-Match', message: 'Atteso un numero di versione.' },
    ]);
  }
  const parameters = input.body.parameters as RegionParameters;
  const text = canonicalJson(parameters);
  if (Buffer.byteLength(text, 'utf8') > MOST_PARAMETER_BYTES) {
    throw badRequest(
      `Parametri troppo estesi: al massimo ${MOST_PARAMETER_BYTES.toLocaleString('it-IT')} byte di JSON.`,
      [{ path: 'parameters', message: 'Ridurre le voci (ad es. gli importi di riparto).' }],
    );
  }
  const current = await deps.store.getRegionParameters(region);
  const currentVersion = current?.version ?? 0;
  if (current && expected === null) {
    throw conflict(
      'IF_MATCH_REQUIRED',
      `I parametri della Regione sono alla versione ${currentVersion}: per sostituirli indicare If-Match: ${currentVersion}.`,
    );
  }
  const stale = () =>
    conflict(
      'STALE_VERSION',
      `I parametri della Regione sono stati modificati nel frattempo (versione indicata ${expected ?? 0}, corrente ${currentVersion}): ricaricarli e riprovare.`,
    );
  if (expected !== null && expected !== currentVersion) throw stale();

  const at = deps.now().toISOString();
  const record: RegionParametersRecord = {
    region,
    version: currentVersion + 1,
    parameters,
    updatedAt: at,
    updatedBy: caller.sub,
  };
  const result = await deps.store.putRegionParameters({
    record,
    expectedVersion: currentVersion,
    audit: {
      region,
      at,
      who: caller.sub,
      groups: [...caller.groups],
      version: record.version,
      sha256: sha256HexOf(text),
      changed: changedNames(current?.parameters ?? {}, parameters),
      clientVersion: input.clientVersion,
    },
  });
  if (!result.ok) throw stale();
  const changes = await deps.store.listRegionParameterChanges(region, CHANGES_SHOWN);
  return { created: current === undefined, response: responseOf(region, record, changes) };
}
