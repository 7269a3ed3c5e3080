import { ruleDef } from '../checks/catalogue.ts';
import { sortFindings, type ValidateOptions, validateSubmission } from '../checks/engine.ts';
import type { Finding } from '../checks/types.ts';
import type { WorkbookRead } from './read-result.ts';

/**
 * Every finding of a workbook, in every channel: the reader's (layout, unreadable cells, missing envelope) and the
 * checks' on the submission it read, in the engine's stable order. A workbook without a valid ATS code or period is not
 * checked further: the reader's T1.1 / S.1 say what to fill in first.
 */
export function checkWorkbook(read: WorkbookRead, options: ValidateOptions = {}): Finding[] {
  const findings: Finding[] = [...read.findings];
  if (read.submission.ats !== '' && read.submission.period !== '') {
    const outcome = validateSubmission(read.submission, options);
    if (outcome.ok) {
      // A loop, not push(...many): a 100,000-row sheet can give 400,000 findings, past the arguments a call takes.
      for (const finding of outcome.findings) findings.push(finding);
    } else {
      // The reader builds a well-formed envelope, so this only happens for shapes it did not foresee: report them.
      for (const issue of outcome.issues) {
        findings.push({
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
  return sortFindings(findings, read.template);
}
