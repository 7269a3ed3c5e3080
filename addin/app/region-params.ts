import { type ParametersFetch, type ParamsInUse, paramsInUse } from '../../shared/checks/region-params-source.ts';
import { createApiClient } from '../../shared/client/client.ts';
import { ATS_CODE } from '../../shared/contract/codes.ts';
import {
  type RegionParametersResponse,
  regionParametersResponseSchema,
} from '../../shared/contract/region-parameters.ts';
import { fetchTransport } from './transport.ts';

/**
 * The Region's check parameters for the task pane's own checks. They are read from the API whenever it answers and
 * kept in the browser's storage, because the local checks run exactly when the API does not: offline they use the
 * last copy read (and say from when), and the defaults only when none was ever read (and say so).
 */

/** The part of the Web Storage API used here (localStorage in the task pane, a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const NO_STORAGE: KeyValueStorage = { getItem: () => null, setItem: () => {} };

/** localStorage can be missing, or refused with an exception, in a webview: the checks then use the defaults, and say so. */
export function browserStorage(): KeyValueStorage {
  try {
    return globalThis.localStorage ?? NO_STORAGE;
  } catch {
    return NO_STORAGE;
  }
}

const storageKey = (region: string): string => `rendiconta.parametri.${region}`;

interface Saved {
  readonly savedAt: string;
  readonly body: RegionParametersResponse;
}

function readSaved(storage: KeyValueStorage, region: string): Saved | undefined {
  try {
    const text = storage.getItem(storageKey(region));
    if (text === null) return undefined;
    const value = JSON.parse(text) as { savedAt?: unknown; body?: unknown };
    const body = regionParametersResponseSchema.safeParse(value.body);
    if (typeof value.savedAt !== 'string' || !body.success || body.data.region !== region) return undefined;
    return { savedAt: value.savedAt, body: body.data };
  } catch {
    // Storage disabled or an old, unreadable copy: as if none was read.
    return undefined;
  }
}

/**
 * The parameters for a local check of an ATS of `region`: what the API answers now (kept for later), else the copy
 * kept, else the defaults, each with the Italian sentence that says which.
 */
export async function regionParamsForLocalChecks(
  region: string,
  fetchParameters: (region: string) => Promise<ParametersFetch>,
  storage: KeyValueStorage,
  now: () => Date = () => new Date(),
): Promise<ParamsInUse> {
  const fetched = await fetchParameters(region).catch(
    (error: unknown): ParametersFetch => ({
      kind: 'offline',
      message: error instanceof Error ? error.message : String(error),
    }),
  );
  if (fetched.kind === 'ok') {
    try {
      storage.setItem(storageKey(region), JSON.stringify({ savedAt: now().toISOString(), body: fetched.body }));
    } catch {
      // A full or disabled storage only means the next offline check uses the defaults, and says so.
    }
    return paramsInUse(region, fetched);
  }
  const saved = readSaved(storage, region);
  if (!saved) return paramsInUse(region, fetched);
  const fromCopy = paramsInUse(region, { kind: 'ok', body: saved.body });
  const day = saved.savedAt.slice(0, 10).split('-').reverse().join('/');
  return {
    ...fromCopy,
    note: `${fromCopy.note.replace(/\.$/, '')}, come letti il ${day}: il servizio non è raggiungibile ora (${fetched.message.replace(/\.$/, '')}).`,
  };
}

/**
 * The task pane's fetch of the Region's parameters, through the one API client (the pane's own transport and token):
 * what regionParamsForLocalChecks needs.
 */
export function fetchRegionParameters(options: {
  readonly baseUrl: string;
  readonly token: () => string | undefined;
  readonly fetch?: typeof fetch;
  readonly clientVersion?: string;
}): (region: string) => Promise<ParametersFetch> {
  const client = createApiClient({
    baseUrl: options.baseUrl,
    token: options.token,
    ...(options.clientVersion ? { clientVersion: options.clientVersion } : {}),
    transport: fetchTransport(options.fetch ? { fetch: options.fetch } : {}),
  });
  return async (region) => {
    const result = await client.call('getRegionParameters', { params: { region } });
    return result.kind === 'ok' ? { kind: 'ok', body: result.body } : { kind: result.kind, message: result.message };
  };
}

/**
 * The parameters for the ribbon's Valida, which has no sign-in and so never calls the API: the copy the task pane last
 * read for the ATS's Region (ATS-RR-NNN), else the defaults, each with the sentence that says which. None for a code
 * that is not an ATS code (the reader has already said what to fill in).
 */
export function savedRegionParams(ats: string, storage: KeyValueStorage): ParamsInUse | null {
  if (!ATS_CODE.test(ats)) return null;
  const region = ats.slice(4, 6);
  const saved = readSaved(storage, region);
  if (!saved) {
    return paramsInUse(region, {
      kind: 'not-tried',
      message:
        'il comando «Valida» della barra multifunzione non si collega al servizio: aprire il riquadro per leggerli',
    });
  }
  const fromCopy = paramsInUse(region, { kind: 'ok', body: saved.body });
  const day = saved.savedAt.slice(0, 10).split('-').reverse().join('/');
  return { ...fromCopy, note: `${fromCopy.note.replace(/\.$/, '')}, come letti dal riquadro il ${day}.` };
}
