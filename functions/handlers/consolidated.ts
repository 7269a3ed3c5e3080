import { consolidated } from '../core/consolidated.ts';
import { regionDeps } from '../core/deps.ts';
import { callerOf, requireRegionAccess } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { periodValue, regionParameter, route } from '../lib/request.ts';

export const handler = route('consolidated', async (event) => {
  const caller = callerOf(event);
  const region = regionParameter(event);
  requireRegionAccess(caller, region);
  const period = periodValue(event.queryStringParameters?.period, 'period');
  const query = event.queryStringParameters ?? {};
  return json(200, await consolidated(regionDeps(), caller, region, period, query.pageToken));
});
