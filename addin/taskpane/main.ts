import { localStorageOutbox, Outbox } from '../app/outbox.ts';
import type { SignedInUser } from '../app/token.ts';
import type { ExcelRun, HostFeatures } from '../excel/host.ts';
import type { RegionalRun } from '../regional/host.ts';
import type { MountedPanel } from '../regional/panel.ts';
import { actions } from './actions.ts';
import { $, statusLine } from './dom.ts';
import { loadRegionalModule, loadWorkModule } from './load-work.ts';
import { outboxView } from './outbox-view.ts';
import { renderReceipt } from './receipt-view.ts';
import { scopeForm } from './scope.ts';
import { signInSection } from './sign-in.ts';
import { submit } from './submission.ts';
import type { Work } from './work.ts';

export { periodOptions } from './scope.ts';

/**
 * The task pane: plain DOM, every Excel call through addin/excel/. startTaskPane takes the host so the same bundle
 * runs inside Excel (index.ts passes Office's) and in the browser test (which passes a fake Excel).
 *
 * What paints the pane and makes it answer is here and in the small modules beside it (scope, sign-in, outbox,
 * receipt, actions); what runs only when the user acts (the API client, the checks, the template, the Excel code,
 * the Region's panel) is work.ts and regional.ts, bundles of their own loaded on first use or a moment after the pane
 * is ready.
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

/** The deferred part is fetched this long after the pane is ready, so it is there when offline or at the first click. */
const PREFETCH_AFTER_MS = 1_000;

export function startTaskPane(host: PaneHost): void {
  const setStatus = statusLine();
  const outbox = new Outbox(localStorageOutbox(host.storage));
  const scope = scopeForm(host.storage);
  const buttons = actions(setStatus);

  const context = { host, token: () => session.token(), setStatus };
  let work: Promise<Work> | null = null;
  const loadWork = (): Promise<Work> => {
    work ??= loadWorkModule().then(
      (module) => module.createWork(context),
      (error: unknown) => {
        work = null;
        throw error;
      },
    );
    return work;
  };

  const queue = outboxView({
    outbox,
    signedIn: () => session.token() !== undefined,
    api: async () => (await loadWork()).api,
    setStatus,
    onStored: async (receipt) => {
      renderReceipt(receipt);
      await (await loadWork()).writeReceipt(receipt);
    },
    onRefused: async (findings, bound) => {
      (await loadWork()).findings.show({ findings, source: 'api', ...(bound ? { bound } : {}) });
    },
  });

  let regionalPanel: MountedPanel | null = null;
  /** A reviewer of a Region sees the Region's panel, mounted once the deferred part is loaded. */
  const showRegional = (user: SignedInUser | null): void => {
    const section = $('regional-section');
    const region = user?.groups.includes('region-reviewer') && host.regionalRun ? user.region : undefined;
    if (!region) {
      regionalPanel?.unmount();
      regionalPanel = null;
      section.hidden = true;
      return;
    }
    if (regionalPanel) return;
    void loadRegionalModule().then(
      (loaded) => {
        // Signed out, or already mounted, while the deferred part was loading.
        if (regionalPanel || session.user()?.region !== region) return;
        section.hidden = false;
        regionalPanel = loaded.mountRegional(context, section, region);
      },
      (error: unknown) => setStatus(error instanceof Error ? error.message : String(error), 'error'),
    );
  };

  const session = signInSection({
    session: host.session,
    openDialog: (url) => host.openDialog(url),
    origin: host.origin,
    setStatus,
    onUser: (user) => {
      if (user?.ats) scope.suggestAts(user.ats);
      showRegional(user);
    },
    onSignedIn: () => void queue.flush(),
  });

  $('validate').addEventListener('click', () =>
    buttons.exclusive(async () => {
      setStatus('Controllo in corso…');
      const loaded = await loadWork();
      const done = await loaded.validate({ ...scope.current(), comment: scope.comment() });
      if (!done) return;
      const verdict = loaded.verdict(done.result);
      setStatus(verdict.text, verdict.tone);
    }),
  );
  $('submit').addEventListener('click', () =>
    buttons.exclusive(() =>
      submit({
        work: loadWork,
        scope,
        outbox,
        outboxView: queue,
        signedIn: () => session.token() !== undefined,
        setStatus,
        actions: buttons,
      }),
    ),
  );
  $('insert-template').addEventListener('click', () =>
    buttons.exclusive(async () => (await loadWork()).insertTemplate()),
  );
  $('delete-rows').addEventListener('click', () => buttons.exclusive(async () => (await loadWork()).deleteRows()));

  $('host-status').textContent = host.label;
  queue.render();
  $('app').setAttribute('aria-busy', 'false');
  void queue.flush();
  setTimeout(() => void loadWork().catch(() => undefined), PREFETCH_AFTER_MS);
}
