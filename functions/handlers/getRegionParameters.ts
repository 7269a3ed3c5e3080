import { regionParametersDeps } from '../core/deps.ts';
import { getRegionParameters } from '../core/region-parameters.ts';
import { callerOf } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { regionParameter, route } from '../lib/request.ts';

export const handler = route('getRegionParameters', async (event) => {
  const caller = callerOf(event);
  return json(200, await getRegionParameters(regionParametersDeps(), caller, regionParameter(event)));
});
