import { $, type SetStatus } from './dom.ts';

/**
 * The pane's buttons run one action at a time: while one runs the others are disabled and the page says it is busy;
 * an exception ends as an Italian status line, never as a silent failure.
 */
export interface Actions {
  exclusive(action: () => Promise<void>): Promise<void>;
  /** The submission's progress bar: a step from 1 to 4, or below 0 to hide it. */
  step(value: number, label: string): void;
}

export function actions(setStatus: SetStatus): Actions {
  const buttons = ['validate', 'submit', 'insert-template', 'delete-rows'].map((id) => $<HTMLButtonElement>(id));
  const progress = $<HTMLProgressElement>('progress');
  let busy = false;
  return {
    async exclusive(action) {
      if (busy) return;
      busy = true;
      $('app').setAttribute('aria-busy', 'true');
      for (const button of buttons) button.disabled = true;
      try {
        await action();
      } catch (error) {
        setStatus(`Operazione non riuscita: ${error instanceof Error ? error.message : String(error)}`, 'error');
      } finally {
        busy = false;
        $('app').setAttribute('aria-busy', 'false');
        for (const button of buttons) button.disabled = false;
      }
    },
    step(value, label) {
      $('progress-box').hidden = value < 0;
      progress.value = Math.max(0, value);
      $('progress-label').textContent = label;
    },
  };
}
