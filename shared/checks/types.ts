import type { ComuniIndex } from '../reference/comuni.ts';
import type { SheetId, TemplateDef } from '../template/types.ts';
import type { CheckParams } from './params.ts';

export type Severity = 'error' | 'warning';

/** A finding, exactly as the wire contract describes it; `ats` is added on region-level findings. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly sheet: SheetId | null;
  /** 1-based index into the sheet's rows; null for sheet- or submission-level findings. */
  readonly row: number | null;
  readonly column: string | null;
  readonly message: string;
  readonly ref: string;
  /** The ATS a region-level finding is about (regional checks only). */
  readonly ats?: string;
}

/** A cell after reading: typed value, or null when empty or unreadable. */
export type CellValue = string | number | null;
/**
 * A row after reading. A column the row leaves out is undefined, not null: a row that already holds typed values is
 * used as it is, without a copy (normalize.ts). Checks test emptiness with `== null`, or through num() and str().
 */
export type NormalizedRow = Readonly<Record<string, CellValue | undefined>>;

/**
 * A submission after every cell was read against its column type. Values that could not be read are null here and
 * were reported already, so checks never see a wrongly typed value.
 */
export interface NormalizedSubmission {
  readonly template: TemplateDef;
  readonly templateVersion: string;
  readonly ats: string;
  readonly period: string;
  readonly comment: string | null;
  readonly sheets: Readonly<Record<SheetId, readonly NormalizedRow[]>>;
}

/** The ATS composition the Region registered (reference for T2.5–T2.7). */
export interface RegisteredAts {
  readonly ats: string;
  readonly name: string;
  readonly comuni: readonly string[];
  readonly enteGestoreCf?: string;
}

/** What a check may look at. Everything beyond the submission is optional: checks that need it skip without it. */
export interface CheckContext {
  readonly submission: NormalizedSubmission;
  /** The current version of the previous snapshot (cumulative financial checks T4.7, T4.8, T4.16; T1.8). */
  readonly previous?: NormalizedSubmission;
  /**
   * The current version of the previous annual return (YYYY-12-31 of the year before): year-on-year checks T2.4, T3.8,
   * T6.7. The previous snapshot of an annual return may be the interim 31/08 one, which carries no T3 or T6.
   */
  readonly previousAnnual?: NormalizedSubmission;
  /** An earlier version for the same period (S.4). */
  readonly earlierVersion?: NormalizedSubmission;
  /** The ATS composition registered by the Region (T2.7). */
  readonly registered?: RegisteredAts;
  readonly comuni?: ComuniIndex;
  readonly params: CheckParams;
  /** The moment the check runs (deadlines, expiries): injected so results are reproducible. */
  readonly now: Date;
}

/** What a regional check looks at: every current submission of the Region's ATS for one period. */
export interface RegionalContext {
  readonly region: string;
  readonly period: string;
  readonly submissions: readonly NormalizedSubmission[];
  readonly registered: readonly RegisteredAts[];
  readonly comuni?: ComuniIndex;
  readonly params: CheckParams;
}

/** Everything a rule emits besides what its definition fixes. */
export interface FindingInput {
  readonly sheet: SheetId | null;
  readonly row: number | null;
  readonly column: string | null;
  readonly message: string;
  /** Overrides the rule's default severity when a rule has two levels (e.g. T5.7 at ATS and at Region level). */
  readonly severity?: Severity;
  readonly ats?: string;
}

export type Emit = (finding: FindingInput) => void;

export type RuleScope = 'submission' | 'cross-period' | 'reference' | 'regional';

export interface RuleDef {
  readonly id: string;
  readonly severity: Severity;
  /** Italian one-line description, for documentation and the task pane. */
  readonly title: string;
  /** Legal or design reference shown with each finding. */
  readonly ref: string;
  readonly scope: RuleScope;
}

export interface SubmissionRule extends RuleDef {
  readonly scope: 'submission' | 'cross-period' | 'reference';
  readonly run: (context: CheckContext, emit: Emit) => void;
}

export interface RegionalRule extends RuleDef {
  readonly scope: 'regional';
  readonly run: (context: RegionalContext, emit: Emit) => void;
}
