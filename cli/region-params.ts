import { type ParametersFetch, type ParamsInUse, paramsInUse } from '../shared/checks/region-params-source.ts';
import { apiBase, cliApiClient, failureMessage } from './api.ts';
import { CliError } from './errors.ts';
import { bearerToken } from './session.ts';

/**
 * The parameters `rendiconta valida` checks with: the Region's, read from the API given with --api (with the token of
 * `rendiconta accedi` or RENDICONTA_TOKEN), so the local report finds what `invia` will; without --api, or when the API
 * cannot be read, the defaults, and the report says so.
 */
export async function cliRegionParams(
  region: string,
  api: string | undefined,
  options: { readonly env?: NodeJS.ProcessEnv; readonly attempts?: number } = {},
): Promise<ParamsInUse> {
  return paramsInUse(region, await fetchRegionParams(region, api, options));
}

async function fetchRegionParams(
  region: string,
  api: string | undefined,
  options: { readonly env?: NodeJS.ProcessEnv; readonly attempts?: number },
): Promise<ParametersFetch> {
  if (api === undefined) {
    return { kind: 'not-tried', message: 'indicare --api per usare quelli della Regione' };
  }
  try {
    const base = apiBase(api);
    const token = await bearerToken(base, options.env ? { env: options.env } : {});
    const result = await cliApiClient({
      base,
      token,
      ...(options.attempts ? { attempts: options.attempts } : {}),
    }).call('getRegionParameters', { params: { region } });
    return result.kind === 'ok'
      ? { kind: 'ok', body: result.body }
      : { kind: result.kind, message: failureMessage(result) };
  } catch (error) {
    // No token, an address that is not an API, the API unreachable: each has its Italian message.
    if (error instanceof CliError) return { kind: 'offline', message: error.message };
    throw error;
  }
}
