import type { RegisteredAts } from '../../shared/checks/types.ts';
import { DynamoAuditStore } from './dynamo-audit.ts';
import { DynamoReadingStore } from './dynamo-history.ts';
import { type Db, defaultDb } from './dynamo-items.ts';
import { DynamoParametersWriteStore } from './dynamo-parameters.ts';
import { DynamoRegionStore } from './dynamo-region.ts';
import { DynamoRegistrationStore, getRegistration, listRegistrations } from './dynamo-registrations.ts';
import { DynamoReviewStore } from './dynamo-review.ts';
import { DynamoSubmissionStore } from './dynamo-submit.ts';
import type { Store } from './types.ts';

export { DynamoSubmissionStore } from './dynamo-submit.ts';

/**
 * The whole Store over DynamoDB, for the local stack's seeding, the tests and the bench. No handler imports it: each
 * handler's deps (functions/core/deps.ts) build only the part it uses, one module per access pattern, so its bundle
 * holds only the commands that part sends.
 */
export class DynamoStore implements Store {
  private readonly submissions: DynamoSubmissionStore;
  private readonly reading: DynamoReadingStore;
  private readonly reviews: DynamoReviewStore;
  private readonly audit: DynamoAuditStore;
  private readonly registrations: DynamoRegistrationStore;
  private readonly region: DynamoRegionStore;
  private readonly parameters: DynamoParametersWriteStore;

  constructor(private readonly db: Db = defaultDb()) {
    this.submissions = new DynamoSubmissionStore(db);
    this.reading = new DynamoReadingStore(db);
    this.reviews = new DynamoReviewStore(db);
    this.audit = new DynamoAuditStore(db);
    this.registrations = new DynamoRegistrationStore(db);
    this.region = new DynamoRegionStore(db);
    this.parameters = new DynamoParametersWriteStore(db);
  }

  getContext: Store['getContext'] = (input) => this.submissions.getContext(input);
  getIdempotency: Store['getIdempotency'] = (scope) => this.submissions.getIdempotency(scope);
  commitVersion: Store['commitVersion'] = (input) => this.submissions.commitVersion(input);
  getCurrent: Store['getCurrent'] = (ats, period) => this.reading.getCurrent(ats, period);
  getVersion: Store['getVersion'] = (ats, period, version) => this.reading.getVersion(ats, period, version);
  listHistory: Store['listHistory'] = (ats, period, options) => this.reading.listHistory(ats, period, options);
  review: Store['review'] = (input) => this.reviews.review(input);
  recordAudit: Store['recordAudit'] = (event) => this.reviews.recordAudit(event);
  listAudit: Store['listAudit'] = (ats, options) => this.audit.listAudit(ats, options);
  putRegistration: Store['putRegistration'] = (region, registered, updatedBy) =>
    this.registrations.putRegistration(region, registered, updatedBy);
  getRegistration = (region: string, ats: string): Promise<RegisteredAts | undefined> =>
    getRegistration(this.db, region, ats);
  listRegistrations: Store['listRegistrations'] = (region) => listRegistrations(this.db, region);
  listCurrentByRegion: Store['listCurrentByRegion'] = (region, period) =>
    this.region.listCurrentByRegion(region, period);
  getVersions: Store['getVersions'] = (wanted, withFindings) => this.region.getVersions(wanted, withFindings);
  getRegionParameters: Store['getRegionParameters'] = (region) => this.parameters.getRegionParameters(region);
  listRegionParameterChanges: Store['listRegionParameterChanges'] = (region, limit) =>
    this.parameters.listRegionParameterChanges(region, limit);
  putRegionParameters: Store['putRegionParameters'] = (input) => this.parameters.putRegionParameters(input);
}
