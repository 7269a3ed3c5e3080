import { reviewBodySchema } from '../../shared/contract/review-body.ts';
import { reviewDeps } from '../core/deps.ts';
import { reviewSubmission } from '../core/history.ts';
import { callerOf, regionOfAts, requireReviewerOf } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { clientVersion, parseBody } from '../lib/parse.ts';
import { atsParameter, periodParameter, route } from '../lib/request.ts';

export const handler = route('reviewSubmission', async (event) => {
  const caller = callerOf(event);
  const ats = atsParameter(event);
  const period = periodParameter(event);
  requireReviewerOf(caller, regionOfAts(ats));
  const body = parseBody(event, reviewBodySchema, 'Esame non valido: attesi decision, comment e version.');
  return json(200, await reviewSubmission(reviewDeps(), caller, ats, period, body, clientVersion(event)));
});
