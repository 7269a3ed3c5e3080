import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Db, defaultDb, type Item, nullableText, number, text } from './dynamo-items.ts';
import { keys } from './keys.ts';
import { type AuditEventRecord, type AuditPage, type AuditStore, InvalidPageTokenError } from './types.ts';

/** An audit event's sort key as auditPut writes it: `E#<ISO time>#<unique>`, printable ASCII. */
const AUDIT_EVENT_SK = /^E#[\x21-\x7e]{1,300}$/;

/**
 * The ExclusiveStartKey inside a nextToken this store handed out, or InvalidPageTokenError: exactly the table's key
 * (PK of this ATS's trail, an event's SK) and nothing else. DynamoDB refuses a start key with another attribute or an
 * empty SK with a ValidationException, which would otherwise surface as a 500.
 */
function auditStartKey(ats: string, token: string): { PK: string; SK: string } {
  if (token.length > 600 || !/^[\w-]+$/.test(token)) throw new InvalidPageTokenError();
  let start: unknown;
  try {
    start = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPageTokenError();
  }
  if (typeof start !== 'object' || start === null || Array.isArray(start)) throw new InvalidPageTokenError();
  const { PK, SK, ...rest } = start as Record<string, unknown>;
  if (PK !== keys.audit(ats) || typeof SK !== 'string' || !AUDIT_EVENT_SK.test(SK) || Object.keys(rest).length > 0) {
    throw new InvalidPageTokenError();
  }
  return { PK, SK };
}

/** The audit trail of an ATS, oldest first: one Query per page (Limit + ExclusiveStartKey in an opaque token). */
export class DynamoAuditStore implements AuditStore {
  constructor(private readonly db: Db = defaultDb()) {}

  async listAudit(ats: string, options: { limit: number; nextToken?: string }): Promise<AuditPage> {
    const start = options.nextToken ? auditStartKey(ats, options.nextToken) : undefined;
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
