import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Finding } from '../../shared/checks/types.ts';
import {
  type Db,
  type Item,
  type ItemKey,
  isBlobRef,
  metaFromItem,
  reviewFromItem,
  statusOf,
  text,
} from './dynamo-items.ts';
import { keys } from './keys.ts';
import { type BlobRef, decodeText, joinChunks } from './payload.ts';
import type { CurrentVersion, StoredVersion, VersionKey } from './types.ts';

/** The reads every part of the store shares: BatchGetItem, Query, and decoding versions with their chunks. */

/** BatchGetItem with the retry of unprocessed keys DynamoDB asks for under load. */
export async function batchGet(db: Db, keyList: readonly ItemKey[], consistent = false): Promise<Item[]> {
  const items: Item[] = [];
  for (let start = 0; start < keyList.length; start += 100) {
    let pending: Array<Record<string, unknown>> | undefined = keyList.slice(start, start + 100);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      const result: BatchGetCommandOutput = await db.client.send(
        new BatchGetCommand({ RequestItems: { [db.table]: { Keys: pending, ConsistentRead: consistent } } }),
      );
      items.push(...((result.Responses?.[db.table] ?? []) as Item[]));
      pending = result.UnprocessedKeys?.[db.table]?.Keys;
    }
  }
  return items;
}

export async function queryAll(db: Db, input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.client.send(new QueryCommand({ ...input, TableName: db.table, ExclusiveStartKey: start }));
    items.push(...((result.Items ?? []) as Item[]));
    start = result.LastEvaluatedKey;
  } while (start);
  return items;
}

export type DecodedVersion = StoredVersion & { readonly item: Item };

/**
 * Turns version items into versions, fetching every chunk of every chunked body in one batch (not one read per item).
 * `withFindings: false` leaves the findings undecoded (an empty list): the consolidated view's regional checks read
 * every body but return the findings of one page's ATS only.
 */
export async function decodeVersions(
  db: Db,
  items: readonly Item[],
  withFindings: (item: Item) => boolean = () => true,
): Promise<DecodedVersion[]> {
  const refs = new Map<string, BlobRef>();
  for (const item of items) {
    const wanted = withFindings(item) ? [item.bodyRef, item.findingsRef] : [item.bodyRef];
    for (const ref of wanted) if (isBlobRef(ref)) refs.set(ref.hash, ref);
  }
  const chunkData = new Map<string, Uint8Array>();
  if (refs.size > 0) {
    const chunkKeys = [...refs.values()].flatMap((ref) =>
      Array.from({ length: ref.chunks }, (_, index) => ({ PK: keys.blob(ref.hash), SK: keys.chunk(index) })),
    );
    for (const chunk of await batchGet(db, chunkKeys)) {
      chunkData.set(`${text(chunk.PK)}|${text(chunk.SK)}`, chunk.data as Uint8Array);
    }
  }
  const read = (inline: unknown, ref: unknown): string => {
    if (inline instanceof Uint8Array) return decodeText(inline);
    if (!isBlobRef(ref)) throw new Error('Stored version has no body');
    const parts = Array.from({ length: ref.chunks }, (_, index) => {
      const part = chunkData.get(`${keys.blob(ref.hash)}|${keys.chunk(index)}`);
      if (!part) throw new Error(`Chunk ${index} of ${ref.hash} is missing`);
      return part;
    });
    return decodeText(joinChunks(ref, parts));
  };
  return items.map((item) => ({
    ...metaFromItem(item),
    body: read(item.bodyGz, item.bodyRef),
    findings: withFindings(item) ? (JSON.parse(read(item.findingsGz, item.findingsRef)) as Finding[]) : [],
    item,
  }));
}

/**
 * The newest version item of an ATS at a period and its review, in one consistent Query: sorted descending, a
 * reviewed version's `V#n#REVIEW` comes just before `V#n`, so two items always include both. The version item is
 * written in the same transaction as the current pointer, so the newest one is the current version.
 */
export async function queryLatestVersion(db: Db, ats: string, period: string): Promise<Item[]> {
  const result = await db.client.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.submission(ats, period), ':sk': keys.versionPrefix },
      ScanIndexForward: false,
      Limit: 2,
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []) as Item[];
}

/** The version and review items of queryLatestVersion as the version itself, undecoded. */
export function latestOf(items: readonly Item[]): { version: Item; review: Item | undefined } | undefined {
  const version = items.find((item) => !text(item.SK).endsWith('#REVIEW'));
  if (!version) return undefined;
  const review = items.find((item) => item.SK === `${text(version.SK)}#REVIEW`);
  return { version, review };
}

export function asCurrent(decoded: DecodedVersion, reviewItem: Item | undefined): CurrentVersion {
  const { item: _item, ...version } = decoded;
  const review = reviewFromItem(reviewItem);
  return { ...version, review, status: statusOf(review) };
}

/** The current version, body and findings included: one Query, plus one BatchGetItem when the body is chunked. */
export async function readCurrent(db: Db, ats: string, period: string): Promise<CurrentVersion | undefined> {
  const latest = latestOf(await queryLatestVersion(db, ats, period));
  if (!latest) return undefined;
  const [decoded] = await decodeVersions(db, [latest.version]);
  return decoded ? asCurrent(decoded, latest.review) : undefined;
}

/** Named versions with bodies and findings: one BatchGetItem per 100 versions, one more for any chunks. */
export async function readVersions(
  db: Db,
  wanted: readonly VersionKey[],
  withFindings: (key: VersionKey) => boolean = () => true,
): Promise<StoredVersion[]> {
  const items = await batchGet(
    db,
    wanted.map((key) => ({ PK: keys.submission(key.ats, key.period), SK: keys.version(key.version) })),
    // Consistent: the caller has just read the pointers naming these versions, strongly consistently.
    true,
  );
  const decoded = await decodeVersions(db, items, (item) =>
    withFindings({ ats: text(item.ats), period: text(item.period), version: Number(item.version) }),
  );
  return decoded.map(({ item: _item, ...version }) => version);
}
