import { loadComuni } from '../../functions/lib/reference-data.ts';
import { boundFindings, type RuleCounts, truncationNotes } from '../../shared/checks/bound.ts';
import { sortFindings, validateSubmission } from '../../shared/checks/engine.ts';
import type { Finding } from '../../shared/checks/types.ts';
import { EXIT } from '../errors.ts';
import { findingLines, type LocatedFinding, locate, summaryLine } from '../format.ts';
import { readWorkbookFile } from '../io.ts';
import { readWorkbook, type WorkbookRead } from '../xlsx/read.ts';

export interface ValidationReport {
  readonly read: WorkbookRead;
  readonly findings: readonly LocatedFinding[];
  readonly errors: number;
  readonly warnings: number;
  readonly rows: number;
  /** Full counts per rule: `findings` is bounded as the API's answers are (1,000 per rule, 10,000 in all). */
  readonly countsByRule: Record<string, RuleCounts>;
  readonly truncated: boolean;
}

/**
 * Every finding of a workbook: the reader's (layout, unreadable cells) and the checks' (the same engine as
 * POST /v1/validate, with the ISTAT list), in the engine's stable order, each with its cell in the user's file.
 */
export async function validateWorkbook(
  buffer: Buffer,
  options: { ats?: string; period?: string; now?: Date } = {},
): Promise<ValidationReport> {
  const read = await readWorkbook(buffer, options);
  const outcome = validateSubmission(read.submission, { comuni: loadComuni(), now: options.now ?? new Date() });
  // A loop, not push(...many): spreading 100,000 findings into call arguments overflows the stack.
  const findings: Finding[] = read.findings.slice();
  if (outcome.ok) {
    for (const finding of outcome.findings) findings.push(finding);
  } else {
    // The reader builds a well-formed envelope, so this only happens for shapes it did not foresee: report, not crash.
    for (const issue of outcome.issues) {
      findings.push({
        rule: 'S.2',
        severity: 'error',
        sheet: null,
        row: null,
        column: null,
        message: `${issue.path}: ${issue.message}`,
        ref: '',
      });
    }
  }
  const sorted = sortFindings(findings, read.template);
  const bounded = boundFindings(sorted);
  const located = locate(bounded.findings, read.cells, read.template);
  const counts = Object.values(bounded.countsByRule);
  const rows = Object.values(read.submission.sheets).reduce(
    (total, rowsOfSheet) => total + (rowsOfSheet?.length ?? 0),
    0,
  );
  return {
    read,
    findings: located,
    errors: counts.reduce((sum, count) => sum + count.errors, 0),
    warnings: counts.reduce((sum, count) => sum + count.warnings, 0),
    rows,
    countsByRule: bounded.countsByRule,
    truncated: bounded.truncated,
  };
}

export async function validaCommand(
  file: string,
  options: { json?: boolean; ambito?: string; periodo?: string },
): Promise<number> {
  const buffer = await readWorkbookFile(file);
  const report = await validateWorkbook(buffer, { ats: options.ambito, period: options.periodo });
  const { submission } = report.read;
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          file,
          template: submission.template,
          templateVersion: submission.templateVersion,
          ats: submission.ats,
          period: submission.period,
          summary: {
            errors: report.errors,
            warnings: report.warnings,
            rows: report.rows,
            countsByRule: report.countsByRule,
            truncated: report.truncated,
          },
          findings: report.findings,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const lines = [
      `Modello ${submission.template} ${submission.templateVersion} · Ambito ${submission.ats} · periodo ${submission.period}`,
      ...(report.findings.length > 0 ? ['cella\tgravità\tregola\tmessaggio', ...findingLines(report.findings)] : []),
      ...truncationNotes(report.findings, report.countsByRule, report.truncated),
      summaryLine(report.errors, report.warnings, report.rows),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return report.errors > 0 ? EXIT.findings : EXIT.ok;
}
