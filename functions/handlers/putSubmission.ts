import { submissionDeps } from '../core/deps.ts';
import { putSubmission } from '../core/submissions.ts';
import { callerOf, requireOperatorOf } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { clientVersion } from '../lib/parse.ts';
import { atsParameter, header, jsonBody, periodParameter, route } from '../lib/request.ts';

export const handler = route('putSubmission', async (event) => {
  const caller = callerOf(event);
  const ats = atsParameter(event);
  const period = periodParameter(event);
  requireOperatorOf(caller, ats);
  const outcome = await putSubmission(submissionDeps(), {
    caller,
    ats,
    period,
    body: jsonBody(event),
    idempotencyKey: header(event, 'idempotency-key'),
    ifMatch: header(event, 'if-match'),
    clientVersion: clientVersion(event),
  });
  return json(
    201,
    { receipt: outcome.receipt },
    {
      etag: `"${outcome.receipt.version}"`,
      location: `/v1/ats/${ats}/submissions/${period}?version=${outcome.receipt.version}`,
      ...(outcome.replayed ? { 'idempotent-replayed': 'true' } : {}),
    },
  );
});
