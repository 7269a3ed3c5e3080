import { italianCount, truncationNotes } from '../../shared/checks/bound.ts';
import type { Finding, Severity } from '../../shared/checks/types.ts';
import type { Receipt } from '../../shared/contract/api.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { ApiClient, readToken, type SignedInUser } from '../app/api.ts';
import { localCheck } from '../app/checks.ts';
import { apiBaseUrl, CONFIG } from '../app/config.ts';
import { localStorageOutbox, Outbox, type OutboxEntry } from '../app/outbox.ts';
import { loadComuniOnce } from '../app/reference.ts';
import { insertTemplate } from '../excel/draw.ts';
import type { ExcelRun, HostFeatures } from '../excel/host.ts';
import { locateFinding } from '../excel/marks.ts';
import type { WorkbookRead } from '../excel/read.ts';
import { selectCell, writeReceipt } from '../excel/receipt.ts';
import { type CheckResult, validateWorkbook } from '../excel/validate.ts';
import { fetchRegionalApi, type MountedPanel, mountRegionalPanel, type RegionalRun } from '../regional/index.ts';

/**
 * The task pane: plain DOM, every Excel call through addin/excel/. startTaskPane takes the host so the same bundle
 * runs inside Excel (index.ts passes Office's) and in the browser test (which passes a fake Excel).
 */

export interface PaneHost {
  readonly run: ExcelRun;
  readonly features: HostFeatures;
  /** Opens a page in the Office dialog and resolves with the first message it sends back. */
  openDialog(url: string): Promise<string>;
  readonly storage: Storage;
  readonly session: Storage;
  readonly origin: string;
  readonly label: string;
  /** The Excel run of the Region's panel (addin/regional); without it reviewers see no regional section. */
  readonly regionalRun?: RegionalRun;
}

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} missing from taskpane.html`);
  return element as T;
};

const SHEET_TITLES: Record<string, string> = Object.fromEntries(
  LEPS_ATS.sheets.map((sheet) => [sheet.id, `${sheet.id} · ${sheet.title}`]),
);
const SEVERITY_TEXT: Record<Severity, string> = { error: 'Errore', warning: 'Avviso' };
const TOKEN_KEY = 'rendiconta-leps.token';
const SCOPE_KEY = 'rendiconta-leps.scope';
const RETRY_MS = 15_000;

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

export function startTaskPane(host: PaneHost): void {
  const api = new ApiClient({
    baseUrl: apiBaseUrl(CONFIG, host.origin),
    token: () => host.session.getItem(TOKEN_KEY) ?? undefined,
    clientVersion: `addin-${CONFIG.version}`,
  });
  const outbox = new Outbox(localStorageOutbox(host.storage));
  let lastRead: WorkbookRead | null = null;
  let lastFindings: readonly Finding[] = [];
  let busy = false;

  const status = $('status');
  const setStatus = (text: string, tone: 'info' | 'error' | 'success' = 'info'): void => {
    status.textContent = text;
    status.className = `status ${tone === 'info' ? '' : tone}`;
  };

  // --- scope ---------------------------------------------------------------------------------------------------
  const atsInput = $<HTMLInputElement>('ats');
  const periodSelect = $<HTMLSelectElement>('period');
  for (const option of periodOptions(new Date())) periodSelect.add(new Option(option.label, option.value));
  const savedScope = JSON.parse(host.storage.getItem(SCOPE_KEY) ?? '{}') as { ats?: string; period?: string };
  if (savedScope.ats) atsInput.value = savedScope.ats;
  if (savedScope.period && [...periodSelect.options].some((option) => option.value === savedScope.period)) {
    periodSelect.value = savedScope.period;
  }
  const commentInput = $<HTMLTextAreaElement>('comment');
  const scope = () => ({ ats: atsInput.value.trim().toUpperCase(), period: periodSelect.value });
  const saveScope = () => host.storage.setItem(SCOPE_KEY, JSON.stringify(scope()));
  atsInput.addEventListener('change', saveScope);
  periodSelect.addEventListener('change', saveScope);

  // --- identity ------------------------------------------------------------------------------------------------
  const signIn = $<HTMLButtonElement>('sign-in');
  const signOut = $<HTMLButtonElement>('sign-out');
  let regionalPanel: MountedPanel | null = null;
  const showRegional = (user: SignedInUser | null): void => {
    const section = $('regional-section');
    const reviewer = user?.groups.includes('region-reviewer') && user.region && host.regionalRun ? user : null;
    if (!reviewer?.region || !host.regionalRun) {
      regionalPanel?.unmount();
      regionalPanel = null;
      section.hidden = true;
      return;
    }
    if (regionalPanel) return;
    section.hidden = false;
    regionalPanel = mountRegionalPanel(section, {
      region: reviewer.region,
      api: fetchRegionalApi({
        baseUrl: apiBaseUrl(CONFIG, host.origin),
        token: () => host.session.getItem(TOKEN_KEY) ?? '',
        clientVersion: `addin-${CONFIG.version}`,
      }),
      excel: host.regionalRun,
      comuni: async () => {
        const index = await loadComuniOnce();
        if (!index) throw new Error('Elenco dei comuni non disponibile.');
        return index;
      },
      notes: host.features.notes,
      notify: (notice) => setStatus(notice.text, notice.kind),
    });
  };
  const showUser = (): SignedInUser | null => {
    const token = host.session.getItem(TOKEN_KEY);
    const user = token ? readToken(token) : null;
    $('user').textContent = user
      ? `Accesso eseguito${user.ats ? ` come operatore di ${user.ats}` : ''} (${user.groups.join(', ') || 'nessun ruolo'}).`
      : 'Non hai ancora effettuato l’accesso: senza accesso i controlli girano solo sul computer.';
    signIn.hidden = user !== null;
    signOut.hidden = user === null;
    if (user?.ats && !atsInput.value) {
      atsInput.value = user.ats;
      saveScope();
    }
    showRegional(user);
    return user;
  };
  signIn.addEventListener('click', async () => {
    try {
      const message = await host.openDialog(`${host.origin}/auth/login.html`);
      const parsed = JSON.parse(message) as { type?: string; token?: string };
      if (parsed.type !== 'leps-token' || typeof parsed.token !== 'string' || !readToken(parsed.token)) {
        setStatus('Accesso non riuscito.', 'error');
        return;
      }
      host.session.setItem(TOKEN_KEY, parsed.token);
      showUser();
      setStatus('Accesso eseguito.', 'success');
      void flush();
    } catch (error) {
      setStatus(error instanceof Error ? error.message : 'Accesso non riuscito.', 'error');
    }
  });
  signOut.addEventListener('click', () => {
    host.session.removeItem(TOKEN_KEY);
    showUser();
    setStatus('Disconnesso.');
  });

  // --- findings ------------------------------------------------------------------------------------------------
  const findingsBox = $('findings');
  const filterValue = (): 'all' | Severity =>
    (document.querySelector<HTMLInputElement>('input[name="severity"]:checked')?.value as 'all' | Severity) ?? 'all';
  const renderFindings = (result: CheckResult | null): void => {
    const section = $('findings-section');
    section.hidden = result === null;
    if (!result) return;
    // The counts are the full ones: the list is bounded (1,000 per rule, 10,000 in all) and says what it leaves out.
    const counts = result.bound ? Object.values(result.bound.countsByRule) : null;
    const errors = counts
      ? counts.reduce((sum, count) => sum + count.errors, 0)
      : lastFindings.filter((finding) => finding.severity === 'error').length;
    const warnings = counts ? counts.reduce((sum, count) => sum + count.warnings, 0) : lastFindings.length - errors;
    $('summary').textContent =
      `${italianCount(errors)} errori, ${italianCount(warnings)} avvisi` +
      (result.source === 'local' ? ' — controlli eseguiti solo sul computer.' : ' — controlli del servizio.');
    findingsBox.replaceChildren();
    const notes = truncationNotes(lastFindings, result.bound?.countsByRule, result.bound?.truncated);
    if (notes.length > 0) {
      const box = document.createElement('ul');
      box.className = 'plain truncation';
      box.setAttribute('role', 'note');
      for (const note of notes) {
        const line = document.createElement('li');
        line.textContent = note;
        box.append(line);
      }
      findingsBox.append(box);
    }
    const filter = filterValue();
    const shown = lastFindings.filter((finding) => filter === 'all' || finding.severity === filter);
    if (shown.length === 0) {
      const empty = document.createElement('p');
      empty.textContent = lastFindings.length === 0 ? 'Nessun problema trovato.' : 'Nessun elemento con questo filtro.';
      findingsBox.append(empty);
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
        const button = document.createElement('button');
        button.type = 'button';
        button.className = `finding ${finding.severity}`;
        const cell = lastRead ? locateFinding(lastRead.template, lastRead.cells, finding) : null;
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
            void selectCell(host.run, {
              sheetName: cell.sheetName,
              address: cell.address.split(':')[0] ?? cell.address,
            });
          });
        } else {
          button.disabled = false;
          button.setAttribute('aria-label', `${SEVERITY_TEXT[finding.severity]}: ${finding.message}`);
        }
        item.append(button);
        list.append(item);
      }
      findingsBox.append(heading, list);
    }
  };
  let lastResult: CheckResult | null = null;
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="severity"]')) {
    radio.addEventListener('change', () => renderFindings(lastResult));
  }

  // --- outbox and receipt --------------------------------------------------------------------------------------
  const renderReceipt = (receipt: Receipt): void => {
    $('receipt-section').hidden = false;
    const list = $('receipt');
    list.replaceChildren();
    const rows: Array<[string, string]> = [
      ['Ambito', receipt.ats],
      ['Periodo', receipt.period],
      ['Versione', String(receipt.version)],
      ['SHA-256', receipt.sha256],
      ['Ricevuto il', new Date(receipt.receivedAt).toLocaleString('it-IT')],
      ['Stato', receipt.status],
    ];
    for (const [term, value] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dd.dataset.field = term;
      list.append(dt, dd);
    }
  };
  const renderOutbox = (): void => {
    const entries = outbox.entries();
    $('outbox-section').hidden = entries.length === 0;
    const list = $('outbox');
    list.replaceChildren();
    for (const entry of entries) list.append(outboxItem(entry));
  };
  const outboxItem = (entry: OutboxEntry): HTMLLIElement => {
    const item = document.createElement('li');
    item.className = 'outbox-entry';
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
    item.append(title, detail);
    if (entry.state === 'conflict') {
      const replace = document.createElement('button');
      replace.type = 'button';
      replace.textContent = 'Sostituisci la versione corrente';
      replace.addEventListener('click', () => {
        outbox.retryReplacing(entry.id);
        void flush();
      });
      item.append(replace);
    }
    if (entry.state !== 'pending') {
      const dismiss = document.createElement('button');
      dismiss.type = 'button';
      dismiss.textContent = 'Rimuovi dalla coda';
      dismiss.addEventListener('click', () => {
        outbox.dismiss(entry.id);
        renderOutbox();
      });
      item.append(dismiss);
    }
    return item;
  };
  const flush = async (): Promise<void> => {
    if (!outbox.entries().some((entry) => entry.state === 'pending')) return renderOutbox();
    if (!host.session.getItem(TOKEN_KEY)) return renderOutbox();
    const events = await outbox.flush(api);
    for (const event of events) {
      if (event.kind === 'stored') {
        renderReceipt(event.receipt);
        await writeReceipt(host.run, event.receipt);
        setStatus(`Invio registrato: versione ${event.receipt.version}. Ricevuta nel foglio «Ricevuta».`, 'success');
      } else if (event.kind === 'refused') {
        setStatus(event.entry.message ?? 'Invio respinto.', 'error');
        if (event.entry.findings && event.entry.findings.length > 0) {
          lastFindings = event.entry.findings;
          lastResult = {
            findings: event.entry.findings,
            source: 'api',
            ...(event.entry.bound ? { bound: event.entry.bound } : {}),
          };
          renderFindings(lastResult);
        }
      }
    }
    renderOutbox();
  };
  $('retry').addEventListener('click', () => void flush());
  window.addEventListener('online', () => void flush());
  setInterval(() => void flush(), RETRY_MS);

  // --- actions -------------------------------------------------------------------------------------------------
  const progress = $<HTMLProgressElement>('progress');
  const step = (value: number, label: string): void => {
    $('progress-box').hidden = value < 0;
    progress.value = Math.max(0, value);
    $('progress-label').textContent = label;
  };
  const buttons = ['validate', 'submit', 'insert-template'].map((id) => $<HTMLButtonElement>(id));
  const exclusive = async (action: () => Promise<void>): Promise<void> => {
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
  };

  const runValidation = async (): Promise<{ read: WorkbookRead; result: CheckResult } | null> => {
    const { ats, period } = scope();
    const outcome = await validateWorkbook({
      run: host.run,
      template: LEPS_ATS,
      features: host.features,
      envelope: { ...(ats ? { ats } : {}), period, comment: commentInput.value.trim() },
      check: async (read) => {
        if (host.session.getItem(TOKEN_KEY)) {
          const answer = await api.validate(read.submission);
          if (answer.kind === 'ok') {
            return { findings: answer.findings, source: 'api', ...(answer.bound ? { bound: answer.bound } : {}) };
          }
          if (answer.kind !== 'offline' && answer.kind !== 'unauthorized') {
            return { ...localCheck(read.submission, await loadComuniOnce()), offlineReason: answer.message };
          }
          return { ...localCheck(read.submission, await loadComuniOnce()), offlineReason: answer.message };
        }
        return localCheck(read.submission, await loadComuniOnce());
      },
    });
    if (!outcome.ok) {
      setStatus(outcome.message, 'error');
      return null;
    }
    lastRead = outcome.read;
    lastFindings = outcome.result.findings;
    lastResult = outcome.result;
    renderFindings(outcome.result);
    return { read: outcome.read, result: outcome.result };
  };

  $('validate').addEventListener('click', () =>
    exclusive(async () => {
      setStatus('Controllo in corso…');
      const done = await runValidation();
      if (!done) return;
      const counts = done.result.bound ? Object.values(done.result.bound.countsByRule) : null;
      const errors = counts
        ? counts.reduce((sum, count) => sum + count.errors, 0)
        : done.result.findings.filter((finding) => finding.severity === 'error').length;
      const warnings = counts
        ? counts.reduce((sum, count) => sum + count.warnings, 0)
        : done.result.findings.length - errors;
      const suffix = done.result.offlineReason ? ` ${done.result.offlineReason}` : '';
      setStatus(
        errors === 0
          ? `Nessun errore: ${italianCount(warnings)} avvisi.${suffix}`
          : `${italianCount(errors)} errori da correggere.${suffix}`,
        errors === 0 ? 'success' : 'error',
      );
    }),
  );

  $('submit').addEventListener('click', () =>
    exclusive(async () => {
      step(1, 'Lettura e controlli');
      setStatus('Controllo prima dell’invio…');
      const done = await runValidation();
      if (!done) return step(-1, '');
      const errors = done.result.findings.filter((finding) => finding.severity === 'error');
      if (errors.length > 0) {
        step(-1, '');
        setStatus(`Invio non possibile: ${errors.length} errori da correggere (vedi l’elenco).`, 'error');
        return;
      }
      if (!host.session.getItem(TOKEN_KEY)) {
        step(-1, '');
        setStatus('Per inviare occorre accedere.', 'error');
        return;
      }
      step(2, 'Versione corrente');
      const current = await api.currentVersion(done.read.submission.ats, done.read.submission.period);
      const ifMatch = current.kind === 'ok' ? current.version : 'unknown';
      outbox.enqueue(done.read.submission, ifMatch);
      step(3, 'Invio');
      await flush();
      step(4, 'Fatto');
      if (outbox.entries().some((entry) => entry.state === 'pending')) {
        setStatus('Servizio non raggiungibile: l’invio è in coda e sarà ritentato automaticamente.', 'error');
      }
      step(-1, '');
    }),
  );

  $('insert-template').addEventListener('click', () =>
    exclusive(async () => {
      const result = await insertTemplate(host.run, LEPS_ATS);
      setStatus(
        result.ok ? 'Modello inserito: compilare i fogli T1–T6.' : result.message,
        result.ok ? 'success' : 'error',
      );
    }),
  );

  $('host-status').textContent = host.label;
  showUser();
  renderOutbox();
  $('app').setAttribute('aria-busy', 'false');
  void flush();
}
