import type { Receipt } from '../contract/api.ts';
import { statusLabel } from '../contract/status-labels.ts';
import { formatItalianDate } from '../domain/italian-format.ts';

/**
 * What a user reads of a receipt, in one wording for every channel: the task pane's list, the add-in's "Ricevuta"
 * sheet and the command line's printout show these labels and values in this order (the hash fifth, so the sheet
 * keeps it in B6). Statuses in Italian (status-labels.ts), dates as in Italy, times in Rome's.
 */

/** What the channels have of a receipt: the command line's `--json` path and older servers may lack some fields. */
export type ReceiptLike = Pick<Receipt, 'ats' | 'period' | 'version' | 'sha256' | 'receivedAt'> &
  Partial<Pick<Receipt, 'template' | 'templateVersion' | 'findings' | 'findingsBound'>> & { readonly status?: string };

export interface ReceiptField {
  /** The Italian label, also the field's name in the task pane (data-field). */
  readonly label: string;
  readonly value: string;
}

export const RECEIPT_TITLE = 'Ricevuta di invio';

/** A time as Rome reads it ("25/1/2026, 11:00:00"); text that is not a time is shown as received. */
export function receivedAtText(receivedAt: string): string {
  const received = new Date(receivedAt);
  return Number.isNaN(received.getTime()) ? receivedAt : received.toLocaleString('it-IT', { timeZone: 'Europe/Rome' });
}

/** Warnings stored with the submission, in full: v1.1 receipts bound their findings and carry the counts beside. */
export function receiptWarnings(receipt: ReceiptLike): number | null {
  if (receipt.findingsBound) {
    return Object.values(receipt.findingsBound.countsByRule).reduce((sum, count) => sum + count.warnings, 0);
  }
  return receipt.findings ? receipt.findings.filter((finding) => finding.severity === 'warning').length : null;
}

export function receiptFields(receipt: ReceiptLike): ReceiptField[] {
  const warnings = receiptWarnings(receipt);
  return [
    { label: 'Ambito', value: receipt.ats },
    { label: 'Periodo', value: formatItalianDate(receipt.period) },
    ...(receipt.template
      ? [{ label: 'Modello', value: `${receipt.template} ${receipt.templateVersion ?? ''}`.trim() }]
      : []),
    { label: 'Versione', value: String(receipt.version) },
    { label: 'Impronta SHA-256', value: receipt.sha256 },
    { label: 'Ricevuto il', value: receivedAtText(receipt.receivedAt) },
    ...(receipt.status ? [{ label: 'Stato', value: statusLabel(receipt.status) }] : []),
    ...(warnings === null ? [] : [{ label: 'Avvisi', value: String(warnings) }]),
  ];
}
