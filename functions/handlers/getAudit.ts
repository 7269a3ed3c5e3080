import { auditDeps } from '../core/deps.ts';
import { getAudit } from '../core/history.ts';
import { callerOf } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { atsParameter, route } from '../lib/request.ts';

export const handler = route('getAudit', async (event) => {
  const caller = callerOf(event);
  const ats = atsParameter(event);
  const query = event.queryStringParameters ?? {};
  return json(200, await getAudit(auditDeps(), caller, ats, query.limit, query.nextToken));
});
