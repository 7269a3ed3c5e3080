import { readingDeps } from '../core/deps.ts';
import { getSubmission, parseHistoryQuery, parseVersionQuery } from '../core/history.ts';
import { callerOf } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { atsParameter, periodParameter, route } from '../lib/request.ts';

export const handler = route('getSubmission', async (event) => {
  const caller = callerOf(event);
  const ats = atsParameter(event);
  const period = periodParameter(event);
  const query = event.queryStringParameters ?? {};
  const version = parseVersionQuery(query.version);
  const history = parseHistoryQuery(ats, period, query.historyLimit, query.historyPageToken);
  const response = await getSubmission(readingDeps(), caller, ats, period, version, history);
  return json(200, response, { etag: `"${response.currentVersion}"` });
});
