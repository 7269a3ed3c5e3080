import { describe, expect, it } from 'vitest';
import { validateWorkbook } from '../../cli/commands/valida.ts';
import { truncationNotes } from '../../shared/checks/bound.ts';
import type { Submission, SubmissionRow } from '../../shared/contract/submission.ts';
import { ATS, NOW, validSubmission } from '../support/builders.ts';
import { filledXlsx } from './support/workbooks.ts';

/** `rendiconta valida` bounds its report as the API bounds its answers, with the full counts and an Italian note. */

/** Spending rows that carry only the ATS code: each breaks its required columns (T5.0 errors). */
function emptySpending(count: number): Submission {
  const base = validSubmission();
  const rows = Array.from({ length: count }, () => ({ COD_ATS: ATS }) as SubmissionRow);
  return { ...base, sheets: { ...base.sheets, T5: rows } };
}

describe('valida with more findings than a report carries', () => {
  it('keeps 1,000 for a rule, counts them all and says how many were left out', async () => {
    const report = await validateWorkbook(await filledXlsx(emptySpending(1100)), { now: NOW });
    const t50 = report.countsByRule['T5.0'];
    expect(t50?.errors).toBeGreaterThanOrEqual(1100);
    expect(report.findings.filter((finding) => finding.rule === 'T5.0')).toHaveLength(1000);
    expect(report.truncated).toBe(true);
    expect(report.errors).toBeGreaterThanOrEqual(t50?.errors ?? 0);
    expect(truncationNotes(report.findings, report.countsByRule, report.truncated)).toContain(
      `Mostrate 1.000 di ${(t50?.errors ?? 0).toLocaleString('it-IT')} segnalazioni per la regola T5.0.`,
    );
  }, 120_000);
});
