import { $ } from './dom.ts';

/** "Ambito e periodo": which return the pane works on, kept between sessions in the pane's storage. */

const SCOPE_KEY = 'rendiconta-leps.scope';

export interface Scope {
  readonly ats: string;
  readonly period: string;
}

export function periodOptions(now: Date): Array<{ value: string; label: string }> {
  const year = now.getUTCFullYear();
  const options: Array<{ value: string; label: string }> = [];
  for (let candidate = year; candidate >= year - 2; candidate--) {
    options.push({ value: `${candidate}-12-31`, label: `31/12/${candidate} (annuale)` });
    options.push({ value: `${candidate}-08-31`, label: `31/08/${candidate} (intermedio)` });
  }
  // Before September the current year has no return due: start from last year's annual one.
  return options.filter((option) => option.value <= `${year}-12-31`).slice(now.getUTCMonth() < 8 ? 2 : 0);
}

export interface ScopeForm {
  current(): Scope;
  /** The comment for the submission, trimmed. */
  comment(): string;
  /** Fills in the signed-in operator's ATS when the field is still empty. */
  suggestAts(ats: string): void;
}

export function scopeForm(storage: Storage): ScopeForm {
  const atsInput = $<HTMLInputElement>('ats');
  const periodSelect = $<HTMLSelectElement>('period');
  const commentInput = $<HTMLTextAreaElement>('comment');
  for (const option of periodOptions(new Date())) periodSelect.add(new Option(option.label, option.value));
  const saved = JSON.parse(storage.getItem(SCOPE_KEY) ?? '{}') as { ats?: string; period?: string };
  if (saved.ats) atsInput.value = saved.ats;
  if (saved.period && [...periodSelect.options].some((option) => option.value === saved.period)) {
    periodSelect.value = saved.period;
  }
  const current = (): Scope => ({ ats: atsInput.value.trim().toUpperCase(), period: periodSelect.value });
  const save = () => storage.setItem(SCOPE_KEY, JSON.stringify(current()));
  atsInput.addEventListener('change', save);
  periodSelect.addEventListener('change', save);
  return {
    current,
    comment: () => commentInput.value.trim(),
    suggestAts(ats) {
      if (atsInput.value) return;
      atsInput.value = ats;
      save();
    },
  };
}
