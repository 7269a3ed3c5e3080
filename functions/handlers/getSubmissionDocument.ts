import { documentDeps } from '../core/deps.ts';
import { getSubmissionDocument, parseVersionQuery } from '../core/history.ts';
import { callerOf } from '../lib/claims.ts';
import { atsParameter, periodParameter, route } from '../lib/request.ts';

/**
 * GET /v1/ats/{ats}/submissions/{period}/document[?version=N]: the stored canonical JSON, byte for byte (not parsed
 * and written again), so its sha256 is the receipt's. ETag is the version shown.
 */
export const handler = route('getSubmissionDocument', async (event) => {
  const caller = callerOf(event);
  const ats = atsParameter(event);
  const period = periodParameter(event);
  const version = parseVersionQuery(event.queryStringParameters?.version);
  const document = await getSubmissionDocument(documentDeps(), caller, ats, period, version);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      etag: `"${document.version}"`,
    },
    body: document.body,
  };
});
