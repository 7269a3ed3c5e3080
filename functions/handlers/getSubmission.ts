import { defaultDeps } from '../core/deps.ts';
import { getSubmission, parseVersionQuery } from '../core/history.ts';
import { callerOf } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { atsParameter, periodParameter, route } from '../lib/request.ts';

export const handler = route('getSubmission', async (event) => {
  const caller = callerOf(event);
  const ats = atsParameter(event);
  const period = periodParameter(event);
  const version = parseVersionQuery(event.queryStringParameters?.version);
  const response = await getSubmission(defaultDeps(), caller, ats, period, version);
  return json(200, response, { etag: `"${response.currentVersion}"` });
});
