/**
 * The DynamoDB table's keys, written once: the local stack creates the table from this, and the CDK app declares it
 * from this. A single table: partition key PK, sort key SK, one GSI for "all ATS of a Region at a period", and a TTL
 * attribute that expires idempotency records.
 */

export const TABLE_DEFINITION = {
  /** Default physical name; deployments pass their own through TABLE_NAME. */
  defaultTableName: 'rendiconta-leps',
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', type: 'S' },
      sortKey: { name: 'GSI1SK', type: 'S' },
      projection: 'ALL',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
} as const;

export type TableDefinition = typeof TABLE_DEFINITION;
