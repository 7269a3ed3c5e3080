import { apiBaseUrl, CONFIG } from '../app/config.ts';
import { authorizeUrl, exchangeCode, randomVerifier, s256Challenge } from '../app/pkce.ts';

/**
 * The sign-in page opened in the Office dialog. It hands the token back to the task pane with
 * Office.context.ui.messageParent; outside Office (the browser test's fake host opens it as a popup) it posts it to
 * the same-origin window that opened it instead.
 */

const status = document.getElementById('login-status') as HTMLElement;

function handBack(token: string): void {
  const message = JSON.stringify({ type: 'leps-token', token });
  const office = typeof Office === 'undefined' ? undefined : Office;
  if (office?.context?.ui?.messageParent) {
    office.context.ui.messageParent(message);
  } else if (window.opener) {
    (window.opener as Window).postMessage(message, window.location.origin);
    window.close();
  }
  status.textContent = 'Accesso eseguito: questa finestra si può chiudere.';
}

function fail(message: string): void {
  status.textContent = message;
}

async function localLogin(): Promise<void> {
  const form = document.getElementById('local-login') as HTMLFormElement;
  const role = document.getElementById('login-role') as HTMLSelectElement;
  const scope = document.getElementById('login-scope') as HTMLInputElement;
  form.hidden = false;
  status.textContent = 'Pronto.';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = scope.value.trim().toUpperCase();
    const operator = role.value === 'ats-operator';
    const body = {
      sub: operator ? `operatore-${value.toLowerCase()}` : `revisore-${value}`,
      groups: [role.value],
      ...(operator ? { ats: value } : { region: value }),
    };
    status.textContent = 'Accesso in corso…';
    try {
      // The local stack's API origin, cross-origin from this page as API Gateway is from CloudFront.
      const response = await fetch(`${apiBaseUrl(CONFIG, window.location.origin)}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { token?: string; error?: { message?: string } };
      if (!response.ok || !json.token) return fail(json.error?.message ?? 'Accesso non riuscito.');
      handBack(json.token);
    } catch {
      fail('Il servizio locale non risponde.');
    }
  });
}

async function cognitoLogin(auth: Extract<typeof CONFIG.auth, { mode: 'cognito' }>): Promise<void> {
  const redirectUri = `${window.location.origin}${window.location.pathname}`;
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  if (!code) {
    const verifier = randomVerifier();
    const state = randomVerifier();
    sessionStorage.setItem('leps.pkce', JSON.stringify({ verifier, state }));
    window.location.assign(
      authorizeUrl({
        domain: auth.domain,
        clientId: auth.clientId,
        redirectUri,
        scopes: auth.scopes,
        state,
        challenge: await s256Challenge(verifier),
      }),
    );
    return;
  }
  const saved = JSON.parse(sessionStorage.getItem('leps.pkce') ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem('leps.pkce');
  if (!saved.verifier || saved.state !== params.get('state')) return fail('Accesso non valido: riprovare.');
  try {
    handBack(
      await exchangeCode({ domain: auth.domain, clientId: auth.clientId, redirectUri, code, verifier: saved.verifier }),
    );
  } catch (error) {
    fail(error instanceof Error ? error.message : 'Accesso non riuscito.');
  }
}

const start = (): Promise<void> => (CONFIG.auth.mode === 'cognito' ? cognitoLogin(CONFIG.auth) : localLogin());
if (typeof Office !== 'undefined') {
  Office.onReady(() => void start());
} else {
  void start();
}
