import { SHEET_IDS } from '../../template/types.ts';
import { num, str, t1Row } from '../derived.ts';
import type { NormalizedRow, NormalizedSubmission } from '../types.ts';
import type { RuleModule } from './module.ts';

/**
 * Whole-submission checks (domain.md §4.8). S.2 is raised by the engine (template version) and while reading cells
 * (unknown columns); S.3 while reading cells; S.5 through the conditional requirement of the signature columns.
 */

/**
 * Whether two rows hold the same values, whatever the order of their columns: a stored version comes back in
 * canonical (sorted) key order, a new one in the order the client wrote, and an empty cell may be absent or null.
 */
function sameRow(left: NormalizedRow | undefined, right: NormalizedRow | undefined): boolean {
  if (left === undefined || right === undefined) return left === right;
  const sameCell = (key: string) => {
    const a = left[key];
    const b = right[key];
    return a === b || (a == null && b == null) || (Number.isNaN(a) && Number.isNaN(b));
  };
  return Object.keys(left).every(sameCell) && Object.keys(right).every(sameCell);
}

function changedRows(current: NormalizedSubmission, earlier: NormalizedSubmission): string[] {
  const changes: string[] = [];
  for (const sheet of SHEET_IDS) {
    const now = current.sheets[sheet];
    const then = earlier.sheets[sheet];
    const longest = Math.max(now.length, then.length);
    let changed = 0;
    for (let index = 0; index < longest; index++) {
      if (!sameRow(now[index], then[index])) changed++;
    }
    if (changed > 0) changes.push(`${sheet}: ${changed} righe`);
  }
  return changes;
}

export const SUBMISSION_LEVEL: RuleModule = {
  submission: {
    'S.1': ({ submission }, emit) => {
      // Every sheet is compared with the period's year, so one wrong T1 cell gives one finding, not one per row.
      const declaredYear = Number(submission.period.slice(0, 4));
      for (const sheet of SHEET_IDS) {
        submission.sheets[sheet].forEach((row, index) => {
          const code = str(row.COD_ATS);
          if (code !== null && code !== submission.ats) {
            emit({
              sheet,
              row: index + 1,
              column: 'COD_ATS',
              message: `Codice Ambito o periodo diversi tra i fogli: ${code} invece di ${submission.ats}.`,
            });
          }
          const dataRif = str(row.DATA_RIF);
          if (dataRif !== null && dataRif !== submission.period) {
            emit({
              sheet,
              row: index + 1,
              column: 'DATA_RIF',
              message: `Codice Ambito o periodo diversi tra i fogli: data di riferimento ${dataRif} invece di ${submission.period}.`,
            });
          }
          const anno = num(row.ANNO_RIF);
          if (anno === null) return;
          const expected = declaredYear;
          // T3 may carry the next year's forecast (PREVISIONE N+1) next to the consuntivo of N, as SIOSS asks in February.
          const allowed = sheet === 'T3' && row.TIPO_DATO === 'PREVISIONE' ? [expected, expected + 1] : [expected];
          if (!allowed.includes(anno)) {
            emit({
              sheet,
              row: index + 1,
              column: 'ANNO_RIF',
              message: `Codice Ambito o periodo diversi tra i fogli: anno ${anno} invece di ${expected}.`,
            });
          }
        });
      }
    },
    'S.4': (context, emit) => {
      const { submission } = context;
      if (givesReason(submission.comment)) return;
      // Only now: the earlier version is decoded on first use, and a re-submission with a reason never needs it.
      const earlierVersion = context.earlierVersion;
      if (!earlierVersion) return;
      const changes = changedRows(submission, earlierVersion);
      const detail =
        changes.length > 0
          ? ` Modifiche rispetto all'invio precedente: ${changes.join('; ')}.`
          : ' Nessuna modifica rispetto all’invio precedente.';
      emit({
        sheet: null,
        row: null,
        column: null,
        message: `Nuovo invio per lo stesso periodo: indicare il motivo della rettifica.${detail}`,
      });
    },
  },
};

/** Whether a submission's comment states a reason: a re-submission that does not is what S.4 reports. */
export const givesReason = (comment: string | null | undefined): boolean =>
  comment !== null && comment !== undefined && comment.trim() !== '';

/** Exposed for tests and the add-in: whether the submission is a certification of the AS contribution. */
export const isCertification = (submission: NormalizedSubmission): boolean =>
  t1Row(submission).CERTIFICAZIONE_AS === 'S';
