import type { RegionParametersResponse } from '../contract/region-parameters.ts';
import { type CheckParams, DEFAULT_PARAMS, type RegionParameters, withParams } from './params.ts';

/*
 * Which parameters a client's local checks run with, and the Italian sentence that says so. The add-in and the CLI
 * fetch the Region's parameters (GET /v1/regions/{region}/parameters) so their checks find what the server will;
 * when they cannot, they check with the defaults and say that the server may find otherwise.
 */

/** What a fetch of the Region's parameters gave: the API client's result, or a reason it was not tried. */
export type ParametersFetch =
  | { readonly kind: 'ok'; readonly body: RegionParametersResponse }
  | { readonly kind: 'offline' | 'unauthorized' | 'error' | 'not-tried'; readonly message: string };

export interface ParamsInUse {
  readonly params: CheckParams;
  readonly region: string;
  /** The Region's version used; null when the defaults are used because the Region's could not be read. */
  readonly version: number | null;
  readonly source: 'region' | 'defaults';
  /** One Italian sentence for the user: which parameters, and what that means. */
  readonly note: string;
}

function dateOf(iso: string): string {
  const [year, month, day] = iso.slice(0, 10).split('-');
  return `${day}/${month}/${year}`;
}

/** The parameters to check with, from what the fetch gave. */
export function paramsInUse(region: string, fetched: ParametersFetch): ParamsInUse {
  if (fetched.kind === 'ok') {
    const { version, updatedAt } = fetched.body;
    const parameters = fetched.body.parameters as RegionParameters;
    return {
      params: withParams(parameters),
      region,
      version,
      source: 'region',
      note:
        version === 0
          ? `Parametri dei controlli: la Regione ${region} usa i valori predefiniti.`
          : `Parametri dei controlli della Regione ${region}, versione ${version}${updatedAt ? ` del ${dateOf(updatedAt)}` : ''}.`,
    };
  }
  return {
    params: DEFAULT_PARAMS,
    region,
    version: null,
    source: 'defaults',
    note: `Parametri dei controlli predefiniti: quelli della Regione ${region} non sono disponibili (${fetched.message.replace(/\.$/, '')}); l\u2019esito sul server può differire.`,
  };
}
