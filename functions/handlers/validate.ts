import { validateDeps } from '../core/deps.ts';
import { validateForCaller } from '../core/submissions.ts';
import { callerOf } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { jsonBody, route } from '../lib/request.ts';

export const handler = route('validate', async (event) => {
  const caller = callerOf(event);
  return json(200, await validateForCaller(validateDeps(), caller, jsonBody(event)));
});
