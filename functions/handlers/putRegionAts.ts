import { regionAtsBodySchema } from '../../shared/contract/region-ats-body.ts';
import { registrationDeps } from '../core/deps.ts';
import { putRegionAts } from '../core/registrations.ts';
import { callerOf, requireRegionAccess } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { parseBody } from '../lib/parse.ts';
import { atsParameter, regionParameter, route } from '../lib/request.ts';

export const handler = route('putRegionAts', async (event) => {
  const caller = callerOf(event);
  const region = regionParameter(event);
  const ats = atsParameter(event);
  requireRegionAccess(caller, region);
  const body = parseBody(
    event,
    regionAtsBodySchema,
    'Registrazione dell\u2019Ambito non valida: attesi name e comuni.',
  );
  const { created, ...response } = await putRegionAts(registrationDeps(), caller, region, ats, body);
  return json(created ? 201 : 200, response);
});
