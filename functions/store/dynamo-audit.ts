import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Db, defaultDb, type Item, nullableText, number, text } from './dynamo-items.ts';
import { keys } from './keys.ts';
import { type AuditEventRecord, type AuditPage, type AuditStore, InvalidPageTokenError } from './types.ts';

/** The audit trail of an ATS, oldest first: one Query per page (Limit + ExclusiveStartKey in an opaque token). */
export class DynamoAuditStore implements AuditStore {
  constructor(private readonly db: Db = defaultDb()) {}

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
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
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
}
