import { italianCount } from '../../shared/checks/bound.ts';
import type { ParamsInUse } from '../../shared/checks/region-params-source.ts';
import { latestTemplate } from '../../shared/template/index.ts';
import type { ApiClient } from '../app/api.ts';
import { localCheck } from '../app/checks.ts';
import { loadComuniOnce } from '../app/reference.ts';
import type { ExcelRun, HostFeatures } from '../excel/host.ts';
import type { WorkbookRead } from '../excel/read.ts';
import { type CheckResult, validateWorkbook } from '../excel/validate.ts';
import type { SetStatus, Tone } from './dom.ts';
import { type FindingsView, fullCounts } from './findings.ts';

/**
 * "Valida": reads the workbook, checks it through the API when signed in (the local checks stand in when the API
 * cannot be reached or refuses the call), marks the cells and lists the findings.
 */

export interface ValidationContext {
  readonly run: ExcelRun;
  readonly features: HostFeatures;
  readonly api: ApiClient;
  readonly signedIn: () => boolean;
  readonly setStatus: SetStatus;
  readonly findings: FindingsView;
  /** The Region's check parameters for the local checks (addin/app/region-params.ts); without it, the defaults. */
  readonly regionParams?: (ats: string) => Promise<ParamsInUse | null>;
}

export interface Validated {
  readonly read: WorkbookRead;
  readonly result: CheckResult;
}

export interface Envelope {
  readonly ats: string;
  readonly period: string;
  readonly comment: string;
}

export async function runValidation(context: ValidationContext, envelope: Envelope): Promise<Validated | null> {
  const outcome = await validateWorkbook({
    run: context.run,
    // The sheets to load in the first round trip; the workbook's marker says the version it is read and checked on.
    template: latestTemplate(),
    features: context.features,
    envelope: {
      ...(envelope.ats ? { ats: envelope.ats } : {}),
      period: envelope.period,
      comment: envelope.comment,
    },
    check: async (read) => {
      // The local checks use the Region's parameters and say which (theirs, the copy last read, or the defaults).
      const local = async (reason?: string) => {
        const inUse = context.regionParams ? await context.regionParams(read.submission.ats) : null;
        const result = localCheck(read.submission, await loadComuniOnce(), new Date(), inUse?.params);
        const offlineReason = [reason, inUse?.note].filter(Boolean).join(' ');
        return offlineReason ? { ...result, offlineReason } : result;
      };
      if (!context.signedIn()) return local();
      const answer = await context.api.validate(read.submission);
      if (answer.kind === 'ok') {
        return { findings: answer.findings, source: 'api', ...(answer.bound ? { bound: answer.bound } : {}) };
      }
      return local(answer.message);
    },
  });
  if (!outcome.ok) {
    context.setStatus(outcome.message, 'error');
    return null;
  }
  context.findings.show(outcome.result, outcome.read);
  return { read: outcome.read, result: outcome.result };
}

/** The status line after "Valida": the full counts, and why the checks ran only on the computer when they did. */
export function validationVerdict(result: CheckResult): { text: string; tone: Tone } {
  const { errors, warnings } = fullCounts(result);
  const suffix = result.offlineReason ? ` ${result.offlineReason}` : '';
  return errors === 0
    ? { text: `Nessun errore: ${italianCount(warnings)} avvisi.${suffix}`, tone: 'success' }
    : { text: `${italianCount(errors)} errori da correggere.${suffix}`, tone: 'error' };
}
