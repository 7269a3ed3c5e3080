import type { Outbox } from '../app/outbox.ts';
import type { Actions } from './actions.ts';
import type { SetStatus } from './dom.ts';
import type { OutboxView } from './outbox-view.ts';
import type { ScopeForm } from './scope.ts';
import type { Work } from './work.ts';

/**
 * "Invia": checks first (nothing with errors is sent), asks for the current version (If-Match), queues the
 * submission in the outbox with its Idempotency-Key and sends it; offline it stays queued and is retried.
 */

export interface SubmissionOptions {
  readonly work: () => Promise<Work>;
  readonly scope: ScopeForm;
  readonly outbox: Outbox;
  readonly outboxView: OutboxView;
  readonly signedIn: () => boolean;
  readonly setStatus: SetStatus;
  readonly actions: Actions;
}

export async function submit(options: SubmissionOptions): Promise<void> {
  const { actions, setStatus } = options;
  actions.step(1, 'Lettura e controlli');
  setStatus('Controllo prima dell’invio…');
  const work = await options.work();
  const done = await work.validate({ ...options.scope.current(), comment: options.scope.comment() });
  if (!done) return actions.step(-1, '');
  const errors = done.result.findings.filter((finding) => finding.severity === 'error');
  if (errors.length > 0) {
    actions.step(-1, '');
    setStatus(`Invio non possibile: ${errors.length} errori da correggere (vedi l’elenco).`, 'error');
    return;
  }
  if (!options.signedIn()) {
    actions.step(-1, '');
    setStatus('Per inviare occorre accedere.', 'error');
    return;
  }
  actions.step(2, 'Versione corrente');
  const current = await work.api.currentVersion(done.read.submission.ats, done.read.submission.period);
  const ifMatch = current.kind === 'ok' ? current.version : 'unknown';
  options.outbox.enqueue(done.read.submission, ifMatch);
  actions.step(3, 'Invio');
  await options.outboxView.flush();
  actions.step(4, 'Fatto');
  if (options.outboxView.hasPending()) {
    setStatus('Servizio non raggiungibile: l’invio è in coda e sarà ritentato automaticamente.', 'error');
  }
  actions.step(-1, '');
}
