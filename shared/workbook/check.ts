import type { RuleCounts } from '../checks/bound.ts';
import { ruleDef } from '../checks/catalogue.ts';
import { sortFindings, type ValidateOptions, validateSubmission } from '../checks/engine.ts';
import type { Finding } from '../checks/types.ts';
import type { WorkbookRead } from './read-result.ts';

/** What checking a workbook gives: the findings kept and every rule's full counts. */
export interface CheckedWorkbook {
  /** In the engine's stable order: every finding, or with `keepPerRule` the first of each rule and severity. */
  readonly findings: Finding[];
  /** Every rule with findings and its full counts, the reader's findings included, kept or not. */
  readonly countsByRule: Record<string, RuleCounts>;
}

/**
 * Every finding of a workbook, in every channel: the reader's (layout, unreadable cells, missing envelope) and the
 * checks' on the submission it read, in the engine's stable order, with the full counts per rule. A workbook without a
 * valid ATS code or period is not checked further: the reader's T1.1 / S.1 say what to fill in first. With
 * `keepPerRule` (FINDINGS_PER_RULE) the engine keeps only what boundFindings can take, so a 100,000-row sheet with
 * four findings a row holds thousands of findings, not 400,000, and the counts stay exact.
 */
export function checkWorkbookCounted(read: WorkbookRead, options: ValidateOptions = {}): CheckedWorkbook {
  const findings: Finding[] = read.findings.slice();
  const counts = new Map<string, { errors: number; warnings: number }>();
  const add = (rule: string, errors: number, warnings: number): void => {
    const count = counts.get(rule) ?? { errors: 0, warnings: 0 };
    count.errors += errors;
    count.warnings += warnings;
    counts.set(rule, count);
  };
  const addFinding = (finding: Finding): void => {
    findings.push(finding);
    add(finding.rule, finding.severity === 'error' ? 1 : 0, finding.severity === 'error' ? 0 : 1);
  };
  for (const finding of read.findings)
    add(finding.rule, finding.severity === 'error' ? 1 : 0, finding.severity === 'error' ? 0 : 1);
  if (read.submission.ats !== '' && read.submission.period !== '') {
    const outcome = validateSubmission(read.submission, options);
    if (outcome.ok) {
      // A loop, not push(...many): a 100,000-row sheet can give 400,000 findings, past the arguments a call takes.
      for (const finding of outcome.findings) findings.push(finding);
      for (const [rule, count] of Object.entries(outcome.countsByRule)) add(rule, count.errors, count.warnings);
    } else {
      // The reader builds a well-formed envelope, so this only happens for shapes it did not foresee: report them.
      for (const issue of outcome.issues) {
        addFinding({
          rule: 'S.2',
          severity: 'error',
          sheet: null,
          row: null,
          column: null,
          message: `Struttura dei dati non valida (${issue.path}): ${issue.message}`,
          ref: ruleDef('S.2').ref,
        });
      }
    }
  }
  const countsByRule: Record<string, RuleCounts> = {};
  for (const [rule, count] of counts) countsByRule[rule] = count;
  return { findings: sortFindings(findings, read.template), countsByRule };
}

/** Every finding of a workbook (checkWorkbookCounted without the counts): the reader's and the checks', in order. */
export function checkWorkbook(read: WorkbookRead, options: ValidateOptions = {}): Finding[] {
  return checkWorkbookCounted(read, options).findings;
}
