import type { RuleCounts } from './bound.ts';
import type { Finding } from './types.ts';

/**
 * The findings of one validation, counted in full. Without a limit it keeps them all. With `keepPerRule` it keeps
 * only the first `keepPerRule` errors and warnings of each rule in the stable order, which is all that boundFindings
 * can take from a rule (contract v1.1: at most 1,000 a rule): bounding what it keeps gives the very findings that
 * bounding the full list gives, while a body of 400,000 empty rows (millions of findings) is held in memory bounded
 * by the rules, not by the rows. A bucket fills to twice the limit, then is sorted and cut back: each finding costs a
 * logarithmic share of a sort, never a copy of the whole list.
 */
export class FindingCollector {
  private readonly all: Finding[] = [];
  private readonly buckets = new Map<
    string,
    { errors: Finding[]; warnings: Finding[]; errorsAbove: Finding | undefined; warningsAbove: Finding | undefined }
  >();
  private readonly counts = new Map<string, { errors: number; warnings: number }>();
  errors = 0;
  warnings = 0;

  constructor(
    private readonly compare: (left: Finding, right: Finding) => number,
    private readonly keepPerRule?: number,
  ) {}

  /**
   * Whether a finding of this rule and severity, placed as `probe` says (rule, sheet, row, column, message), could
   * still be kept: false only when it comes after the last one kept of a list already cut back. Lets the engine skip
   * building findings that would be dropped; `push` must follow for those it builds.
   */
  wouldKeep(probe: Finding): boolean {
    if (this.keepPerRule === undefined) return true;
    const bucket = this.buckets.get(probe.rule);
    const above = probe.severity === 'error' ? bucket?.errorsAbove : bucket?.warningsAbove;
    return above === undefined || this.compare(probe, above) < 0;
  }

  /** Counts a finding that wouldKeep turned away, as push would have. */
  countOnly(rule: string, severity: Finding['severity']): void {
    let count = this.counts.get(rule);
    if (!count) {
      count = { errors: 0, warnings: 0 };
      this.counts.set(rule, count);
    }
    if (severity === 'error') {
      count.errors++;
      this.errors++;
    } else {
      count.warnings++;
      this.warnings++;
    }
  }

  push(finding: Finding): void {
    let count = this.counts.get(finding.rule);
    if (!count) {
      count = { errors: 0, warnings: 0 };
      this.counts.set(finding.rule, count);
    }
    const isError = finding.severity === 'error';
    if (isError) {
      count.errors++;
      this.errors++;
    } else {
      count.warnings++;
      this.warnings++;
    }
    const keep = this.keepPerRule;
    if (keep === undefined) {
      this.all.push(finding);
      return;
    }
    let bucket = this.buckets.get(finding.rule);
    if (!bucket) {
      bucket = { errors: [], warnings: [], errorsAbove: undefined, warningsAbove: undefined };
      this.buckets.set(finding.rule, bucket);
    }
    // Once a list was cut back, a finding that comes after its last kept one can never be kept: one comparison, and
    // rows are read in order, so nearly every later finding of a busy rule stops here.
    const above = isError ? bucket.errorsAbove : bucket.warningsAbove;
    if (above !== undefined && this.compare(finding, above) >= 0) return;
    const list = isError ? bucket.errors : bucket.warnings;
    list.push(finding);
    if (list.length >= 2 * keep) {
      list.sort(this.compare);
      list.length = keep;
      if (isError) bucket.errorsAbove = list[keep - 1];
      else bucket.warningsAbove = list[keep - 1];
    }
  }

  /** The kept findings (all of them without a limit), not yet in the stable order. */
  kept(): Finding[] {
    const keep = this.keepPerRule;
    if (keep === undefined) return this.all;
    const kept: Finding[] = [];
    for (const { errors, warnings } of this.buckets.values()) {
      for (const list of [errors, warnings]) {
        if (list.length > keep) {
          list.sort(this.compare);
          list.length = keep;
        }
        for (const finding of list) kept.push(finding);
      }
    }
    return kept;
  }

  /** Every rule with findings, with its full counts by severity. */
  countsByRule(): Record<string, RuleCounts> {
    const counts: Record<string, RuleCounts> = {};
    for (const [rule, count] of this.counts) counts[rule] = { ...count };
    return counts;
  }
}
