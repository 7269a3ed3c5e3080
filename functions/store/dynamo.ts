import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Finding, RegisteredAts } from '../../shared/checks/types.ts';
import type { Receipt, SubmissionStatus } from '../../shared/contract/api.ts';
import { dynamoDbClient, tableName } from './client.ts';
import { keys } from './keys.ts';
import { type BlobRef, decodeText, type EncodedText, encodeText, joinChunks } from './payload.ts';
import {
  type AuditEventRecord,
  type AuditPage,
  type CommitInput,
  type CommitResult,
  type CurrentForChecks,
  type CurrentVersion,
  type IdempotencyRecord,
  InvalidPageTokenError,
  type ReviewInput,
  type ReviewRecord,
  type ReviewResult,
  type Store,
  type StoredVersion,
  type SubmissionContext,
  type SubmissionContextQuery,
  type SubmissionStore,
  type VersionMeta,
} from './types.ts';

type Item = Record<string, unknown>;
type ItemKey = { readonly PK: string; readonly SK: string };

/** Body and findings together stay under this inline, leaving room for the other attributes in a 400 KB item. */
const BODY_INLINE_BYTES = 200_000;
const FINDINGS_INLINE_BYTES = 100_000;
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

const META_ATTRIBUTES = [
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
  'SK',
  'decision',
  'reviewComment',
  'reviewer',
  'reviewedAt',
];

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
function nullableText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
function number(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

interface EncodedVersion {
  readonly attributes: Item;
  readonly chunks: Array<{ hash: string; index: number; data: Uint8Array }>;
}

function attach(name: 'body' | 'findings', encoded: EncodedText, target: Item, chunks: EncodedVersion['chunks']): void {
  if (encoded.kind === 'inline') {
    target[`${name}Gz`] = encoded.data;
  } else {
    target[`${name}Ref`] = encoded.ref;
    encoded.chunks.forEach((data, index) => {
      chunks.push({ hash: encoded.ref.hash, index, data });
    });
  }
}

function encodeVersion(version: StoredVersion): EncodedVersion {
  const chunks: EncodedVersion['chunks'] = [];
  const attributes: Item = {
    ats: version.ats,
    period: version.period,
    version: version.version,
    sha256: version.sha256,
    receivedAt: version.receivedAt,
    template: version.template,
    templateVersion: version.templateVersion,
    errors: version.errors,
    warnings: version.warnings,
    comment: version.comment,
    submittedBy: version.submittedBy,
    clientVersion: version.clientVersion,
    summary: version.summary ?? undefined,
  };
  attach('body', encodeText(version.body, BODY_INLINE_BYTES), attributes, chunks);
  attach('findings', encodeText(JSON.stringify(version.findings), FINDINGS_INLINE_BYTES), attributes, chunks);
  return { attributes, chunks };
}

function reviewFromItem(item: Item | undefined): ReviewRecord | null {
  if (!item || (item.decision !== 'approve' && item.decision !== 'reject')) return null;
  return {
    decision: item.decision,
    comment: nullableText(item.reviewComment),
    reviewer: text(item.reviewer),
    at: text(item.reviewedAt),
  };
}

function statusOf(review: ReviewRecord | null): SubmissionStatus {
  if (!review) return 'SUBMITTED';
  return review.decision === 'approve' ? 'APPROVED' : 'REJECTED';
}

function metaFromItem(item: Item): Omit<StoredVersion, 'body' | 'findings'> {
  return {
    ats: text(item.ats),
    period: text(item.period),
    version: number(item.version),
    sha256: text(item.sha256),
    receivedAt: text(item.receivedAt),
    template: text(item.template),
    templateVersion: text(item.templateVersion),
    errors: number(item.errors),
    warnings: number(item.warnings),
    comment: nullableText(item.comment),
    submittedBy: text(item.submittedBy),
    clientVersion: nullableText(item.clientVersion),
    summary: (item.summary as StoredVersion['summary']) ?? null,
  };
}

function isBlobRef(value: unknown): value is BlobRef {
  return typeof value === 'object' && value !== null && typeof (value as BlobRef).hash === 'string';
}

function cancellationCodes(error: unknown): string[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

/**
 * The DynamoDB adapter of Store: single table, keys in keys.ts, every write that must be atomic in one transaction.
 * Split in two classes so the functions that submit bundle only what they use (validate and PUT are the largest).
 */
export class DynamoSubmissionStore implements SubmissionStore {
  constructor(
    protected readonly client: DynamoDBDocumentClient = dynamoDbClient(),
    protected readonly table: string = tableName(),
  ) {}

  /** BatchGetItem with the retry of unprocessed keys DynamoDB asks for under load. */
  protected async batchGet(keyList: Array<{ PK: string; SK: string }>, consistent = false): Promise<Item[]> {
    const items: Item[] = [];
    for (let start = 0; start < keyList.length; start += 100) {
      let pending: Array<Record<string, unknown>> | undefined = keyList.slice(start, start + 100);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        const result: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: consistent } } }),
        );
        items.push(...((result.Responses?.[this.table] ?? []) as Item[]));
        pending = result.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return items;
  }

  protected async batchWrite(items: Item[]): Promise<void> {
    for (let start = 0; start < items.length; start += 25) {
      let pending = items.slice(start, start + 25).map((item) => ({ PutRequest: { Item: item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = (result.UnprocessedItems?.[this.table] ?? []) as typeof pending;
      }
    }
  }

  protected async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({ ...input, TableName: this.table, ExclusiveStartKey: start }),
      );
      items.push(...((result.Items ?? []) as Item[]));
      start = result.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** Turns items into versions, fetching every chunk of every chunked body in one batch (not one read per item). */
  protected async decodeVersions(items: Item[]): Promise<Array<StoredVersion & { item: Item }>> {
    const refs = new Map<string, BlobRef>();
    for (const item of items) {
      for (const ref of [item.bodyRef, item.findingsRef]) if (isBlobRef(ref)) refs.set(ref.hash, ref);
    }
    const chunkData = new Map<string, Uint8Array>();
    if (refs.size > 0) {
      const chunkKeys = [...refs.values()].flatMap((ref) =>
        Array.from({ length: ref.chunks }, (_, index) => ({ PK: keys.blob(ref.hash), SK: keys.chunk(index) })),
      );
      for (const chunk of await this.batchGet(chunkKeys)) {
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
      findings: JSON.parse(read(item.findingsGz, item.findingsRef)) as Finding[],
      item,
    }));
  }

  protected toCurrent(version: StoredVersion & { item: Item }): CurrentVersion {
    const { item, ...rest } = version;
    const review = reviewFromItem(item);
    return { ...rest, review, status: statusOf(review) };
  }

  async getContext(input: SubmissionContextQuery): Promise<SubmissionContext> {
    const currentKey = keys.current(input.ats, input.period);
    const previousKey = input.previousPeriod ? keys.current(input.ats, input.previousPeriod) : undefined;
    const interimKey = input.interimPeriod ? keys.current(input.ats, input.interimPeriod) : undefined;
    const registrationKey = input.withRegistration
      ? { PK: keys.region(input.region), SK: keys.registration(input.ats) }
      : undefined;
    const idempotencyKey = input.idempotencyScope
      ? { PK: keys.idempotency(input.idempotencyScope), SK: keys.idempotencySort }
      : undefined;
    const wanted = [currentKey, previousKey, interimKey, registrationKey, idempotencyKey].filter(
      (key): key is ItemKey => key !== undefined,
    );
    // Consistent: a retry right after its first attempt must see the idempotency record and the pointer it moved.
    const items = await this.batchGet(wanted, true);
    const find = (key: ItemKey | undefined) =>
      key ? items.find((item) => item.PK === key.PK && item.SK === key.SK) : undefined;
    const currentItem = find(currentKey);
    const previousItem = find(previousKey);
    const interimItem = find(interimKey);
    const decoded = await this.decodeVersions(
      [input.currentBody ? currentItem : undefined, previousItem, interimItem].filter((item) => item !== undefined),
    );
    const byPeriod = (period: string) => decoded.find((version) => version.period === period);
    const previous = input.previousPeriod ? byPeriod(input.previousPeriod) : undefined;
    const interim = input.interimPeriod ? byPeriod(input.interimPeriod) : undefined;
    const registrationItem = find(registrationKey);
    const idempotencyItem = find(idempotencyKey);
    return {
      idempotency: idempotencyFromItem(idempotencyItem),
      current: currentItem
        ? this.currentForChecks(currentItem, input.currentBody ? byPeriod(input.period) : undefined)
        : undefined,
      previous: previous ? this.toCurrent(previous) : undefined,
      interim: interim ? this.toCurrent(interim) : undefined,
      registered: registrationItem ? registrationFromItem(registrationItem) : undefined,
    };
  }

  /** The current item's metadata, with the body when it was decoded. */
  protected currentForChecks(item: Item, decoded: StoredVersion | undefined): CurrentForChecks {
    const review = reviewFromItem(item);
    return { ...metaFromItem(item), review, status: statusOf(review), body: decoded?.body };
  }

  async getCurrent(ats: string, period: string): Promise<CurrentVersion | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.current(ats, period) }));
    if (!result.Item) return undefined;
    const [decoded] = await this.decodeVersions([result.Item]);
    return decoded ? this.toCurrent(decoded) : undefined;
  }

  async getIdempotency(scope: string): Promise<IdempotencyRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { PK: keys.idempotency(scope), SK: keys.idempotencySort },
        ConsistentRead: true,
      }),
    );
    return idempotencyFromItem(result.Item);
  }

  async commitVersion(input: CommitInput): Promise<CommitResult> {
    const { version } = input;
    const encoded = encodeVersion(version);
    // Chunks first: the transaction that makes the version visible commits only once its body is durable.
    await this.batchWrite(
      encoded.chunks.map((chunk) => ({ PK: keys.blob(chunk.hash), SK: keys.chunk(chunk.index), data: chunk.data })),
    );
    const pk = keys.submission(version.ats, version.period);
    const nowSeconds = Math.floor(Date.now() / 1000);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { PK: pk, SK: keys.version(version.version), ...encoded.attributes },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.current(version.ats, version.period), ...encoded.attributes },
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
                TableName: this.table,
                Item: {
                  PK: keys.idempotency(input.idempotency.scope),
                  SK: keys.idempotencySort,
                  requestHash: input.idempotency.requestHash,
                  receipt: JSON.stringify(input.idempotency.receipt),
                  expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
                },
                ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
                ExpressionAttributeValues: { ':now': nowSeconds },
              },
            },
            this.auditPut(input.audit),
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
      if (codes.includes('TransactionConflict')) return { ok: false, reason: 'conflict' };
      throw error;
    }
  }

  protected auditPut(event: AuditEventRecord) {
    return {
      Put: {
        TableName: this.table,
        Item: {
          PK: keys.audit(event.ats),
          SK: keys.auditEvent(event.at, randomUUID()),
          ...event,
          groups: [...event.groups],
        },
        // Append-only: an event is never overwritten.
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }
}

/** The whole Store: the reading side, reviews, the audit trail, registrations and the Region view. */
export class DynamoStore extends DynamoSubmissionStore implements Store {
  async getVersion(
    ats: string,
    period: string,
    version: number,
  ): Promise<(StoredVersion & { review: ReviewRecord | null }) | undefined> {
    // The version and its review share a key prefix: one Query reads both.
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.submission(ats, period), ':sk': keys.version(version) },
    });
    const versionItem = items.find((item) => item.SK === keys.version(version));
    if (!versionItem) return undefined;
    const [decoded] = await this.decodeVersions([versionItem]);
    if (!decoded) return undefined;
    const { item: _item, ...rest } = decoded;
    return { ...rest, review: reviewFromItem(items.find((item) => item.SK === keys.review(version))) };
  }

  async listVersions(ats: string, period: string): Promise<VersionMeta[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.submission(ats, period), ':sk': keys.versionPrefix },
      ProjectionExpression: META_ATTRIBUTES.join(', '),
      ExpressionAttributeNames: { '#comment': 'comment' },
    });
    const reviews = new Map<number, ReviewRecord | null>();
    for (const item of items)
      if (text(item.SK).endsWith('#REVIEW')) reviews.set(number(item.version), reviewFromItem(item));
    return items
      .filter((item) => !text(item.SK).endsWith('#REVIEW'))
      .map((item) => {
        const meta = metaFromItem(item);
        const review = reviews.get(meta.version) ?? null;
        return { ...meta, review, status: statusOf(review) };
      })
      .sort((left, right) => left.version - right.version);
  }

  async review(input: ReviewInput): Promise<ReviewResult> {
    const pk = keys.submission(input.ats, input.period);
    const reviewAttributes = {
      decision: input.review.decision,
      reviewComment: input.review.comment,
      reviewer: input.review.reviewer,
      reviewedAt: input.review.at,
    };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.current(input.ats, input.period),
                UpdateExpression:
                  'SET decision = :decision, reviewComment = :comment, reviewer = :reviewer, reviewedAt = :at',
                ConditionExpression: '#version = :version AND attribute_not_exists(decision)',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: {
                  ':decision': reviewAttributes.decision,
                  ':comment': reviewAttributes.reviewComment,
                  ':reviewer': reviewAttributes.reviewer,
                  ':at': reviewAttributes.reviewedAt,
                  ':version': input.version,
                },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { PK: pk, SK: keys.review(input.version), version: input.version, ...reviewAttributes },
              },
            },
            this.auditPut(input.audit),
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

  async listAudit(ats: string, options: { limit: number; nextToken?: string }): Promise<AuditPage> {
    let start: Record<string, unknown> | undefined;
    if (options.nextToken) {
      try {
        start = JSON.parse(Buffer.from(options.nextToken, 'base64url').toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new InvalidPageTokenError();
      }
      if (typeof start !== 'object' || start === null || start.PK !== keys.audit(ats) || typeof start.SK !== 'string') {
        throw new InvalidPageTokenError();
      }
    }
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.audit(ats) },
        Limit: options.limit,
        ExclusiveStartKey: start,
      }),
    );
    const events = ((result.Items ?? []) as Item[]).map(
      (item): AuditEventRecord => ({
        ats: text(item.ats),
        at: text(item.at),
        who: text(item.who),
        groups: Array.isArray(item.groups) ? item.groups.map(String) : [],
        what: item.what as AuditEventRecord['what'],
        period: text(item.period),
        version: number(item.version),
        sha256: text(item.sha256),
        clientVersion: nullableText(item.clientVersion),
        ...(item.comment !== undefined ? { comment: nullableText(item.comment) } : {}),
      }),
    );
    const last = result.LastEvaluatedKey;
    return {
      events,
      nextToken: last ? Buffer.from(JSON.stringify({ PK: last.PK, SK: last.SK }), 'utf8').toString('base64url') : null,
    };
  }

  async putRegistration(
    region: string,
    registered: RegisteredAts,
    updatedBy: string,
  ): Promise<{ created: boolean; updatedAt: string }> {
    const updatedAt = new Date().toISOString();
    const result = await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          PK: keys.region(region),
          SK: keys.registration(registered.ats),
          ats: registered.ats,
          name: registered.name,
          comuni: [...registered.comuni],
          enteGestoreCf: registered.enteGestoreCf,
          updatedAt,
          updatedBy,
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return { created: result.Attributes === undefined, updatedAt };
  }

  async getRegistration(region: string, ats: string): Promise<RegisteredAts | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { PK: keys.region(region), SK: keys.registration(ats) } }),
    );
    return result.Item ? registrationFromItem(result.Item) : undefined;
  }

  async listRegistrations(region: string): Promise<Array<RegisteredAts & { updatedAt?: string }>> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.region(region), ':sk': 'ATS#' },
    });
    return items.map((item) => ({ ...registrationFromItem(item), updatedAt: text(item.updatedAt) }));
  }

  async listCurrentByRegion(region: string, period: string): Promise<CurrentVersion[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.regionPeriod(region, period), ':sk': keys.currentPrefix },
      // A reviewer must see a submission the moment its receipt is issued, as the GSI this replaced could not promise.
      ConsistentRead: true,
    });
    return (await this.decodeVersions(items)).map((version) => this.toCurrent(version));
  }
}

function idempotencyFromItem(item: Item | undefined): IdempotencyRecord | undefined {
  // TTL deletion is lazy: an expired record still in the table no longer counts.
  if (!item || number(item.expiresAt) < Math.floor(Date.now() / 1000)) return undefined;
  return { requestHash: text(item.requestHash), receipt: JSON.parse(text(item.receipt)) as Receipt };
}

function registrationFromItem(item: Item): RegisteredAts {
  return {
    ats: text(item.ats),
    name: text(item.name),
    comuni: Array.isArray(item.comuni) ? item.comuni.map(String) : [],
    ...(typeof item.enteGestoreCf === 'string' ? { enteGestoreCf: item.enteGestoreCf } : {}),
  };
}
