import { type ApiFailure, failureLines } from '../../shared/client/client.ts';
import type { PutRegionParametersBody } from '../../shared/contract/region-parameters.ts';
import { type FetchApiOptions, regionalApiClient } from './api.ts';
import type { ParametersAnswer, RegionParametersApi } from './parameters.ts';

/**
 * GET and PUT of the Region's check parameters for the regional panel, through the one API client: the version shown
 * goes as If-Match, and a refusal comes back as the server's Italian message with the first issues (path: message).
 */

function refusal(failure: ApiFailure): ParametersAnswer {
  const [message = failure.message, ...details] = failureLines(failure, 20);
  return { ok: false, message, details: details.map((line) => line.trim()) };
}

export function fetchRegionParametersApi(options: FetchApiOptions): RegionParametersApi {
  const client = regionalApiClient(options);
  return {
    async get(region) {
      const result = await client.call('getRegionParameters', { params: { region } });
      return result.kind === 'ok' ? { ok: true, body: result.body } : refusal(result);
    },
    async put(region, parameters, version) {
      const result = await client.call('putRegionParameters', {
        params: { region },
        // The contract's body type has mutable arrays where CheckParams has readonly ones: the same JSON.
        body: { parameters: parameters as PutRegionParametersBody['parameters'] },
        headers: version === 0 ? {} : { 'if-match': String(version) },
      });
      return result.kind === 'ok' ? { ok: true, body: result.body } : refusal(result);
    },
  };
}
