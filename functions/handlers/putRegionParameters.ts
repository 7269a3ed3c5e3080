import { putRegionParametersBodySchema } from '../../shared/contract/region-parameters.ts';
import { regionParametersWriteDeps } from '../core/deps.ts';
import { putRegionParameters } from '../core/region-parameters.ts';
import { callerOf, requireRegionAccess } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { clientVersion, parseBody } from '../lib/parse.ts';
import { header, regionParameter, route } from '../lib/request.ts';

export const handler = route('putRegionParameters', async (event) => {
  const caller = callerOf(event);
  const region = regionParameter(event);
  // Authorization before the body is read: a caller who may not set them learns nothing from its errors.
  requireRegionAccess(caller, region);
  const body = parseBody(
    event,
    putRegionParametersBodySchema,
    'Parametri dei controlli non validi: correggere i valori indicati.',
  );
  const { created, response } = await putRegionParameters(regionParametersWriteDeps(), {
    caller,
    region,
    body,
    ifMatch: header(event, 'if-match'),
    clientVersion: clientVersion(event),
  });
  return json(created ? 201 : 200, response);
});
