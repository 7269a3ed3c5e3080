import { sortFindings } from '../../shared/checks/engine.ts';
import type { Finding } from '../../shared/checks/types.ts';
import type { FindingsBound } from '../../shared/contract/api.ts';
import type { TemplateDef } from '../../shared/template/types.ts';
import type { ExcelRun, HostFeatures } from './host.ts';
import { sendMarks, sheetsToLift } from './marks.ts';
import { passwordMessage, sheetThatRefusesUnprotect } from './protection.ts';
import { type Envelope, readFromHost, type WorkbookRead } from './read.ts';

/**
 * One validation: exactly two round trips to Excel, whatever the size of the workbook. The first reads everything,
 * the checks run outside Excel (locally and/or through the API), the second writes every mark.
 */

export interface CheckResult {
  readonly findings: readonly Finding[];
  /** Where the findings came from, for the task pane ("controlli del server" or "solo controlli locali"). */
  readonly source: 'api' | 'local';
  /** Set when the API could not be reached and the local checks stood in. */
  readonly offlineReason?: string;
  /** The full counts per rule when `findings` is bounded (contract v1.1: 1,000 per rule, 10,000 in all). */
  readonly bound?: FindingsBound;
}

export type Checker = (read: WorkbookRead) => Promise<CheckResult>;

export type WorkbookValidation =
  | { readonly ok: true; readonly read: WorkbookRead; readonly result: CheckResult; readonly notesWritten: boolean }
  | { readonly ok: false; readonly message: string };

export interface ValidateWorkbookOptions {
  readonly run: ExcelRun;
  readonly template: TemplateDef;
  readonly features: HostFeatures;
  readonly check: Checker;
  readonly envelope?: Envelope;
  readonly activateChecks?: boolean;
}

export async function readWorkbook(run: ExcelRun, template: TemplateDef, envelope: Envelope = {}) {
  return run((context) => readFromHost(context, template, envelope));
}

export async function writeMarks(
  run: ExcelRun,
  read: WorkbookRead,
  findings: readonly Finding[],
  features: HostFeatures,
  activateChecks: boolean,
): Promise<boolean> {
  const write = (state: WorkbookRead, withoutNotes: boolean) =>
    run((context) => sendMarks(context, state, findings, { features, activateChecks, withoutNotes }));
  try {
    await write(read, false);
    return features.notes;
  } catch (error) {
    // A cell holding the user's own note refuses ours and fails the batch part-way (Excel keeps what ran before):
    // read the workbook again and mark without notes. Only this rare path costs more than two round trips.
    if (!features.notes) throw error;
    const again = await readWorkbook(run, read.template, {
      ats: read.submission.ats,
      period: read.submission.period,
    });
    if (!again.ok) throw error;
    await write(again.read, true);
    return false;
  }
}

export async function validateWorkbook(options: ValidateWorkbookOptions): Promise<WorkbookValidation> {
  const outcome = await readWorkbook(options.run, options.template, options.envelope);
  if (!outcome.ok) return outcome;
  const { read } = outcome;
  // The reader's findings (layout, unreadable cells) join the checks', as in the command line (shared/workbook
  // check.ts); without an ATS code or a period nothing else can be checked: its T1.1 / S.1 say what to fill in.
  const complete = read.submission.ats !== '' && read.submission.period !== '';
  const checked: CheckResult = complete ? await options.check(read) : { findings: [], source: 'local' };
  const result: CheckResult = {
    ...checked,
    findings:
      read.findings.length > 0
        ? sortFindings([...read.findings, ...checked.findings], read.template)
        : checked.findings,
  };
  // Nothing is written when a sheet to lift is protected with a password the add-in does not know.
  const locked = await sheetThatRefusesUnprotect(options.run, sheetsToLift(read));
  if (locked) return { ok: false, message: passwordMessage(locked, 'il controllo') };
  const notesWritten = await writeMarks(
    options.run,
    outcome.read,
    result.findings,
    options.features,
    options.activateChecks ?? false,
  );
  return { ok: true, read: outcome.read, result, notesWritten };
}
