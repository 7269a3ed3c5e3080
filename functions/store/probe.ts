import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbClient, tableName } from './client.ts';
import { keys } from './keys.ts';

/**
 * Whether the table answers, for GET /v1/health: one eventually consistent GetItem of the table's layout mark
 * (keys.layout), half a read unit, answered within a second or taken as unreachable. The route is public, so one
 * answer serves every health request of the next two seconds: callers cannot turn it into a stream of reads, and
 * an uptime check still sees a store that stopped within seconds.
 */

const PROBE_TIMEOUT_MS = 1000;
const REUSE_FOR_MS = 2000;

let last: { readonly at: number; readonly reachable: Promise<boolean> } | undefined;

async function probe(): Promise<boolean> {
  try {
    await dynamoDbClient().send(new GetCommand({ TableName: tableName(), Key: keys.layout }), {
      abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return true;
  } catch {
    // Whatever the reason (refused, timed out, throttled, denied), the data routes cannot use the table now.
    return false;
  }
}

export function storeReachable(now = Date.now()): Promise<boolean> {
  if (!last || now - last.at >= REUSE_FOR_MS) last = { at: now, reachable: probe() };
  return last.reachable;
}
