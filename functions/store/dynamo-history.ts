import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Db, defaultDb, type Item, reviewFromItem, versionMetaFromItem } from './dynamo-items.ts';
import { decodeVersions, queryAll, readCurrent } from './dynamo-read.ts';
import { keys } from './keys.ts';
import type { CurrentVersion, HistoryPage, ReadingStore, ReviewRecord, StoredVersion } from './types.ts';

/**
 * GET submission: the current version, any version, and a page of the history. Each is a constant number of
 * requests whatever the number of versions: one Query each (issued in parallel by the caller), plus one
 * BatchGetItem when a body is chunked. The history reads the small `H#` entries, never the version items (a Query's
 * 1 MB page counts items before projection, so listing the version items themselves took one request per ~1 MB of
 * bodies: 13 requests at 1,806 versions).
 */
export class DynamoReadingStore implements ReadingStore {
  constructor(private readonly db: Db = defaultDb()) {}

  getCurrent(ats: string, period: string): Promise<CurrentVersion | undefined> {
    return readCurrent(this.db, ats, period);
  }

  async getVersion(
    ats: string,
    period: string,
    version: number,
  ): Promise<(StoredVersion & { review: ReviewRecord | null }) | undefined> {
    // The version and its review share a key prefix: one Query reads both.
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.submission(ats, period), ':sk': keys.version(version) },
    });
    const versionItem = items.find((item) => item.SK === keys.version(version));
    if (!versionItem) return undefined;
    const [decoded] = await decodeVersions(this.db, [versionItem]);
    if (!decoded) return undefined;
    const { item: _item, ...rest } = decoded;
    return { ...rest, review: reviewFromItem(items.find((item) => item.SK === keys.review(version))) };
  }

  /** One Query of at most `limit` history entries (a few hundred bytes each), newest first. */
  async listHistory(ats: string, period: string, options: { limit: number; before?: number }): Promise<HistoryPage> {
    const below = options.before;
    if (below !== undefined && below <= 1) return { versions: [], nextBefore: null };
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression:
          below === undefined ? 'PK = :pk AND begins_with(SK, :sk)' : 'PK = :pk AND SK BETWEEN :low AND :high',
        ExpressionAttributeValues:
          below === undefined
            ? { ':pk': keys.submission(ats, period), ':sk': keys.historyPrefix }
            : { ':pk': keys.submission(ats, period), ':low': keys.history(1), ':high': keys.history(below - 1) },
        ScanIndexForward: false,
        Limit: options.limit,
        ConsistentRead: true,
      }),
    );
    const versions = ((result.Items ?? []) as Item[]).map(versionMetaFromItem);
    const oldest = versions[versions.length - 1];
    // Versions are numbered from 1 without gaps: below the oldest listed there are more exactly when it is not 1.
    const more = result.LastEvaluatedKey !== undefined && oldest !== undefined && oldest.version > 1;
    return { versions, nextBefore: more && oldest ? oldest.version : null };
  }
}
