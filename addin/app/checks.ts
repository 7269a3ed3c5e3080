import { boundFindings } from '../../shared/checks/bound.ts';
import { validateSubmission } from '../../shared/checks/engine.ts';
import type { CheckParams } from '../../shared/checks/params.ts';
import type { Finding } from '../../shared/checks/types.ts';
import type { SchemaIssue } from '../../shared/contract/submission.ts';
import type { ComuniIndex } from '../../shared/reference/comuni.ts';
import type { CheckResult } from '../excel/validate.ts';

/**
 * The checks the add-in runs itself, with shared/ (the same code the API runs): always available, also offline.
 * Schema problems of the envelope (an ATS code or a period that is not valid) become findings so they show in the
 * same list as everything else.
 */

export function issuesAsFindings(issues: readonly SchemaIssue[]): Finding[] {
  return issues.map((issue) => ({
    rule: 'S.0',
    severity: 'error',
    sheet: null,
    row: null,
    column: null,
    message: `${issue.path}: ${issue.message}`,
    ref: 'Modello LEPS-ATS, invio: codice Ambito, periodo e fogli',
  }));
}

/** `params`: the Region's parameters when known (addin/app/region-params.ts), so the local checks find what the API would. */
export function localCheck(
  submission: unknown,
  comuni?: ComuniIndex,
  now = new Date(),
  params?: CheckParams,
): CheckResult {
  const outcome = validateSubmission(submission, { ...(comuni ? { comuni } : {}), now, ...(params ? { params } : {}) });
  // Bounded as the API bounds its answers, so the list (and the marks on the cells) is the same offline.
  const bounded = boundFindings(outcome.ok ? outcome.findings : issuesAsFindings(outcome.issues));
  return {
    findings: bounded.findings,
    source: 'local',
    bound: { countsByRule: bounded.countsByRule, truncated: bounded.truncated },
  };
}
