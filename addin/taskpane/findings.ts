import { italianCount, truncationNotes } from '../../shared/checks/bound.ts';
import type { Finding, Severity } from '../../shared/checks/types.ts';
import { latestTemplate } from '../../shared/template/index.ts';
import type { ExcelRun } from '../excel/host.ts';
import { locateFinding } from '../excel/marks.ts';
import type { WorkbookRead } from '../excel/read.ts';
import { selectCell } from '../excel/receipt.ts';
import type { CheckResult } from '../excel/validate.ts';
import { $ } from './dom.ts';

/**
 * "Controlli": the findings of the last check, grouped by sheet, filtered by severity, each a button that selects its
 * cell. The counts are the full ones: the list is bounded (1,000 per rule, 10,000 in all) and says what it leaves out.
 */

const SHEET_TITLES: Record<string, string> = {};
for (const sheet of latestTemplate().sheets) SHEET_TITLES[sheet.id] = `${sheet.id} · ${sheet.title}`;
const SEVERITY_TEXT: Record<Severity, string> = { error: 'Errore', warning: 'Avviso' };

export interface FindingsView {
  /** Shows a check's findings; `read` locates them on cells (none for findings the API sent back on a refusal). */
  show(result: CheckResult, read?: WorkbookRead): void;
}

/** Full counts of errors and warnings: from the bound's counts per rule when the list was bounded. */
export function fullCounts(result: CheckResult): { errors: number; warnings: number } {
  const counts = result.bound ? Object.values(result.bound.countsByRule) : null;
  const errors = counts
    ? counts.reduce((sum, count) => sum + count.errors, 0)
    : result.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = counts ? counts.reduce((sum, count) => sum + count.warnings, 0) : result.findings.length - errors;
  return { errors, warnings };
}

export function findingsView(run: ExcelRun): FindingsView {
  const box = $('findings');
  let shownResult: CheckResult | null = null;
  let shownRead: WorkbookRead | null = null;
  const filterValue = (): 'all' | Severity =>
    (document.querySelector<HTMLInputElement>('input[name="severity"]:checked')?.value as 'all' | Severity) ?? 'all';

  const findingButton = (finding: Finding): HTMLButtonElement => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `finding ${finding.severity}`;
    const cell = shownRead ? locateFinding(shownRead.template, shownRead.cells, finding) : null;
    const badge = document.createElement('span');
    badge.className = `badge ${finding.severity}`;
    badge.textContent = SEVERITY_TEXT[finding.severity];
    const text = document.createElement('span');
    text.textContent = finding.message;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${finding.rule}${cell ? ` · cella ${cell.address}` : ''} · ${finding.ref}`;
    button.append(badge, text, meta);
    if (cell) {
      button.setAttribute(
        'aria-label',
        `${SEVERITY_TEXT[finding.severity]}: ${finding.message}. Vai alla cella ${cell.address}`,
      );
      button.addEventListener('click', () => {
        void selectCell(run, { sheetName: cell.sheetName, address: cell.address.split(':')[0] ?? cell.address });
      });
    } else {
      button.setAttribute('aria-label', `${SEVERITY_TEXT[finding.severity]}: ${finding.message}`);
    }
    return button;
  };

  const render = (): void => {
    const result = shownResult;
    $('findings-section').hidden = result === null;
    if (!result) return;
    const findings = result.findings;
    const { errors, warnings } = fullCounts(result);
    $('summary').textContent =
      `${italianCount(errors)} errori, ${italianCount(warnings)} avvisi` +
      (result.source === 'local' ? ' — controlli eseguiti solo sul computer.' : ' — controlli del servizio.');
    box.replaceChildren();
    const notes = truncationNotes(findings, result.bound?.countsByRule, result.bound?.truncated);
    if (notes.length > 0) {
      const list = document.createElement('ul');
      list.className = 'plain truncation';
      list.setAttribute('role', 'note');
      for (const note of notes) {
        const line = document.createElement('li');
        line.textContent = note;
        list.append(line);
      }
      box.append(list);
    }
    const filter = filterValue();
    const shown = findings.filter((finding) => filter === 'all' || finding.severity === filter);
    if (shown.length === 0) {
      const empty = document.createElement('p');
      empty.textContent = findings.length === 0 ? 'Nessun problema trovato.' : 'Nessun elemento con questo filtro.';
      box.append(empty);
      return;
    }
    const groups = new Map<string, Finding[]>();
    for (const finding of shown) {
      const key = finding.sheet ?? 'S';
      groups.set(key, [...(groups.get(key) ?? []), finding]);
    }
    for (const [sheet, items] of groups) {
      const heading = document.createElement('h3');
      heading.textContent = `${sheet === 'S' ? 'Intero invio' : (SHEET_TITLES[sheet] ?? sheet)} (${items.length})`;
      const list = document.createElement('ul');
      list.className = 'plain';
      for (const finding of items) {
        const item = document.createElement('li');
        item.append(findingButton(finding));
        list.append(item);
      }
      box.append(heading, list);
    }
  };

  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="severity"]')) {
    radio.addEventListener('change', render);
  }
  return {
    show(result, read) {
      shownResult = result;
      if (read) shownRead = read;
      render();
    },
  };
}
