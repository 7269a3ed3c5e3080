import { receiptFields } from '../../shared/client/receipt.ts';
import type { Receipt } from '../../shared/contract/api.ts';
import { $ } from './dom.ts';

/** "Ricevuta": the last receipt, in the wording of every channel (shared/client/receipt.ts). */
export function renderReceipt(receipt: Receipt): void {
  $('receipt-section').hidden = false;
  const list = $('receipt');
  list.replaceChildren();
  for (const field of receiptFields(receipt)) {
    const term = document.createElement('dt');
    term.textContent = field.label;
    const value = document.createElement('dd');
    value.textContent = field.value;
    value.dataset.field = field.label;
    list.append(term, value);
  }
}
