/** Small records shared by the store and the data functions. */

export interface AtsSummary {
  readonly population: number;
  readonly fteAsTi: number;
  readonly contribution: number;
  readonly rows: number;
}

export interface ReviewRecord {
  readonly decision: 'approve' | 'reject';
  readonly comment: string | null;
  readonly reviewer: string;
  readonly at: string;
}

export interface AuditEventRecord {
  readonly ats: string;
  readonly at: string;
  readonly who: string;
  readonly groups: readonly string[];
  /** REVIEW_REFUSED: a review refused by segregation of duties (the reviewer had submitted the version). */
  readonly what: 'SUBMIT' | 'APPROVE' | 'REJECT' | 'REVIEW_REFUSED';
  readonly period: string;
  readonly version: number;
  readonly sha256: string;
  readonly clientVersion: string | null;
  readonly comment?: string | null;
}
