/** The task pane's page: its elements by id, and the one status line every part writes to. */

export const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} missing from taskpane.html`);
  return element as T;
};

export type Tone = 'info' | 'error' | 'success';
export type SetStatus = (text: string, tone?: Tone) => void;

export function statusLine(): SetStatus {
  const status = $('status');
  return (text, tone = 'info') => {
    status.textContent = text;
    status.className = `status ${tone === 'info' ? '' : tone}`;
  };
}
