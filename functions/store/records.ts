import type { RegionParameters } from '../../shared/checks/params.ts';

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

/** A Region's overrides of the check parameters, as stored (version 1 is the first set). */
export interface RegionParametersRecord {
  readonly region: string;
  readonly version: number;
  readonly parameters: RegionParameters;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** One change of a Region's parameters in its audit trail. */
export interface RegionParametersEvent {
  readonly region: string;
  readonly at: string;
  readonly who: string;
  readonly groups: readonly string[];
  readonly version: number;
  /** sha256 of the canonical JSON of the overrides this change set. */
  readonly sha256: string;
  /** The parameters added, changed or removed. */
  readonly changed: readonly string[];
  readonly clientVersion: string | null;
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
