import type { FindingBody, FindingsBound, Receipt } from '../../shared/contract/api.ts';
import type { ApiClient } from '../app/api.ts';
import type { Outbox, OutboxEntry } from '../app/outbox.ts';
import { $, type SetStatus } from './dom.ts';

/**
 * "In attesa di invio": submissions waiting for their receipt, sent again every 15 s, when the webview comes back
 * online and on "Riprova ora"; a conflict offers to replace the current version, a refusal shows what the API found.
 */

const RETRY_MS = 15_000;

/** Why the Ricevuta sheet was not written: the named sheet's password (addin/excel/receipt.ts), or Excel's refusal. */
function receiptProblem(error: unknown): string {
  if (error instanceof Error && error.name === 'ReceiptSheetLocked') return error.message;
  return 'La ricevuta non è stata scritta nel foglio «Ricevuta»: Excel ha rifiutato la scrittura. È visibile qui sotto.';
}

export interface OutboxViewOptions {
  readonly outbox: Outbox;
  readonly signedIn: () => boolean;
  /** The API client, loaded with the rest of the deferred part of the pane (load-work.ts). */
  readonly api: () => Promise<ApiClient>;
  readonly setStatus: SetStatus;
  readonly onStored: (receipt: Receipt) => Promise<void>;
  readonly onRefused: (findings: readonly FindingBody[], bound: FindingsBound | undefined) => Promise<void>;
}

export interface OutboxView {
  flush(): Promise<void>;
  render(): void;
  hasPending(): boolean;
}

export function outboxView(options: OutboxViewOptions): OutboxView {
  const { outbox } = options;
  const hasPending = () => outbox.entries().some((entry) => entry.state === 'pending');

  const item = (entry: OutboxEntry): HTMLLIElement => {
    const element = document.createElement('li');
    element.className = 'outbox-entry';
    const title = document.createElement('strong');
    title.textContent = `${entry.ats} · ${entry.period}`;
    const detail = document.createElement('p');
    detail.className = 'hint';
    const state =
      entry.state === 'pending'
        ? `In attesa (tentativi: ${entry.attempts})`
        : entry.state === 'conflict'
          ? 'Conflitto di versione'
          : 'Respinto dal servizio';
    detail.textContent = `${state}. Preparato il ${new Date(entry.createdAt).toLocaleString('it-IT')}.${entry.message ? ` ${entry.message}` : ''}`;
    element.append(title, detail);
    if (entry.state === 'conflict') {
      const replace = document.createElement('button');
      replace.type = 'button';
      replace.textContent = 'Sostituisci la versione corrente';
      replace.addEventListener('click', () => {
        outbox.retryReplacing(entry.id);
        void flush();
      });
      element.append(replace);
    }
    if (entry.state !== 'pending') {
      const dismiss = document.createElement('button');
      dismiss.type = 'button';
      dismiss.textContent = 'Rimuovi dalla coda';
      dismiss.addEventListener('click', () => {
        outbox.dismiss(entry.id);
        render();
      });
      element.append(dismiss);
    }
    return element;
  };

  const render = (): void => {
    const entries = outbox.entries();
    $('outbox-section').hidden = entries.length === 0;
    const list = $('outbox');
    list.replaceChildren();
    for (const entry of entries) list.append(item(entry));
  };

  const flush = async (): Promise<void> => {
    if (!hasPending() || !options.signedIn()) return render();
    const events = await outbox.flush(await options.api());
    for (const event of events) {
      if (event.kind === 'stored') {
        const stored = `Invio registrato: versione ${event.receipt.version}.`;
        try {
          await options.onStored(event.receipt);
          options.setStatus(`${stored} Ricevuta nel foglio «Ricevuta».`, 'success');
        } catch (error) {
          // The submission is stored whatever happened in the workbook: say so, and why the sheet was not written.
          options.setStatus(`${stored} ${receiptProblem(error)}`, 'error');
        }
      } else if (event.kind === 'refused') {
        options.setStatus(event.entry.message ?? 'Invio respinto.', 'error');
        if (event.entry.findings && event.entry.findings.length > 0) {
          await options.onRefused(event.entry.findings, event.entry.bound);
        }
      }
    }
    render();
  };

  $('retry').addEventListener('click', () => void flush());
  window.addEventListener('online', () => void flush());
  setInterval(() => void flush(), RETRY_MS);
  return { flush, render, hasPending };
}
