import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as z from 'zod/mini';
import { tokenResponseSchema } from '../shared/contract/cli-sign-in.ts';
import { CliError } from './errors.ts';

/**
 * The sessions `rendiconta accedi` opens, kept in the user's configuration folder (`$XDG_CONFIG_HOME/rendiconta`,
 * else `~/.config/rendiconta`; on Windows `%APPDATA%\rendiconta`), one per API address, in a file only the user can
 * read (0600 in a 0700 folder; on Windows the folder is the user's own profile). `invia` and `consolida` take their
 * token from here when RENDICONTA_TOKEN is not set, refreshing the ID token with the refresh token when it has expired
 * or is about to.
 */

export const CREDENTIALS_FILE = 'credenziali.json';
/** An ID token with less than this left is refreshed before use: a long upload must not outlive it. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

const sessionSchema = z.object({
  hostedUiBaseUrl: z.string(),
  clientId: z.string(),
  idToken: z.string(),
  refreshToken: z.optional(z.string()),
  /** Milliseconds since the epoch. */
  expiresAt: z.number(),
});
export type Session = z.infer<typeof sessionSchema>;

const fileSchema = z.object({ version: z.literal(1), sessions: z.record(z.string(), sessionSchema) });
type CredentialsFile = z.infer<typeof fileSchema>;

export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'rendiconta');
  // The XDG Base Directory specification ignores a relative XDG_CONFIG_HOME.
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), 'rendiconta');
}

export const credentialsPath = (env: NodeJS.ProcessEnv = process.env): string => join(configDir(env), CREDENTIALS_FILE);

async function readCredentials(env: NodeJS.ProcessEnv): Promise<CredentialsFile> {
  let text: string;
  try {
    text = await readFile(credentialsPath(env), 'utf8');
  } catch {
    return { version: 1, sessions: {} };
  }
  try {
    const parsed = z.safeParse(fileSchema, JSON.parse(text));
    // A damaged file is as good as none: the next `accedi` rewrites it.
    return parsed.success ? parsed.data : { version: 1, sessions: {} };
  } catch {
    return { version: 1, sessions: {} };
  }
}

/** Written to a private temporary file and renamed over the old one: never half a file, never readable by others. */
async function writeCredentials(env: NodeJS.ProcessEnv, credentials: CredentialsFile): Promise<void> {
  const dir = configDir(env);
  const file = join(dir, CREDENTIALS_FILE);
  if (Object.keys(credentials.sessions).length === 0) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing folder as it was: it is ours, so it is made private.
  if (process.platform !== 'win32') await chmod(dir, 0o700);
  const temporary = `${file}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(temporary, file);
}

export async function loadSession(api: string, env: NodeJS.ProcessEnv = process.env): Promise<Session | undefined> {
  return (await readCredentials(env)).sessions[api];
}

export async function saveSession(api: string, session: Session, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const credentials = await readCredentials(env);
  credentials.sessions[api] = session;
  await writeCredentials(env, credentials);
}

/** Removes the session of `api`, or every session; returns what was removed. */
export async function removeSessions(
  api: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Array<[string, Session]>> {
  const credentials = await readCredentials(env);
  const removed = Object.entries(credentials.sessions).filter(([key]) => api === undefined || key === api);
  for (const [key] of removed) delete credentials.sessions[key];
  await writeCredentials(env, credentials);
  return removed;
}

/** The `exp` of a JWT in milliseconds, without verifying it (the API does that); undefined when unreadable. */
export function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** When a token answer expires: the earlier of `expires_in` and the ID token's own `exp`. */
export function expiryOf(answer: { id_token: string; expires_in: number }, now: number): number {
  const byAnswer = now + answer.expires_in * 1000;
  return Math.min(byAnswer, jwtExpiry(answer.id_token) ?? byAnswer);
}

const signInAgain = (api: string): string => `eseguire di nuovo \`rendiconta accedi --api ${api}\`.`;

/** POST /oauth2/token with the refresh_token grant (a public client: client_id in the body, no secret). */
async function refresh(api: string, session: Session, now: number): Promise<Session> {
  if (!session.refreshToken) throw new CliError(`Sessione scaduta: ${signInAgain(api)}`);
  let response: Response;
  try {
    response = await fetch(new URL('/oauth2/token', session.hostedUiBaseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: session.clientId,
        refresh_token: session.refreshToken,
      }).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new CliError(
      `Rinnovo della sessione non riuscito: servizio di accesso non raggiungibile. Riprovare più tardi, oppure ${signInAgain(api)}`,
    );
  }
  // Read by status, never by the body: Cognito's OAuth errors (`{"error":"invalid_grant"}`) are English codes.
  if (response.status >= 500) {
    await response.body?.cancel();
    throw new CliError(
      `Rinnovo della sessione non riuscito: servizio di accesso non disponibile (HTTP ${response.status}). Riprovare più tardi, oppure ${signInAgain(api)}`,
    );
  }
  const parsed = z.safeParse(tokenResponseSchema, await response.json().catch(() => undefined));
  if (!response.ok || !parsed.success) {
    throw new CliError(`Sessione scaduta o revocata (rinnovo rifiutato): ${signInAgain(api)}`);
  }
  return {
    ...session,
    idToken: parsed.data.id_token,
    refreshToken: parsed.data.refresh_token ?? session.refreshToken,
    expiresAt: expiryOf(parsed.data, now),
  };
}

/**
 * The bearer token for `api` (already normalised by apiBase): RENDICONTA_TOKEN when set, else the session of
 * `rendiconta accedi`, refreshed first when its ID token has expired or expires within REFRESH_MARGIN_MS.
 */
export async function bearerToken(
  api: string,
  options: { env?: NodeJS.ProcessEnv; now?: () => number } = {},
): Promise<string> {
  const env = options.env ?? process.env;
  const fromEnv = env.RENDICONTA_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const session = await loadSession(api, env);
  if (!session) {
    throw new CliError(
      `Manca il token di accesso: eseguire \`rendiconta accedi --api ${api}\` oppure impostare la variabile d'ambiente RENDICONTA_TOKEN.`,
    );
  }
  const now = (options.now ?? Date.now)();
  const expiresAt = Math.min(session.expiresAt, jwtExpiry(session.idToken) ?? session.expiresAt);
  if (expiresAt - now > REFRESH_MARGIN_MS) return session.idToken;
  const renewed = await refresh(api, session, now);
  await saveSession(api, renewed, env);
  return renewed.idToken;
}
