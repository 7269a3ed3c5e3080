import { boundFindings, FINDINGS_PER_RULE, type RuleCounts, truncationNotes } from '../../shared/checks/bound.ts';
import type { ParamsInUse } from '../../shared/checks/region-params-source.ts';
import { ATS_CODE } from '../../shared/contract/codes.ts';
import { loadComuni } from '../../shared/reference/load.ts';
import { checkWorkbookCounted } from '../../shared/workbook/check.ts';
import type { WorkbookRead } from '../../shared/workbook/read-result.ts';
import { EXIT } from '../errors.ts';
import { findingLines, type LocatedFinding, locate, summaryLine } from '../format.ts';
import { readWorkbookFile } from '../io.ts';
import { cliRegionParams } from '../region-params.ts';
import { readWorkbookStreaming } from '../xlsx/read-stream.ts';

export interface ValidationReport {
  readonly read: WorkbookRead;
  readonly findings: readonly LocatedFinding[];
  readonly errors: number;
  readonly warnings: number;
  readonly rows: number;
  /** Full counts per rule: `findings` is bounded as the API's answers are (1,000 per rule, 10,000 in all). */
  readonly countsByRule: Record<string, RuleCounts>;
  readonly truncated: boolean;
  /** The check parameters used (the Region's, or the defaults and why); null when the file names no valid ATS. */
  readonly parameters: ParamsInUse | null;
}

/**
 * Every finding of a workbook: the reader's (layout, unreadable cells) and the checks' (the same engine as
 * POST /v1/validate, with the ISTAT list), in the engine's stable order, each with its cell in the user's file. The
 * file is read streaming (100,000 rows a sheet in bounded memory) and the report is bounded before anything is
 * located or printed.
 */
export async function validateWorkbook(
  buffer: Buffer,
  options: {
    ats?: string;
    period?: string;
    now?: Date;
    /** The Region's parameters, once the file has said which Region (RR of ATS-RR-NNN). */
    regionParams?: (region: string) => Promise<ParamsInUse>;
  } = {},
): Promise<ValidationReport> {
  const read = await readWorkbookStreaming(buffer, { ats: options.ats, period: options.period });
  const { ats } = read.submission;
  const parameters = options.regionParams && ATS_CODE.test(ats) ? await options.regionParams(ats.slice(4, 6)) : null;
  // The engine keeps only what the bound can take (1,000 of each rule) and counts the rest: memory bounded by the rules.
  const checked = checkWorkbookCounted(read, {
    comuni: loadComuni(),
    now: options.now ?? new Date(),
    keepPerRule: FINDINGS_PER_RULE,
    ...(parameters ? { params: parameters.params } : {}),
  });
  const bounded = boundFindings(checked.findings);
  const located = locate(bounded.findings, read.cells, read.template);
  let errors = 0;
  let warnings = 0;
  for (const count of Object.values(checked.countsByRule)) {
    errors += count.errors;
    warnings += count.warnings;
  }
  let rows = 0;
  for (const sheetRows of Object.values(read.submission.sheets)) rows += sheetRows?.length ?? 0;
  return {
    read,
    findings: located,
    errors,
    warnings,
    rows,
    countsByRule: checked.countsByRule,
    truncated: bounded.findings.length < errors + warnings,
    parameters,
  };
}

export async function validaCommand(
  file: string,
  options: { json?: boolean; ambito?: string; periodo?: string; api?: string },
): Promise<number> {
  const buffer = await readWorkbookFile(file);
  const report = await validateWorkbook(buffer, {
    ats: options.ambito,
    period: options.periodo,
    regionParams: (region) => cliRegionParams(region, options.api),
  });
  const parameters = report.parameters && {
    region: report.parameters.region,
    version: report.parameters.version,
    source: report.parameters.source,
    note: report.parameters.note,
  };
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
          parameters,
          findings: report.findings,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const lines = [
      `Modello ${submission.template} ${submission.templateVersion} · Ambito ${submission.ats} · periodo ${submission.period}`,
      ...(parameters ? [parameters.note] : []),
      ...(report.findings.length > 0 ? ['cella\tgravità\tregola\tmessaggio', ...findingLines(report.findings)] : []),
      ...truncationNotes(report.findings, report.countsByRule, report.truncated),
      summaryLine(report.errors, report.warnings, report.rows),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return report.errors > 0 ? EXIT.findings : EXIT.ok;
}
