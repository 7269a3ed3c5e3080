import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  auditPut,
  cancellationCodes,
  type Db,
  defaultDb,
  encodeVersion,
  type Item,
  type ItemKey,
  idempotencyFromItem,
  pointerFromItem,
  registrationFromItem,
} from './dynamo-items.ts';
import { parametersFromItem } from './dynamo-parameters.ts';
import { asCurrent, batchGet, decodeVersions, latestOf, queryLatestVersion, readVersions } from './dynamo-read.ts';
import { keys } from './keys.ts';
import type {
  CommitInput,
  CommitResult,
  CurrentVersion,
  IdempotencyRecord,
  StoredVersion,
  SubmissionContext,
  SubmissionContextQuery,
  SubmissionStore,
  ValidateStore,
  VersionKey,
} from './types.ts';

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * One round trip of parallel requests: a consistent BatchGetItem for the current pointer, the registration, the
 * Region's parameters and the idempotency record, and one consistent Query per earlier period (previous annual return, interim snapshot) for its
 * newest version with its body — plus one for the current version's body when S.4 needs it. A second round trip
 * only when a body read is chunked. Bodies are read from the versions, never from the pointers.
 */
export async function readContext(db: Db, input: SubmissionContextQuery): Promise<SubmissionContext> {
  const currentKey = keys.current(input.ats, input.period);
  const registrationKey = input.withRegistration
    ? { PK: keys.region(input.region), SK: keys.registration(input.ats) }
    : undefined;
  const idempotencyKey = input.idempotencyScope
    ? { PK: keys.idempotency(input.idempotencyScope), SK: keys.idempotencySort }
    : undefined;
  const parametersKey = input.withParameters ? { PK: keys.region(input.region), SK: keys.regionParameters } : undefined;
  const wanted = [currentKey, registrationKey, idempotencyKey, parametersKey].filter(
    (key): key is ItemKey => key !== undefined,
  );
  const latest = (period: string | null | undefined) =>
    period ? queryLatestVersion(db, input.ats, period).then(latestOf) : Promise.resolve(undefined);
  // Consistent: a retry right after its first attempt must see the idempotency record and the pointer it moved.
  const [items, previousLatest, interimLatest, currentLatest] = await Promise.all([
    batchGet(db, wanted, true),
    latest(input.previousPeriod),
    latest(input.interimPeriod),
    latest(input.currentBody ? input.period : undefined),
  ]);
  const find = (key: ItemKey | undefined) =>
    key ? items.find((item) => item.PK === key.PK && item.SK === key.SK) : undefined;
  const found = [previousLatest, interimLatest, currentLatest];
  const decoded = await decodeVersions(
    db,
    found.flatMap((entry) => (entry ? [entry.version] : [])),
  );
  const currentOf = (entry: typeof previousLatest): CurrentVersion | undefined => {
    const version = entry && decoded.find((each) => each.item === entry.version);
    return version ? asCurrent(version, entry.review) : undefined;
  };
  const currentItem = find(currentKey);
  const pointer = currentItem ? pointerFromItem(currentItem) : undefined;
  const currentBody = currentOf(currentLatest);
  const registrationItem = find(registrationKey);
  return {
    idempotency: idempotencyFromItem(find(idempotencyKey)),
    // The body only when it is the pointer's version (a PUT racing this read is refused by the transaction anyway).
    current: pointer && {
      ...pointer,
      body: currentBody?.version === pointer.version ? currentBody.body : undefined,
    },
    previous: currentOf(previousLatest),
    interim: currentOf(interimLatest),
    registered: registrationItem ? registrationFromItem(registrationItem) : undefined,
    parameters: parametersFromItem(find(parametersKey)),
  };
}

/** What validate does to the table: read its context, nothing else (its bundle has no write command). */
export class DynamoContextStore implements ValidateStore {
  constructor(private readonly db: Db = defaultDb()) {}

  getContext(input: SubmissionContextQuery): Promise<SubmissionContext> {
    return readContext(this.db, input);
  }
}

/**
 * What PUT does to the table: read their context, write a version. Writes are Puts only (no BatchWrite,
 * no Delete): the chunks of a large body are put one by one, in parallel, before the transaction.
 */
export class DynamoSubmissionStore implements SubmissionStore {
  constructor(private readonly db: Db = defaultDb()) {}

  getContext(input: SubmissionContextQuery): Promise<SubmissionContext> {
    return readContext(this.db, input);
  }

  /** An idempotent replay's version, for its findings (one BatchGetItem, as the context's). */
  getVersions(wanted: readonly VersionKey[]): Promise<StoredVersion[]> {
    return readVersions(this.db, wanted);
  }

  async getIdempotency(scope: string): Promise<IdempotencyRecord | undefined> {
    const result = await this.db.client.send(
      new GetCommand({
        TableName: this.db.table,
        Key: { PK: keys.idempotency(scope), SK: keys.idempotencySort },
        ConsistentRead: true,
      }),
    );
    return idempotencyFromItem(result.Item as Item | undefined);
  }

  /**
   * One transaction of five Puts: the immutable version item (body and findings, in the ATS's partition), its small
   * history entry beside it, the current pointer (metadata only, in the Region's partition), the idempotency record
   * and the audit event. Chunks of a large body go first, each its own PutItem: the version becomes visible only once
   * its body is durable, and a failed transaction leaves only unreachable, content-addressed chunks.
   */
  async commitVersion(input: CommitInput): Promise<CommitResult> {
    const { version } = input;
    const encoded = encodeVersion(version);
    await Promise.all(
      encoded.chunks.map((chunk) =>
        this.db.client.send(
          new PutCommand({
            TableName: this.db.table,
            Item: { PK: keys.blob(chunk.hash), SK: keys.chunk(chunk.index), data: chunk.data },
          }),
        ),
      ),
    );
    const pk = keys.submission(version.ats, version.period);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const table = this.db.table;
    try {
      await this.db.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: { PK: pk, SK: keys.version(version.version), ...encoded.meta, ...encoded.payload },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: table,
                Item: { ...keys.current(version.ats, version.period), ...encoded.meta, ...encoded.sizes },
                ...(input.expectedVersion === null
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
                TableName: table,
                Item: {
                  PK: keys.idempotency(input.idempotency.scope),
                  SK: keys.idempotencySort,
                  requestHash: input.idempotency.requestHash,
                  receipt: JSON.stringify(input.idempotency.receipt),
                  ...(input.idempotency.findingsInVersion ? { findingsInVersion: true } : {}),
                  expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
                },
                ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
                ExpressionAttributeValues: { ':now': nowSeconds },
              },
            },
            auditPut(table, input.audit, randomUUID()),
            {
              Put: {
                TableName: table,
                Item: { PK: pk, SK: keys.history(version.version), ...encoded.meta },
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
      if (codes[2] === 'ConditionalCheckFailed') return { ok: false, reason: 'idempotency' };
      if (codes[0] === 'ConditionalCheckFailed' || codes[1] === 'ConditionalCheckFailed') {
        return { ok: false, reason: 'stale' };
      }
      if (codes[4] === 'ConditionalCheckFailed') return { ok: false, reason: 'stale' };
      if (codes.includes('TransactionConflict')) return { ok: false, reason: 'conflict' };
      throw error;
    }
  }
}
