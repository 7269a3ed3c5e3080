import { json, STORE_RETRY_AFTER_SECONDS } from '../lib/http.ts';
import { route } from '../lib/request.ts';
import { storeReachable } from '../store/probe.ts';

/**
 * The function and the table it serves: 200 when both answer, 503 with Retry-After when the table does not (the data
 * routes answer 503 too meanwhile), so a load balancer or an uptime check sees what a user would.
 */
export const handler = route('health', async () =>
  (await storeReachable())
    ? json(200, { status: 'ok', version: 'v1', store: 'ok' })
    : json(
        503,
        { status: 'unavailable', version: 'v1', store: 'unavailable' },
        { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
      ),
);
