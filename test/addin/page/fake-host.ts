import type { PaneHost } from '../../../addin/taskpane/main.ts';
import type { Submission } from '../../../shared/contract/submission.ts';
import { FakeWorkbook as FakeRegionalWorkbook } from '../../regional/fake-host.ts';
import { FakeWorkbook } from '../fake-excel.ts';
import { typeSubmission } from '../workbook-fixture.ts';

/**
 * Bundled into the browser test's page as an init script: a fake Excel host for the built task pane. When the pane
 * says it runs outside Office, this starts it with the fake workbook; the sign-in dialog opens as a popup.
 */

declare global {
  interface Window {
    lepsFake?: {
      book: FakeWorkbook;
      type(submission: Submission): void;
      selection(): { sheet: string; address: string } | null;
      sheetValue(sheet: string, address: string): unknown;
      syncs(): number;
    };
  }
}

const book = new FakeWorkbook({ notes: true });

function openDialog(url: string): Promise<string> {
  // A popup, like the Office dialog: a top-level window (office.js misbehaves inside a frame outside Office).
  return new Promise((resolve, reject) => {
    const popup = window.open(url, 'leps-login', 'width=480,height=640');
    if (!popup) {
      reject(new Error('Finestra di accesso bloccata.'));
      return;
    }
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.source !== popup) return;
      if (typeof event.data !== 'string' || !event.data.includes('"leps-token"')) return;
      window.removeEventListener('message', onMessage);
      resolve(event.data);
    };
    window.addEventListener('message', onMessage);
  });
}

window.lepsFake = {
  book,
  type: (submission) => typeSubmission(book, submission),
  selection: () => book.selection,
  sheetValue: (sheet, address) => book.value(sheet, address),
  syncs: () => book.syncCount,
};

window.addEventListener('rendiconta-leps:ready', () => {
  const host: PaneHost = {
    run: book.run,
    features: { notes: true },
    openDialog,
    storage: window.localStorage,
    session: window.sessionStorage,
    origin: window.location.origin,
    label: 'Excel simulato (test).',
    // The Region's panel draws into a workbook of its own, as a reviewer consolidates in a new one.
    regionalRun: new FakeRegionalWorkbook().run,
  };
  window.rendicontaLeps?.start(host);
});
