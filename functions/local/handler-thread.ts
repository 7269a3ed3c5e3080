import { parentPort, workerData } from 'node:worker_threads';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../lib/logger.ts';
import type { Event } from '../lib/request.ts';
import { ROUTES } from '../routes.ts';
import {
  type DynamoDbRequest,
  dynamoDbRequestCounts,
  observeDynamoDbRequests,
  resetDynamoDbRequestCounts,
} from '../store/request-meter.ts';
import type { HandlerThreadData, Invocation, InvocationReply } from './handler-messages.ts';

/**
 * One function instance of the local stack (handler-pool.ts): like a Lambda execution environment it loads the
 * handler modules once, keeps their module state (memoised clients) between invocations, and runs one invocation at
 * a time. The environment (AWS_ENDPOINT_URL_DYNAMODB…) is the stack's own, shared with the main thread.
 */

type Handler = (event: Event) => Promise<APIGatewayProxyStructuredResultV2>;

const port = parentPort;
if (!port) throw new Error('handler-thread.ts runs only as a worker thread');
const { quiet } = workerData as HandlerThreadData;
if (quiet) logger.setLogLevel('SILENT');

const handlers = new Map<string, Handler>(
  await Promise.all(
    ROUTES.map(async (def) => {
      const module = (await import(`../handlers/${def.id}.ts`)) as { handler: Handler };
      return [def.id, module.handler] as const;
    }),
  ),
);

async function invoke(invocation: Invocation): Promise<InvocationReply> {
  const requests: DynamoDbRequest[] = [];
  const stopObserving = invocation.observeStore
    ? observeDynamoDbRequests((request) => requests.push(request))
    : () => undefined;
  resetDynamoDbRequestCounts();
  try {
    const handler = handlers.get(invocation.routeId);
    if (!handler) throw new Error(`no handler for route ${invocation.routeId}`);
    const result = await handler(invocation.event);
    return { id: invocation.id, ok: true, result, requestCounts: dynamoDbRequestCounts(), requests };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { id: invocation.id, ok: false, error: message, requestCounts: dynamoDbRequestCounts(), requests };
  } finally {
    stopObserving();
  }
}

port.on('message', (invocation: Invocation) => {
  void invoke(invocation).then((reply) => port.postMessage(reply));
});
port.postMessage({ ready: true });
