import { DescribeTableCommand, type DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Item } from './dynamo-items.ts';
import { readVersions } from './dynamo-read.ts';
import { keys } from './keys.ts';

/**
 * Brings a table made by an earlier release to today's key design. Until November 2026 the current pointer of an ATS
 * at a period lived in the submission's own partition (SK `CURRENT`) and a GSI, `GSI1`, listed the pointers of a
 * Region; now the pointers live in their Region's partition (keys.current) and the table has no index.
 *
 * Each pointer moves in its own transaction (put at the new key, delete the old), so an interrupted upgrade leaves
 * every pointer either moved or not, and running it again finishes the job. The index is dropped only once no pointer
 * is left at an old key. Versions, reviews, registrations, the audit trail and idempotency records keep their keys.
 */

const LEGACY_INDEX = 'GSI1';
const LEGACY_CURRENT_SORT_KEY = 'CURRENT';

/** How long to wait for the legacy index to go: seconds in DynamoDB Local, possibly minutes in AWS. */
const INDEX_DELETION_TIMEOUT_MS = 10 * 60_000;
const INDEX_DELETION_POLL_MS = 250;

async function legacyIndexStatus(client: DynamoDBClient, table: string): Promise<string | undefined> {
  const description = await client.send(new DescribeTableCommand({ TableName: table }));
  const index = (description.Table?.GlobalSecondaryIndexes ?? []).find((each) => each.IndexName === LEGACY_INDEX);
  return index ? (index.IndexStatus ?? 'UNKNOWN') : undefined;
}

/** Does nothing (one DescribeTable, one GetItem) on a table already in today's layout. */
export async function upgradeTable(client: DynamoDBClient, table: string): Promise<void> {
  await dropLegacyIndex(client, table);
  await slimPointers(DynamoDBDocumentClient.from(client), table);
}

/**
 * The layout this code writes. 2 (December 2026): current pointers without body or findings, and a history entry
 * (`H#`) per version.
 */
const LAYOUT_VERSION = 2;

/** Marks a table as in today's layout: a new table needs no upgrade. */
export async function markTableLayout(client: DynamoDBClient, table: string): Promise<void> {
  await writeLayoutMark(DynamoDBDocumentClient.from(client), table);
}

async function writeLayoutMark(client: DynamoDBDocumentClient, table: string): Promise<void> {
  await client.send(new PutCommand({ TableName: table, Item: { ...keys.layout, version: LAYOUT_VERSION } }));
}

async function dropLegacyIndex(client: DynamoDBClient, table: string): Promise<void> {
  const status = await legacyIndexStatus(client, table);
  if (status === undefined) return;
  await moveCurrentPointers(DynamoDBDocumentClient.from(client), table);
  if (status !== 'DELETING') {
    await client.send(
      new UpdateTableCommand({
        TableName: table,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: LEGACY_INDEX } }],
      }),
    );
  }
  // DynamoDB Local refuses every write (InternalFailure) while an index is being deleted: wait until it is gone.
  const deadline = Date.now() + INDEX_DELETION_TIMEOUT_MS;
  while ((await legacyIndexStatus(client, table)) !== undefined) {
    if (Date.now() > deadline) throw new Error(`Index ${LEGACY_INDEX} of ${table} is still being deleted`);
    await new Promise((resolve) => setTimeout(resolve, INDEX_DELETION_POLL_MS));
  }
}

async function moveCurrentPointers(client: DynamoDBDocumentClient, table: string): Promise<void> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'SK = :current',
        ExpressionAttributeValues: { ':current': LEGACY_CURRENT_SORT_KEY },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const { PK, SK, GSI1PK: _regionPeriod, GSI1SK: _atsSort, ...pointer } = item;
      if (typeof pointer.ats !== 'string' || typeof pointer.period !== 'string') {
        throw new Error(`Legacy current pointer ${String(PK)} has no ats or period: upgrade stopped, nothing lost`);
      }
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: { ...pointer, ...keys.current(pointer.ats, pointer.period) },
                // Cannot exist while the old pointer does (today's code would have found no current version and
                // collided with version 1), but if it ever did it would be the newer one: never overwrite it.
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            { Delete: { TableName: table, Key: { PK, SK }, ConditionExpression: 'attribute_exists(PK)' } },
          ],
        }),
      );
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

/** What the scan reads of each item: never the inline bodies, which the history and the pointers no longer hold. */
const SCANNED = [
  'PK',
  'SK',
  'ats',
  'period',
  'version',
  'sha256',
  'receivedAt',
  'template',
  'templateVersion',
  'errors',
  'warnings',
  '#comment',
  'submittedBy',
  'clientVersion',
  'summary',
  'decision',
  'reviewComment',
  'reviewer',
  'reviewedAt',
  'bodyBytes',
  'bodyRef',
];
const PAYLOAD = ['bodyGz', 'bodyRef', 'findingsGz', 'findingsRef'];
const VERSION_SORT_KEY = /^V#\d{10}$/;

/**
 * Until December 2026 the current pointer copied the version's body and findings into the Region's partition, and
 * the history was read from the version items themselves. Each fat pointer is replaced by a small one (conditional on
 * the same version, so a newer pointer is never overwritten) carrying the body's and findings' sizes, and every
 * version gets its history entry with its review. Idempotent: an interrupted run is finished by the next start. The
 * layout mark is written last.
 */
async function slimPointers(client: DynamoDBDocumentClient, table: string): Promise<void> {
  const mark = await client.send(new GetCommand({ TableName: table, Key: keys.layout, ConsistentRead: true }));
  if (typeof mark.Item?.version === 'number' && mark.Item.version >= LAYOUT_VERSION) return;
  const pointers: Item[] = [];
  const versions: Item[] = [];
  const histories = new Set<string>();
  const reviews = new Map<string, Item>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: SCANNED.join(', '),
        ExpressionAttributeNames: { '#comment': 'comment' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of (page.Items ?? []) as Item[]) {
      const pk = String(item.PK);
      const sk = String(item.SK);
      if (/^REGION#\d{2}#/.test(pk) && sk.startsWith(keys.currentPrefix) && item.bodyBytes === undefined) {
        pointers.push(item);
      } else if (pk.startsWith('SUB#') && VERSION_SORT_KEY.test(sk)) versions.push(item);
      else if (pk.startsWith('SUB#') && sk.startsWith(keys.historyPrefix)) histories.add(`${pk}|${sk.slice(2)}`);
      else if (pk.startsWith('SUB#') && sk.endsWith('#REVIEW')) reviews.set(`${pk}|${sk.slice(2, 12)}`, item);
    }
    start = page.LastEvaluatedKey;
  } while (start);

  for (const item of versions) {
    const pk = String(item.PK);
    const number = String(item.SK).slice(2);
    if (histories.has(`${pk}|${number}`)) continue;
    const { PK: _pk, SK: _sk, bodyRef: _ref, ...meta } = item;
    const review = reviews.get(`${pk}|${number}`);
    const { PK: _rpk, SK: _rsk, version: _version, ...decision } = review ?? {};
    await client.send(
      new PutCommand({
        TableName: table,
        Item: { PK: pk, SK: keys.history(Number(number)), ...meta, ...decision },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  const db = { client, table };
  for (const pointer of pointers) {
    const [version] = await readVersions(db, [
      { ats: String(pointer.ats), period: String(pointer.period), version: Number(pointer.version) },
    ]);
    if (!version)
      throw new Error(
        `Version ${String(pointer.version)} of ${String(pointer.ats)} is missing: upgrade stopped, nothing lost`,
      );
    const slim: Item = { ...pointer };
    for (const name of PAYLOAD) delete slim[name];
    await client.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...slim,
          bodyBytes: Buffer.byteLength(version.body, 'utf8'),
          findingsBytes: Buffer.byteLength(JSON.stringify(version.findings), 'utf8'),
        },
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': pointer.version },
      }),
    );
  }
  await writeLayoutMark(client, table);
}
