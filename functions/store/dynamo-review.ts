import { randomUUID } from 'node:crypto';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut, cancellationCodes, type Db, defaultDb, reviewAttributes } from './dynamo-items.ts';
import { readCurrent } from './dynamo-read.ts';
import { keys } from './keys.ts';
import type { AuditEventRecord, CurrentVersion, ReviewInput, ReviewResult, ReviewStore } from './types.ts';

/**
 * The review: reads the current version (one Query) and records the decision in one transaction — Update the current
 * pointer (conditional on version and no decision yet: the only mutable submission item), Put the review item of the
 * version, Update its history entry, Put the audit event. The pointer holds no body, so the update is small. A review
 * refused by segregation of duties is one PutItem of its audit event.
 */
export class DynamoReviewStore implements ReviewStore {
  constructor(private readonly db: Db = defaultDb()) {}

  getCurrent(ats: string, period: string): Promise<CurrentVersion | undefined> {
    return readCurrent(this.db, ats, period);
  }

  async recordAudit(event: AuditEventRecord): Promise<void> {
    await this.db.client.send(new PutCommand(auditPut(this.db.table, event, randomUUID()).Put));
  }

  async review(input: ReviewInput): Promise<ReviewResult> {
    const pk = keys.submission(input.ats, input.period);
    const attributes = reviewAttributes(input.review);
    const values = {
      ':decision': attributes.decision,
      ':comment': attributes.reviewComment,
      ':reviewer': attributes.reviewer,
      ':at': attributes.reviewedAt,
    };
    const setReview = 'SET decision = :decision, reviewComment = :comment, reviewer = :reviewer, reviewedAt = :at';
    try {
      await this.db.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.db.table,
                Key: keys.current(input.ats, input.period),
                UpdateExpression: setReview,
                ConditionExpression: '#version = :version AND attribute_not_exists(decision)',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ...values, ':version': input.version },
              },
            },
            {
              Put: {
                TableName: this.db.table,
                Item: { PK: pk, SK: keys.review(input.version), version: input.version, ...attributes },
              },
            },
            auditPut(this.db.table, input.audit, randomUUID()),
            {
              Update: {
                TableName: this.db.table,
                Key: { PK: pk, SK: keys.history(input.version) },
                UpdateExpression: setReview,
                // Every version has its entry (written with it, or by the upgrade of an older table).
                ConditionExpression: 'attribute_exists(PK)',
                ExpressionAttributeValues: values,
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
