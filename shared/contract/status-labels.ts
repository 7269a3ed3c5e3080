import type { SubmissionStatus } from './api.ts';

/**
 * What a user reads for a submission's status: the wire contract keeps SUBMITTED, APPROVED and REJECTED, every screen,
 * receipt and sheet shows these Italian words instead (the noun is "la rendicontazione", hence the feminine).
 */
export const STATUS_LABELS: Readonly<Record<SubmissionStatus, string>> = {
  SUBMITTED: 'Inviata',
  APPROVED: 'Approvata',
  REJECTED: 'Respinta',
};

/** The label with what happens next, for places with room for a short explanation (receipts, status sheets). */
export const STATUS_DESCRIPTIONS: Readonly<Record<SubmissionStatus, string>> = {
  SUBMITTED: 'Inviata, in attesa di esame della Regione',
  APPROVED: 'Approvata dalla Regione',
  REJECTED: 'Respinta dalla Regione',
};

/** The Italian label of a status as received; an unknown value (a newer server) is shown as "Stato non riconosciuto". */
export function statusLabel(status: string): string {
  return isSubmissionStatus(status) ? STATUS_LABELS[status] : 'Stato non riconosciuto';
}

/** The status with what happens next, as received; an unknown value is shown as "Stato non riconosciuto". */
export function statusDescription(status: string): string {
  return isSubmissionStatus(status) ? STATUS_DESCRIPTIONS[status] : 'Stato non riconosciuto';
}

function isSubmissionStatus(status: string): status is SubmissionStatus {
  return status === 'SUBMITTED' || status === 'APPROVED' || status === 'REJECTED';
}
