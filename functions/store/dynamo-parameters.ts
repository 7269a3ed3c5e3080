import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { RegionParameters } from '../../shared/checks/params.ts';
import { cancellationCodes, type Db, defaultDb, type Item, nullableText, number, text } from './dynamo-items.ts';
import { keys } from './keys.ts';
import type {
  RegionParametersEvent,
  RegionParametersInput,
  RegionParametersReadStore,
  RegionParametersRecord,
  RegionParametersResult,
  RegionParametersWriteStore,
} from './types.ts';

/**
 * A Region's parameters: one item in the Region's partition (the overrides as JSON text, so a record keyed by years
 * or ATS codes stays exactly what was sent), and one audit event per change in the Region's own audit partition.
 */

export function parametersFromItem(item: Item | undefined): RegionParametersRecord | undefined {
  if (!item) return undefined;
  return {
    region: text(item.region),
    version: number(item.version),
    parameters: JSON.parse(text(item.parameters)) as RegionParameters,
    updatedAt: text(item.updatedAt),
    updatedBy: text(item.updatedBy),
  };
}

/** One GetItem, strongly consistent: a reviewer's change applies to the very next validation. */
export async function readRegionParameters(db: Db, region: string): Promise<RegionParametersRecord | undefined> {
  const result = await db.client.send(
    new GetCommand({
      TableName: db.table,
      Key: { PK: keys.region(region), SK: keys.regionParameters },
      ConsistentRead: true,
    }),
  );
  return parametersFromItem(result.Item as Item | undefined);
}

/** The latest changes, newest first: one Query. */
async function readChanges(db: Db, region: string, limit: number): Promise<RegionParametersEvent[]> {
  const result = await db.client.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.regionAudit(region) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return ((result.Items ?? []) as Item[]).map((item) => ({
    region: text(item.region),
    at: text(item.at),
    who: text(item.who),
    groups: Array.isArray(item.groups) ? item.groups.map(String) : [],
    version: number(item.version),
    sha256: text(item.sha256),
    changed: Array.isArray(item.changed) ? item.changed.map(String) : [],
    clientVersion: nullableText(item.clientVersion),
  }));
}

/** GET parameters: a GetItem and a Query. */
export class DynamoParametersReadStore implements RegionParametersReadStore {
  constructor(private readonly db: Db = defaultDb()) {}

  getRegionParameters(region: string) {
    return readRegionParameters(this.db, region);
  }

  listRegionParameterChanges(region: string, limit: number) {
    return readChanges(this.db, region, limit);
  }
}

/**
 * PUT parameters: one transaction of two Puts — the parameters, conditional on the version the caller replaced (or on
 * none existing), and the audit event — so no change is ever stored without its audit entry, nor lost to a race.
 */
export class DynamoParametersWriteStore implements RegionParametersWriteStore {
  constructor(private readonly db: Db = defaultDb()) {}

  getRegionParameters(region: string) {
    return readRegionParameters(this.db, region);
  }

  listRegionParameterChanges(region: string, limit: number) {
    return readChanges(this.db, region, limit);
  }

  async putRegionParameters(input: RegionParametersInput): Promise<RegionParametersResult> {
    const { record, audit } = input;
    try {
      await this.db.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.db.table,
                Item: {
                  PK: keys.region(record.region),
                  SK: keys.regionParameters,
                  region: record.region,
                  version: record.version,
                  parameters: JSON.stringify(record.parameters),
                  updatedAt: record.updatedAt,
                  updatedBy: record.updatedBy,
                },
                ...(input.expectedVersion === 0
                  ? { ConditionExpression: 'attribute_not_exists(PK)' }
                  : {
                      ConditionExpression: '#version = :expected',
                      ExpressionAttributeNames: { '#version': 'version' },
                      ExpressionAttributeValues: { ':expected': input.expectedVersion },
                    }),
              },
            },
            {
              Put: {
                TableName: this.db.table,
                Item: {
                  PK: keys.regionAudit(audit.region),
                  SK: keys.auditEvent(audit.at, randomUUID()),
                  ...audit,
                  groups: [...audit.groups],
                  changed: [...audit.changed],
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
      return { ok: true };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return { ok: false, reason: 'stale' };
      if (codes.includes('TransactionConflict')) return { ok: false, reason: 'conflict' };
      throw error;
    }
  }
}
