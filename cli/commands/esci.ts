import { apiBase } from '../api.ts';
import { EXIT } from '../errors.ts';
import { removeSessions, type Session } from '../session.ts';

/**
 * `rendiconta esci`: removes the cached tokens (of one API with --api, else all), then revokes each refresh token at
 * the hosted UI's /oauth2/revoke (https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html:
 * a client without secret sends its client_id in the body). The local copy goes first: without a network the
 * command still succeeds, and the refresh token then simply expires.
 */

async function revoke(session: Session): Promise<boolean> {
  if (!session.refreshToken) return true;
  try {
    const response = await fetch(new URL('/oauth2/revoke', session.hostedUiBaseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: session.refreshToken, client_id: session.clientId }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

export async function esciCommand(options: { api?: string }): Promise<number> {
  const removed = await removeSessions(options.api === undefined ? undefined : apiBase(options.api));
  if (removed.length === 0) {
    process.stdout.write(
      options.api ? `Nessuna sessione aperta per ${apiBase(options.api)}.\n` : 'Nessuna sessione aperta.\n',
    );
    return EXIT.ok;
  }
  for (const [api, session] of removed) {
    const revoked = await revoke(session);
    process.stdout.write(
      revoked
        ? `Sessione chiusa per ${api}: credenziali rimosse e revocate.\n`
        : `Sessione chiusa per ${api}: credenziali rimosse da questo computer; revoca non riuscita (servizio di accesso non raggiungibile), il token di aggiornamento scadrà da solo.\n`,
    );
  }
  return EXIT.ok;
}
