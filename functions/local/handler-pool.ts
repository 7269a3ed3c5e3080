import { availableParallelism } from 'node:os';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Event } from '../lib/request.ts';
import {
  addDynamoDbRequestCounts,
  hasDynamoDbRequestObservers,
  reportDynamoDbRequest,
} from '../store/request-meter.ts';
import type { HandlerThreadData, Invocation, InvocationReply, ThreadReady } from './handler-messages.ts';

/**
 * The functions of the local stack, each invocation in a worker thread (handler-thread.ts) rather than in the API's
 * own thread. In AWS every concurrent request gets its own Lambda execution environment, so a request that keeps the
 * CPU busy (validating a 1 MB body) never delays another; in one Node thread it delayed them all, /v1/health included.
 * As in Lambda, a thread runs one invocation at a time and keeps its module state between invocations; when every
 * thread is busy the invocation waits for the first free one (Lambda would start another environment: here the pool
 * is sized to the machine's cores, which is all the parallelism there is).
 */

/** At least two, so that one busy thread leaves one free for everything else even on a single core. */
export const MIN_HANDLER_THREADS = 2;

export function defaultHandlerThreads(): number {
  return Math.max(MIN_HANDLER_THREADS, availableParallelism());
}

interface Pending {
  readonly invocation: Invocation;
  readonly resolve: (result: APIGatewayProxyStructuredResultV2) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  current: Pending | undefined;
}

export interface HandlerPool {
  invoke(routeId: string, event: Event): Promise<APIGatewayProxyStructuredResultV2>;
  close(): Promise<void>;
}

const ENTRY = new URL('./handler-thread-entry.mjs', import.meta.url);

export async function startHandlerPool(options: { size: number; quiet: boolean }): Promise<HandlerPool> {
  const data: HandlerThreadData = { quiet: options.quiet };
  const threads = new Set<Thread>();
  const queue: Pending[] = [];
  let nextId = 1;
  let closing = false;

  function dispatch(): void {
    for (const thread of threads) {
      if (queue.length === 0) return;
      if (thread.current) continue;
      const pending = queue.shift() as Pending;
      thread.current = pending;
      thread.worker.postMessage(pending.invocation);
    }
  }

  function settle(thread: Thread, reply: InvocationReply): void {
    const pending = thread.current;
    thread.current = undefined;
    addDynamoDbRequestCounts(reply.requestCounts);
    for (const request of reply.requests) reportDynamoDbRequest(request);
    if (pending?.invocation.id === reply.id) {
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new Error(`function ${pending.invocation.routeId} failed: ${reply.error}`));
    }
    dispatch();
  }

  /** A thread that starts, loads every handler and says so; one that dies is replaced, its invocation failed. */
  function spawn(): Promise<void> {
    return new Promise((resolveReady, rejectReady) => {
      const worker = new Worker(ENTRY, { env: SHARE_ENV, workerData: data });
      const thread: Thread = { worker, current: undefined };
      let ready = false;
      worker.on('message', (message: InvocationReply | ThreadReady) => {
        if ('ready' in message) {
          ready = true;
          threads.add(thread);
          resolveReady();
          dispatch();
        } else settle(thread, message);
      });
      const lost = (error: Error) => {
        if (!threads.delete(thread) && ready) return;
        thread.current?.reject(error);
        thread.current = undefined;
        if (!ready) return rejectReady(error);
        if (!closing) void spawn().catch(() => undefined);
      };
      worker.on('error', lost);
      worker.on('exit', (code) => lost(new Error(`function thread exited with code ${code}`)));
    });
  }

  const started = await Promise.allSettled(Array.from({ length: options.size }, () => spawn()));
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    closing = true;
    await Promise.all([...threads].map((thread) => thread.worker.terminate()));
    throw (failed as PromiseRejectedResult).reason;
  }

  return {
    invoke(routeId, event) {
      if (closing) return Promise.reject(new Error('the local stack is stopping'));
      return new Promise((resolve, reject) => {
        queue.push({
          invocation: { id: nextId++, routeId, event, observeStore: hasDynamoDbRequestObservers() },
          resolve,
          reject,
        });
        dispatch();
      });
    },
    async close() {
      closing = true;
      for (const pending of queue.splice(0)) pending.reject(new Error('the local stack is stopping'));
      await Promise.all([...threads].map((thread) => thread.worker.terminate()));
      threads.clear();
    },
  };
}
