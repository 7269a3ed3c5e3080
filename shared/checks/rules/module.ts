import type { CheckContext, Emit, RegionalContext } from '../types.ts';

export type SubmissionCheck = (context: CheckContext, emit: Emit) => void;
export type RegionalCheck = (context: RegionalContext, emit: Emit) => void;

/** One module per sheet: its checks keyed by rule ID (metadata lives in catalogue.ts). */
export interface RuleModule {
  readonly submission?: Readonly<Record<string, SubmissionCheck>>;
  readonly regional?: Readonly<Record<string, RegionalCheck>>;
}
