import { readToken, type SignedInUser } from '../app/token.ts';
import { $, type SetStatus } from './dom.ts';

/**
 * "Accesso": the access token in the pane's session storage, who it says is signed in, the sign-in dialog and
 * signing out. What depends on the user (the operator's ATS, a reviewer's regional panel) is told through `onUser`.
 */

const TOKEN_KEY = 'rendiconta-leps.token';

export interface Session {
  token(): string | undefined;
  user(): SignedInUser | null;
}

export interface SignInOptions {
  readonly session: Storage;
  /** Opens the sign-in page in the Office dialog and resolves with the message it sends back. */
  readonly openDialog: (url: string) => Promise<string>;
  readonly origin: string;
  readonly setStatus: SetStatus;
  /** After every change of user, and once at the start. */
  readonly onUser: (user: SignedInUser | null) => void;
  readonly onSignedIn: () => void;
}

export function signInSection(options: SignInOptions): Session {
  const signIn = $<HTMLButtonElement>('sign-in');
  const signOut = $<HTMLButtonElement>('sign-out');
  const token = () => options.session.getItem(TOKEN_KEY) ?? undefined;
  const user = (): SignedInUser | null => {
    const current = token();
    return current ? readToken(current) : null;
  };
  const show = (): void => {
    const current = user();
    $('user').textContent = current
      ? `Accesso eseguito${current.ats ? ` come operatore di ${current.ats}` : ''} (${current.groups.join(', ') || 'nessun ruolo'}).`
      : 'Non hai ancora effettuato l’accesso: senza accesso i controlli girano solo sul computer.';
    signIn.hidden = current !== null;
    signOut.hidden = current === null;
    options.onUser(current);
  };
  signIn.addEventListener('click', async () => {
    try {
      const message = await options.openDialog(`${options.origin}/auth/login.html`);
      const parsed = JSON.parse(message) as { type?: string; token?: string };
      if (parsed.type !== 'leps-token' || typeof parsed.token !== 'string' || !readToken(parsed.token)) {
        options.setStatus('Accesso non riuscito.', 'error');
        return;
      }
      options.session.setItem(TOKEN_KEY, parsed.token);
      show();
      options.setStatus('Accesso eseguito.', 'success');
      options.onSignedIn();
    } catch (error) {
      options.setStatus(error instanceof Error ? error.message : 'Accesso non riuscito.', 'error');
    }
  });
  signOut.addEventListener('click', () => {
    options.session.removeItem(TOKEN_KEY);
    show();
    options.setStatus('Disconnesso.');
  });
  show();
  return { token, user };
}
