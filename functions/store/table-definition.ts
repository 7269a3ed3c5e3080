/**
 * The DynamoDB table's keys, written once: the local stack creates the table from this, and the CDK app declares it
 * from this. A single table: partition key PK, sort key SK, and a TTL attribute that expires idempotency records.
 *
 * No secondary index. "All ATS of a Region at a period" is a Query on the partition that holds their current pointers
 * (functions/store/keys.ts). The GSI that served it until November 2026 copied every current version, bodies
 * included, so each PUT paid the item's write units twice in AWS and the list was only eventually consistent.
 */

export const TABLE_DEFINITION = {
  /** Default physical name; deployments pass their own through TABLE_NAME. */
  defaultTableName: 'rendiconta-leps',
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
} as const;

export type TableDefinition = typeof TABLE_DEFINITION;
