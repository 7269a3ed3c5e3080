import { type Db, defaultDb, pointerFromItem } from './dynamo-items.ts';
import { readRegionParameters } from './dynamo-parameters.ts';
import { queryAll, readVersions } from './dynamo-read.ts';
import { listRegistrations } from './dynamo-registrations.ts';
import { keys } from './keys.ts';
import type { CurrentPointer, RegionStore, StoredVersion, VersionKey } from './types.ts';

/**
 * The Region's view: two Queries whatever the number of ATS (registrations; the current pointers, small, in one
 * partition), then the bodies of the versions a page needs from the ATS's partitions: one BatchGetItem per 100
 * versions (and one more when some body is chunked).
 */
export class DynamoRegionStore implements RegionStore {
  constructor(private readonly db: Db = defaultDb()) {}

  listRegistrations(region: string) {
    return listRegistrations(this.db, region);
  }

  /** The Region's parameters, for its region-level checks (one GetItem). */
  getRegionParameters(region: string) {
    return readRegionParameters(this.db, region);
  }

  async listCurrentByRegion(region: string, period: string): Promise<CurrentPointer[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.regionPeriod(region, period), ':sk': keys.currentPrefix },
      // A reviewer must see a submission the moment its receipt is issued.
      ConsistentRead: true,
    });
    return items.map(pointerFromItem);
  }

  getVersions(wanted: readonly VersionKey[], withFindings?: (key: VersionKey) => boolean): Promise<StoredVersion[]> {
    return readVersions(this.db, wanted, withFindings);
  }
}
