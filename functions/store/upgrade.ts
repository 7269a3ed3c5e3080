import { DescribeTableCommand, type DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
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

/** Does nothing (one DescribeTable) on a table already in today's layout. */
export async function upgradeTable(client: DynamoDBClient, table: string): Promise<void> {
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
