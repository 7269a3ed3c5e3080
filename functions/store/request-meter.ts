/**
 * What the DynamoDB client sent, for the benchmarks and the tests: a count of requests by command name, and observers
 * that see each command's input. In AWS nothing reads these. The local stack runs each function in a worker thread of
 * its own (functions/local/handler-pool.ts), with its own copy of this module: after each invocation the thread sends
 * what it counted and saw to the main thread, which adds it here, so a reader in the main thread sees every request.
 */

/** One command as the client sends it: its name and its input, marshalled (attribute values as `{S: "…"}`). */
export interface DynamoDbRequest {
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
}

export type DynamoDbRequestObserver = (request: DynamoDbRequest) => void;

const requestCounts = new Map<string, number>();
const observers = new Set<DynamoDbRequestObserver>();

export function countDynamoDbRequest(command: string): void {
  requestCounts.set(command, (requestCounts.get(command) ?? 0) + 1);
}

/** Adds requests counted in another thread (the local stack's function threads). */
export function addDynamoDbRequestCounts(counts: Readonly<Record<string, number>>): void {
  for (const [command, count] of Object.entries(counts)) {
    requestCounts.set(command, (requestCounts.get(command) ?? 0) + count);
  }
}

export function dynamoDbRequestCounts(): Record<string, number> {
  return Object.fromEntries(requestCounts);
}

export function resetDynamoDbRequestCounts(): void {
  requestCounts.clear();
}

/** Calls `observer` with every command sent from now on, in this thread or reported by another; returns its removal. */
export function observeDynamoDbRequests(observer: DynamoDbRequestObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** Whether anyone observes commands: only then do the function threads record and send them. */
export function hasDynamoDbRequestObservers(): boolean {
  return observers.size > 0;
}

export function reportDynamoDbRequest(request: DynamoDbRequest): void {
  for (const observer of observers) observer(request);
}
