import { ATS_CODE } from '../contract/submission.ts';
import { STATUS_SHEET } from './build.ts';

/**
 * The review of an ATS's current version, decided from a row of "Stato invii". The row says which ATS and which
 * version the reviewer looked at; that version travels with the decision so the API can refuse (409) a decision on a
 * version that was replaced meanwhile, instead of silently applying it to the new one.
 */

export type Decision = 'approve' | 'reject';

export interface ReviewRequest {
  readonly ats: string;
  readonly body: { readonly decision: Decision; readonly comment: string | null; readonly version: number };
}

export type ReviewPlan =
  | { readonly ok: true; readonly request: ReviewRequest }
  | { readonly ok: false; readonly message: string };

/** Columns of "Stato invii" the review reads (see build.ts STATUS_HEADERS). */
const ATS_COLUMN = 0;
const VERSION_COLUMN = 4;

export const MAX_REVIEW_COMMENT = 4000;

export function planReview(
  sheetName: string,
  row: readonly unknown[] | undefined,
  decision: Decision,
  comment: string,
): ReviewPlan {
  if (sheetName !== STATUS_SHEET || row === undefined) {
    return { ok: false, message: `Selezionare la riga di un Ambito nel foglio "${STATUS_SHEET}".` };
  }
  const ats = row[ATS_COLUMN];
  if (typeof ats !== 'string' || !ATS_CODE.test(ats)) {
    return { ok: false, message: `Selezionare la riga di un Ambito nel foglio "${STATUS_SHEET}".` };
  }
  const version = row[VERSION_COLUMN];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, message: `L'Ambito ${ats} non ha inviato dati per il periodo: non c'è nulla da esaminare.` };
  }
  const trimmed = comment.trim();
  if (decision === 'reject' && trimmed === '') {
    return { ok: false, message: 'Per respingere un invio scrivere un commento con il motivo.' };
  }
  if (trimmed.length > MAX_REVIEW_COMMENT) {
    return { ok: false, message: `Commento troppo lungo (massimo ${MAX_REVIEW_COMMENT} caratteri).` };
  }
  return { ok: true, request: { ats, body: { decision, comment: trimmed === '' ? null : trimmed, version } } };
}

/** What the reviewer reads after the API answered. */
export function reviewOutcomeMessage(
  request: ReviewRequest,
  status: number,
  apiMessage: string | null,
  /** The error code of the API's body: a 409 is either STALE_VERSION or ALREADY_REVIEWED. */
  code?: string,
): { readonly ok: boolean; readonly message: string } {
  const { ats, body } = request;
  if (status >= 200 && status < 300) {
    const verb = body.decision === 'approve' ? 'approvata' : 'respinta';
    return { ok: true, message: `Versione ${body.version} dell'Ambito ${ats} ${verb}.` };
  }
  if (status === 409 && code === 'ALREADY_REVIEWED') {
    return {
      ok: false,
      message: apiMessage ?? `La versione ${body.version} dell'Ambito ${ats} è già stata esaminata.`,
    };
  }
  if (status === 409) {
    return {
      ok: false,
      message: `La versione ${body.version} dell'Ambito ${ats} non è più quella corrente: l'Ambito ha inviato una versione più recente. Nessuna decisione è stata registrata: consolidare di nuovo ed esaminare la versione corrente.`,
    };
  }
  const detail = apiMessage ? ` ${apiMessage}` : '';
  if (status === 403) return { ok: false, message: `Operazione non consentita per questo utente.${detail}` };
  if (status === 404) return { ok: false, message: `Invio dell'Ambito ${ats} non trovato.${detail}` };
  return { ok: false, message: `Decisione non registrata (errore ${status}).${detail}` };
}
