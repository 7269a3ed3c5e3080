import { registrationListDeps } from '../core/deps.ts';
import { listRegionAts } from '../core/registrations.ts';
import { callerOf } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { regionParameter, route } from '../lib/request.ts';

export const handler = route('listRegionAts', async (event) => {
  const caller = callerOf(event);
  return json(200, await listRegionAts(registrationListDeps(), caller, regionParameter(event)));
});
