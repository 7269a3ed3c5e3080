/**
 * Requests within Excel's limit, in as few round trips as it allows.
 *
 * Office.js sends everything queued before a `context.sync()` as ONE request, and "Excel on the web has a payload size
 * limit for requests and responses of 5MB" (Microsoft, Resource limits and performance optimization for Office
 * Add-ins). So writes are planned as operations, each with an upper bound of the bytes Office.js serialises for it,
 * and packed greedily into requests under the limit.
 *
 * The bound follows the request body Office.js builds (ClientRequestBase.buildRequestMessageBodyAndRequestFlags in
 * @microsoft/office-js): every proxy an operation creates is an object path (`"7":{"Id":7,"ObjectPathType":3,"Name":
 * "GetRange","ParentObjectPathId":5,"ArgumentInfo":{"Arguments":["A2"]}}`) plus an Instantiate action, a property
 * write or method call is one more action with its arguments, and each object path's id appears once more in the
 * "last used" list (`"L":[…]`) of some action. Ids are counted with seven digits, more than a 5 MB request can reach,
 * so the estimate is never below what the library sends; test/addin/request-size.test.ts compares the two with the
 * real library and checks the estimate stays close.
 */

/** The smaller reading of Microsoft's "5MB" (the page does not say 10^6 or 2^20 bytes). */
export const EXCEL_WEB_REQUEST_LIMIT = 5_000_000;

/** An id as wide as any a request can carry: 10 million object paths would be far more than 5 MB. */
const WIDEST_ID = 9_999_999;
/** `,"L":[]` on the action that uses an operation's paths last. */
const LAST_USED_LIST = ',"L":[]'.length;
const ID_IN_LIST = `${WIDEST_ID},`.length;

/** One step of a chain of proxies: a property (`format`), an indexer (`worksheets.getItem(name)`), or a method. */
export type PathStep =
  | { readonly property: string }
  | { readonly indexer: readonly unknown[] }
  | { readonly method: string; readonly args: readonly unknown[] };

/** What an operation ends with: a property write, a method call, or nothing (a method that returns an object). */
export type FinalAction =
  | { readonly set: string; readonly value: unknown }
  | { readonly call: string; readonly args: readonly unknown[] }
  | null;

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

const json = (value: unknown): number => utf8Length(JSON.stringify(value));

function pathBytes(step: PathStep): number {
  const entry: Record<string, unknown> = { Id: WIDEST_ID, ObjectPathType: 9, Name: '', ParentObjectPathId: WIDEST_ID };
  if ('property' in step) entry.Name = step.property;
  else if ('indexer' in step) entry.ArgumentInfo = { Arguments: step.indexer };
  else {
    entry.Name = step.method;
    entry.ArgumentInfo = { Arguments: step.args };
  }
  const instantiate = { Id: WIDEST_ID, ActionType: 1, Name: '', ObjectPathId: WIDEST_ID };
  return `"${WIDEST_ID}":`.length + json(entry) + 1 + json(instantiate) + 1 + ID_IN_LIST;
}

function actionBytes(action: NonNullable<FinalAction>): number {
  const body =
    'set' in action
      ? {
          Id: WIDEST_ID,
          ActionType: 4,
          Name: action.set,
          ObjectPathId: WIDEST_ID,
          ArgumentInfo: { Arguments: [action.value] },
        }
      : {
          Id: WIDEST_ID,
          ActionType: 3,
          Name: action.call,
          ObjectPathId: WIDEST_ID,
          ArgumentInfo: { Arguments: action.args },
        };
  return json(body) + 1;
}

/** Office.js names properties and methods in PascalCase on the wire ("values" → "Values", "getRange" → "GetRange"). */
export const wireName = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The upper bound of what one operation adds to a request: its new object paths and its action. Each of its paths is
 * a parent of the next, so all are last used by its final action (or its last Instantiate when it ends with a path):
 * one "last used" list per operation, holding every path's id.
 */
export function operationBytes(steps: readonly PathStep[], action: FinalAction): number {
  return (
    steps.reduce((total, step) => total + pathBytes(step), 0) + (action ? actionBytes(action) : 0) + LAST_USED_LIST
  );
}

/**
 * Office.js splits a 2D write of more than 1,500 cells itself (setRangePropertiesInBulk in the library): a
 * `_ValidateArraySize` call, then per slice of round(1500 / columns) rows two `GetRow` paths, a `GetBoundingRect`
 * path referencing the second (each flagged `"D":true`) and the property write of that slice.
 */
export const OFFICE_BULK_CELLS = 1500;
const SLICE_PATH_FLAGS = ',"D":true'.length;
const REFERENCED_IDS = `,"ReferencedObjectPathIds":[${WIDEST_ID}]`.length;

/** The bound of writing a matrix into the range reached by `steps` (`property`: "Values", "Formulas", "NumberFormat"). */
export function rangeWriteBytes(
  steps: readonly PathStep[],
  property: string,
  matrix: readonly (readonly unknown[])[],
): number {
  const columns = matrix[0]?.length ?? 0;
  if (matrix.length * columns <= OFFICE_BULK_CELLS) return operationBytes(steps, { set: property, value: matrix });
  const sliceRows = Math.max(1, Math.round(OFFICE_BULK_CELLS / columns));
  let bytes = operationBytes(steps, { call: '_ValidateArraySize', args: [matrix.length, columns] });
  for (let start = 0; start < matrix.length; start += sliceRows) {
    const slice = matrix.slice(start, start + sliceRows);
    bytes +=
      operationBytes(
        [
          { method: 'GetRow', args: [start] },
          { method: 'GetRow', args: [start + slice.length - 1] },
          { method: 'GetBoundingRect', args: [WIDEST_ID] },
        ],
        { set: property, value: slice },
      ) +
      3 * SLICE_PATH_FLAGS +
      REFERENCED_IDS;
  }
  return bytes;
}

/**
 * What every request carries once: the body's own keys, the workbook root and the worksheets collection with their
 * Instantiate actions, and room for a few shared proxies an operation reuses (a sheet added earlier in the run).
 */
export const REQUEST_ENVELOPE_BYTES =
  json({ AutoKeepReference: false, Actions: [], ObjectPaths: {} }) +
  operationBytes([{ property: 'Workbook' }, { property: 'Worksheets' }], null) +
  2048;

/** One write of a plan: its bound in bytes and what it queues on the context. */
export interface PlannedWrite<C> {
  readonly bytes: number;
  queue(context: C): void;
}

/** Packs writes in order into requests whose bound stays within `limit`; a write alone over it is an error. */
export function packWrites<C>(
  writes: readonly PlannedWrite<C>[],
  limit = EXCEL_WEB_REQUEST_LIMIT,
): PlannedWrite<C>[][] {
  const budget = limit - REQUEST_ENVELOPE_BYTES;
  const requests: PlannedWrite<C>[][] = [];
  let current: PlannedWrite<C>[] = [];
  let size = 0;
  for (const write of writes) {
    if (write.bytes > budget) {
      throw new Error(`Un'operazione di ${write.bytes} byte supera il limite di ${limit} byte per richiesta di Excel.`);
    }
    if (current.length > 0 && size + write.bytes > budget) {
      requests.push(current);
      current = [];
      size = 0;
    }
    current.push(write);
    size += write.bytes;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** Sends a plan in as few requests as the limit allows; returns how many it took (round trips). */
export async function sendWrites<C extends { sync(): Promise<unknown> }>(
  context: C,
  writes: readonly PlannedWrite<C>[],
  limit = EXCEL_WEB_REQUEST_LIMIT,
): Promise<number> {
  const requests = packWrites(writes, limit);
  for (const request of requests) {
    for (const write of request) write.queue(context);
    await context.sync();
  }
  return requests.length;
}

/**
 * Rows of a block write, split so each block's bound stays under `maxBytes`: `blockBytes(rows)` is the bound of
 * writing those rows in one operation (its address and matrix), so large lists never make one oversized operation.
 */
export function rowBlocks<R>(rows: readonly R[], rowBytes: (row: R) => number, maxBytes: number): R[][] {
  const blocks: R[][] = [];
  let current: R[] = [];
  let size = 0;
  for (const row of rows) {
    const bytes = rowBytes(row);
    if (current.length > 0 && size + bytes > maxBytes) {
      blocks.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += bytes;
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}
