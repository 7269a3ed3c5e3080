import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Event } from '../lib/request.ts';
import type { DynamoDbRequest } from '../store/request-meter.ts';

/** What the local stack's main thread and its function threads (handler-pool.ts, handler-thread.ts) exchange. */

export interface HandlerThreadData {
  /** No log lines (the stack's `quiet`). */
  readonly quiet: boolean;
}

export interface Invocation {
  readonly id: number;
  readonly routeId: string;
  readonly event: Event;
  /** Record each DynamoDB command's input and send it back (someone in the main thread observes them). */
  readonly observeStore: boolean;
}

interface ReplyCommon {
  readonly id: number;
  /** The DynamoDB requests this invocation sent, by command name. */
  readonly requestCounts: Record<string, number>;
  readonly requests: readonly DynamoDbRequest[];
}

/** The handler's result, or what it threw (Lambda's "function error"). */
export type InvocationReply =
  | (ReplyCommon & { readonly ok: true; readonly result: APIGatewayProxyStructuredResultV2 })
  | (ReplyCommon & { readonly ok: false; readonly error: string });

export interface ThreadReady {
  readonly ready: true;
}
