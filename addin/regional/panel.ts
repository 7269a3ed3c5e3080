import type { Decision } from '../../shared/consolidation/index.ts';
import {
  type ActionResult,
  consolidate,
  loadArticulation,
  type RegionalDeps,
  registerArticulation,
  reviewSelected,
} from './actions.ts';
import { mountParametersSection, type ParametersSection, type RegionParametersApi } from './parameters.ts';

/**
 * The Region's section of the task pane, for region-reviewer users: consolidate a period, approve or reject the ATS
 * of the selected row, keep the ATS articulation. Built with DOM calls only (textContent, never innerHTML), so no
 * text from the API can become markup.
 */

export type Notice = {
  readonly kind: 'info' | 'success' | 'error';
  readonly text: string;
  readonly details?: readonly string[];
};

export interface PanelDeps extends RegionalDeps {
  /** The reviewer's Region (`custom:region` of the token). */
  readonly region: string;
  /** Shows a message to the user (the task pane's notification area); the panel also shows it in its own status. */
  readonly notify?: (notice: Notice) => void;
  /** The period proposed at start, e.g. the last closed annual period. */
  readonly defaultPeriod?: string;
  /** GET/PUT of the Region's check parameters: with it, the panel shows and edits them. */
  readonly parameters?: RegionParametersApi;
}

export interface MountedPanel {
  readonly element: HTMLElement;
  /** Removes the panel from its container. */
  unmount(): void;
}

const PERIOD = /^\d{4}-(?:12-31|08-31)$/;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function defaultPeriod(now: Date): string {
  // The annual return of the year just closed is what a Region consolidates most of the year.
  return `${now.getUTCFullYear() - 1}-12-31`;
}

export function mountRegionalPanel(container: HTMLElement, deps: PanelDeps): MountedPanel {
  const root = element('section', { class: 'regional-panel', 'aria-labelledby': 'regional-title' });
  root.append(element('h2', { id: 'regional-title' }, `Regione ${deps.region}: consolidamento e revisione`));

  const periodLabel = element(
    'label',
    { for: 'regional-period' },
    'Periodo (AAAA-12-31 annuale, AAAA-08-31 intermedio)',
  );
  const period = element('input', {
    id: 'regional-period',
    name: 'period',
    type: 'text',
    inputmode: 'numeric',
    pattern: PERIOD.source,
    autocomplete: 'off',
  });
  period.value = deps.defaultPeriod ?? defaultPeriod(new Date());
  const consolidateButton = element('button', { type: 'button', id: 'regional-consolidate' }, 'Consolida');

  const reviewHeading = element('h3', {}, 'Revisione dell’Ambito selezionato');
  const reviewHelp = element(
    'p',
    { id: 'regional-review-help' },
    'Selezionare la riga dell’Ambito nel foglio "Stato invii", scrivere un commento (obbligatorio per respingere) e decidere.',
  );
  const commentLabel = element('label', { for: 'regional-comment' }, 'Commento');
  const comment = element('textarea', {
    id: 'regional-comment',
    rows: '3',
    maxlength: '4000',
    'aria-describedby': 'regional-review-help',
  });
  const approveButton = element('button', { type: 'button', id: 'regional-approve' }, 'Approva');
  const rejectButton = element('button', { type: 'button', id: 'regional-reject' }, 'Respingi');

  const articulationHeading = element('h3', {}, 'Articolazione degli Ambiti');
  const loadButton = element('button', { type: 'button', id: 'regional-load-articulation' }, 'Scarica articolazione');
  const registerButton = element(
    'button',
    { type: 'button', id: 'regional-register-articulation' },
    'Registra articolazione',
  );

  const status = element('div', { id: 'regional-status', role: 'status', 'aria-live': 'polite' });
  const details = element('ul', { id: 'regional-details' });

  root.append(
    periodLabel,
    period,
    consolidateButton,
    reviewHeading,
    reviewHelp,
    commentLabel,
    comment,
    approveButton,
    rejectButton,
    articulationHeading,
    loadButton,
    registerButton,
    status,
    details,
  );
  container.append(root);

  // The parameters' own section, before the status line, which reports its actions too.
  let parameters: ParametersSection | undefined;
  if (deps.parameters) {
    parameters = mountParametersSection(root, { region: deps.region, api: deps.parameters, show });
    root.append(status, details);
  }

  const buttons = [consolidateButton, approveButton, rejectButton, loadButton, registerButton];

  function show(notice: Notice): void {
    status.textContent = notice.text;
    status.dataset.kind = notice.kind;
    details.replaceChildren(...(notice.details ?? []).slice(0, 200).map((line) => element('li', {}, line)));
    deps.notify?.(notice);
  }

  /** Runs one action at a time; an exception becomes a message, never a silent failure. */
  async function run(action: () => Promise<ActionResult>, working: string): Promise<void> {
    for (const button of buttons) button.disabled = true;
    show({ kind: 'info', text: working });
    try {
      const result = await action();
      show({
        kind: result.ok ? 'success' : 'error',
        text: result.message,
        ...(result.details ? { details: result.details } : {}),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      show({ kind: 'error', text: `Operazione non riuscita: ${reason}` });
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  }

  function checkedPeriod(): string | null {
    const value = period.value.trim();
    if (PERIOD.test(value)) return value;
    show({ kind: 'error', text: 'Periodo non valido: atteso AAAA-12-31 (annuale) o AAAA-08-31 (intermedio).' });
    period.focus();
    return null;
  }

  const decide = (decision: Decision) => (): void => {
    const value = checkedPeriod();
    if (value === null) return;
    void run(() => reviewSelected(deps, value, decision, comment.value), 'Invio della decisione…');
  };

  const onConsolidate = (): void => {
    const value = checkedPeriod();
    if (value === null) return;
    void run(() => consolidate(deps, deps.region, value), 'Consolidamento in corso…');
  };
  const onApprove = decide('approve');
  const onReject = decide('reject');
  const onLoad = (): void => void run(() => loadArticulation(deps, deps.region), 'Lettura dell’articolazione…');
  const onRegister = (): void =>
    void run(() => registerArticulation(deps, deps.region), 'Registrazione dell’articolazione…');

  consolidateButton.addEventListener('click', onConsolidate);
  approveButton.addEventListener('click', onApprove);
  rejectButton.addEventListener('click', onReject);
  loadButton.addEventListener('click', onLoad);
  registerButton.addEventListener('click', onRegister);

  return {
    element: root,
    unmount: () => {
      consolidateButton.removeEventListener('click', onConsolidate);
      approveButton.removeEventListener('click', onApprove);
      rejectButton.removeEventListener('click', onReject);
      loadButton.removeEventListener('click', onLoad);
      registerButton.removeEventListener('click', onRegister);
      parameters?.unmount();
      root.remove();
    },
  };
}
