import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RegisteredAts } from '../../shared/checks/types.ts';
import type { Receipt, SubmissionStatus } from '../../shared/contract/api.ts';
import { dynamoDbClient, tableName } from './client.ts';
import { keys } from './keys.ts';
import { type BlobRef, type EncodedText, encodeText } from './payload.ts';
import type {
  AuditEventRecord,
  CurrentPointer,
  IdempotencyRecord,
  ReviewRecord,
  StoredVersion,
  VersionMeta,
} from './types.ts';

/**
 * How the DynamoDB store turns records into items and back. No command is imported here: each access pattern's
 * module imports only the commands it sends, so a handler's bundle shows exactly what it can do to the table.
 */

export type Item = Record<string, unknown>;
export type ItemKey = { readonly PK: string; readonly SK: string };

/** The client and table every store module works on. */
export interface Db {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
}

export function defaultDb(): Db {
  return { client: dynamoDbClient(), table: tableName() };
}

/** Body and findings together stay under this inline, leaving room for the other attributes in a 400 KB item. */
const BODY_INLINE_BYTES = 200_000;
const FINDINGS_INLINE_BYTES = 100_000;

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
export function nullableText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
export function number(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

export interface EncodedVersion {
  /** The metadata every item of the version repeats (version item, history entry, current pointer). */
  readonly meta: Item;
  /** Body and findings, inline or as references to chunks: only the version item carries them. */
  readonly payload: Item;
  readonly chunks: Array<{ hash: string; index: number; data: Uint8Array }>;
  /** What the current pointer adds to the metadata, so the consolidated view can plan its pages. */
  readonly sizes: { readonly bodyBytes: number; readonly findingsBytes: number };
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

export function encodeVersion(version: StoredVersion): EncodedVersion {
  const chunks: EncodedVersion['chunks'] = [];
  const meta: Item = {
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
  const findingsJson = JSON.stringify(version.findings);
  const payload: Item = {};
  attach('body', encodeText(version.body, BODY_INLINE_BYTES), payload, chunks);
  attach('findings', encodeText(findingsJson, FINDINGS_INLINE_BYTES), payload, chunks);
  const sizes = { bodyBytes: Buffer.byteLength(version.body, 'utf8'), findingsBytes: Buffer.byteLength(findingsJson) };
  return { meta, payload, chunks, sizes };
}

/** The attributes a review sets, on the current pointer, the review item and the history entry alike. */
export function reviewAttributes(review: ReviewRecord): Item {
  return {
    decision: review.decision,
    reviewComment: review.comment,
    reviewer: review.reviewer,
    reviewedAt: review.at,
  };
}

export function reviewFromItem(item: Item | undefined): ReviewRecord | null {
  if (!item || (item.decision !== 'approve' && item.decision !== 'reject')) return null;
  return {
    decision: item.decision,
    comment: nullableText(item.reviewComment),
    reviewer: text(item.reviewer),
    at: text(item.reviewedAt),
  };
}

export function statusOf(review: ReviewRecord | null): SubmissionStatus {
  if (!review) return 'SUBMITTED';
  return review.decision === 'approve' ? 'APPROVED' : 'REJECTED';
}

export function metaFromItem(item: Item): Omit<StoredVersion, 'body' | 'findings'> {
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

/** A history entry or a pointer: metadata with the review it carries. */
export function versionMetaFromItem(item: Item): VersionMeta {
  const review = reviewFromItem(item);
  return { ...metaFromItem(item), review, status: statusOf(review) };
}

export function pointerFromItem(item: Item): CurrentPointer {
  return { ...versionMetaFromItem(item), bodyBytes: number(item.bodyBytes), findingsBytes: number(item.findingsBytes) };
}

export function isBlobRef(value: unknown): value is BlobRef {
  return typeof value === 'object' && value !== null && typeof (value as BlobRef).hash === 'string';
}

export function cancellationCodes(error: unknown): string[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

/** An audit event as a transaction's Put: append-only, so it may never overwrite an event. */
export function auditPut(table: string, event: AuditEventRecord, unique: string) {
  return {
    Put: {
      TableName: table,
      Item: { PK: keys.audit(event.ats), SK: keys.auditEvent(event.at, unique), ...event, groups: [...event.groups] },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export function idempotencyFromItem(item: Item | undefined): IdempotencyRecord | undefined {
  // TTL deletion is lazy: an expired record still in the table no longer counts.
  if (!item || number(item.expiresAt) < Math.floor(Date.now() / 1000)) return undefined;
  return {
    requestHash: text(item.requestHash),
    receipt: JSON.parse(text(item.receipt)) as Receipt,
    ...(item.findingsInVersion === true ? { findingsInVersion: true } : {}),
  };
}

export function registrationFromItem(item: Item): RegisteredAts {
  return {
    ats: text(item.ats),
    name: text(item.name),
    comuni: Array.isArray(item.comuni) ? item.comuni.map(String) : [],
    ...(typeof item.enteGestoreCf === 'string' ? { enteGestoreCf: item.enteGestoreCf } : {}),
  };
}
