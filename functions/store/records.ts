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
  readonly what: 'SUBMIT' | 'APPROVE' | 'REJECT';
  readonly period: string;
  readonly version: number;
  readonly sha256: string;
  readonly clientVersion: string | null;
  readonly comment?: string | null;
}
