import { consolidated } from '../core/consolidated.ts';
import { defaultDeps } from '../core/deps.ts';
import { callerOf, requireRegionAccess } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { periodValue, regionParameter, route } from '../lib/request.ts';

export const handler = route('consolidated', async (event) => {
  const caller = callerOf(event);
  const region = regionParameter(event);
  requireRegionAccess(caller, region);
  const period = periodValue(event.queryStringParameters?.period, 'period');
  return json(200, await consolidated(defaultDeps(), caller, region, period));
});
