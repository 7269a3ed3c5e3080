import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../functions/local/stack.ts';
import { CLI_CALLBACK_PORTS, LOCAL_CLI_CLIENT_ID } from '../../shared/contract/cli-sign-in.ts';
import { type HttpClient, httpClient } from '../functions/http-client.ts';
import { ATS, validSubmission } from '../support/builders.ts';
import { BIN, type CliResult, runCliAsync } from './support/cli.ts';
import { filledXlsx, type TempDir, tempDir } from './support/workbooks.ts';

/**
 * `rendiconta accedi` end to end against the local stack: the command runs as a child process, the test plays the
 * browser (opens the authorize URL, submits the local sign-in form as a user would, follows the redirect to the
 * command's loopback server), then `invia` and `consolida` run on the cached token, which is refreshed after expiry,
 * removed by `esci`, and overridden by RENDICONTA_TOKEN. The local hosted UI refuses what Cognito refuses.
 */

const PERIOD = '2025-12-31';
const BELLUNO = ['025001', '025003', '025004', '025006'];

let stack: LocalStack;
let api: string;
let client: HttpClient;
let dir: TempDir;

/** The API's origin, whether the stack serves one origin or two. */
const apiOf = (value: LocalStack): string => (value as LocalStack & { apiUrl?: string }).apiUrl ?? value.url;

beforeAll(async () => {
  dir = tempDir('rendiconta-accedi-');
  stack = await startLocalStack({ port: 0, dataDir: join(dir.path, 'data'), seed: false, quiet: true });
  api = apiOf(stack);
  client = httpClient(api, stack.caCertPath);
  const reviewer = await stack.token({ sub: 'rev-accedi', groups: ['region-reviewer'], region: '05' });
  const registered = await client.send(`/v1/regions/05/ats/${ATS}`, {
    method: 'PUT',
    token: reviewer,
    body: JSON.stringify({ name: `Ambito ${ATS}`, comuni: BELLUNO }),
  });
  expect([200, 201]).toContain(registered.status);
}, 180_000);

afterAll(async () => {
  client?.close();
  await stack?.stop();
  dir?.dispose();
});

const envFor = (home: string, extra: Record<string, string> = {}): Record<string, string> => ({
  XDG_CONFIG_HOME: home,
  NODE_EXTRA_CA_CERTS: stack.caCertPath,
  ...extra,
});

interface Running {
  /** The authorize URL the command printed. */
  readonly authorizeUrl: Promise<string>;
  readonly done: Promise<CliResult>;
}

/** `rendiconta accedi` as a child process, its output read as it comes. */
function startAccedi(home: string, extra: readonly string[] = [], source = ['--api', api]): Running {
  const child = spawn(process.execPath, [BIN, 'accedi', ...source, '--senza-browser', ...extra], {
    env: { ...process.env, RENDICONTA_TOKEN: '', ...envFor(home) },
  });
  let stdout = '';
  let stderr = '';
  let found: (url: string) => void = () => undefined;
  const authorizeUrl = new Promise<string>((resolve) => {
    found = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const match = /https:\/\/\S+\/oauth2\/authorize\?\S+/.exec(stdout);
    if (match) found(match[0]);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      found('');
      resolve({ status: status ?? -1, stdout, stderr });
    });
  });
  return { authorizeUrl, done };
}

const unescapeHtml = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The browser: opens the sign-in page, submits the form; returns the redirect the hosted UI answers with. */
async function signInAsUser(authorizeUrl: string, role: string, scope: string): Promise<URL> {
  const url = new URL(authorizeUrl);
  const form = await client.send(`${url.pathname}${url.search}`);
  expect(form.status).toBe(200);
  expect(form.headers['content-type']).toContain('text/html');
  expect(form.text).toContain('Accesso a Rendiconta LEPS');
  const fields = new URLSearchParams();
  for (const match of form.text.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
    fields.set(match[1] ?? '', unescapeHtml(match[2] ?? ''));
  }
  fields.set('role', role);
  fields.set('ambito', scope);
  const submitted = await client.send('/oauth2/authorize', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  expect(submitted.status).toBe(302);
  return new URL(String(submitted.headers.location));
}

/**
 * Follows the redirect to the command's loopback server. A browser resolves `localhost` and falls back to 127.0.0.1,
 * where the command listens; the test goes there directly, with the Host the browser would send.
 */
function followToLoopback(target: URL): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: { host: target.host },
      },
      (incoming) => {
        let body = '';
        incoming.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** A whole sign-in, as a user does it. */
async function accedi(home: string, role = 'ats-operator', scope = ATS, source = ['--api', api]): Promise<CliResult> {
  const running = startAccedi(home, [], source);
  const authorizeUrl = await running.authorizeUrl;
  expect(authorizeUrl).not.toBe('');
  const redirect = await signInAsUser(authorizeUrl, role, scope);
  expect(redirect.origin).toMatch(/^http:\/\/localhost:\d+$/);
  const landing = await followToLoopback(redirect);
  expect(landing.status).toBe(200);
  expect(landing.body).toContain('Accesso ricevuto');
  return running.done;
}

interface CachedSession {
  hostedUiBaseUrl: string;
  clientId: string;
  idToken: string;
  refreshToken?: string;
  expiresAt: number;
}
const credentialsFile = (home: string): string => join(home, 'rendiconta', 'credenziali.json');
const readSession = (home: string): CachedSession =>
  (JSON.parse(readFileSync(credentialsFile(home), 'utf8')) as { sessions: Record<string, CachedSession> }).sessions[
    api
  ] as CachedSession;
function editSession(home: string, change: (session: CachedSession) => void): void {
  const file = JSON.parse(readFileSync(credentialsFile(home), 'utf8')) as { sessions: Record<string, CachedSession> };
  change(file.sessions[api] as CachedSession);
  writeFileSync(credentialsFile(home), JSON.stringify(file));
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('rendiconta accedi against the local stack', () => {
  const operatorHome = () => join(dir.path, 'config-operatore');

  it('signs in through the hosted UI and caches the tokens in a file only the user can read', async () => {
    const result = await accedi(operatorHome());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Per accedere a Rendiconta LEPS aprire questo indirizzo nel browser');
    expect(result.stdout).toContain(`Accesso eseguito: operatore-${ATS.toLowerCase()} (ats-operator, Ambito ${ATS})`);
    expect(result.stdout).toContain(`API: ${api}`);
    const file = credentialsFile(operatorHome());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(operatorHome(), 'rendiconta')).mode & 0o777).toBe(0o700);
    const session = readSession(operatorHome());
    expect(session.clientId).toBe(LOCAL_CLI_CLIENT_ID);
    expect(session.refreshToken).toBeTruthy();
    expect(session.expiresAt).toBeGreaterThan(Date.now() + 3_600_000);
  });

  it('invia submits with the cached token', async () => {
    const file = dir.file('ambito.xlsx', await filledXlsx(validSubmission()));
    const sent = await runCliAsync(['invia', file, '--api', api], { env: envFor(operatorHome()) });
    expect(sent.stderr).toBe('');
    expect(sent.status).toBe(0);
    expect(sent.stdout).toContain('Invio registrato.');
  });

  it('refreshes an expired ID token with the refresh token and keeps the file private', async () => {
    const before = readSession(operatorHome());
    editSession(operatorHome(), (session) => {
      session.expiresAt = Date.now() - 1_000;
    });
    const file = dir.file('ambito-rettifica.xlsx', await filledXlsx(validSubmission()));
    const sent = await runCliAsync(['invia', file, '--api', api, '--commento', 'Rettifica di prova'], {
      env: envFor(operatorHome()),
    });
    expect(sent.stderr).toBe('');
    expect(sent.status).toBe(0);
    expect(sent.stdout).toContain('Versione: 2');
    const after = readSession(operatorHome());
    expect(after.idToken).not.toBe(before.idToken);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now() + 3_600_000);
    expect(statSync(credentialsFile(operatorHome())).mode & 0o777).toBe(0o600);
  });

  it('RENDICONTA_TOKEN wins over the cached session', async () => {
    const file = dir.file('ambito-env.xlsx', await filledXlsx(validSubmission()));
    const result = await runCliAsync(['invia', file, '--api', api], {
      env: envFor(operatorHome(), { RENDICONTA_TOKEN: 'non-un-token' }),
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Accesso non aut(enticato|orizzato)/);
  });

  it('consolida works for a reviewer signed in the same way', async () => {
    const home = join(dir.path, 'config-revisore');
    const signedIn = await accedi(home, 'region-reviewer', '05');
    expect(signedIn.status).toBe(0);
    expect(signedIn.stdout).toContain('Accesso eseguito: revisore-05 (region-reviewer, Regione 05)');
    const out = join(dir.path, 'consolidato.xlsx');
    const result = await runCliAsync(
      ['consolida', '--regione', '05', '--periodo', PERIOD, '--out', out, '--api', api],
      {
        env: envFor(home),
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('finds the same sign-in from the add-in address, as against a deployed stack (--addin)', async () => {
    const home = join(dir.path, 'config-addin');
    const result = await accedi(home, 'ats-operator', ATS, ['--addin', stack.url]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`API: ${api}`);
    expect(readSession(home).clientId).toBe(LOCAL_CLI_CLIENT_ID);
  });

  it('a refused refresh says in Italian to sign in again', async () => {
    const home = join(dir.path, 'config-rifiutato');
    expect((await accedi(home)).status).toBe(0);
    editSession(home, (session) => {
      session.expiresAt = Date.now() - 1_000;
      session.refreshToken = 'token-di-aggiornamento-sconosciuto';
    });
    const file = dir.file('ambito-scaduto.xlsx', await filledXlsx(validSubmission()));
    const result = await runCliAsync(['invia', file, '--api', api], { env: envFor(home) });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Sessione scaduta o revocata');
    expect(result.stderr).toContain(`rendiconta accedi --api ${api}`);
  });

  it('esci removes the cached tokens and revokes the refresh token', async () => {
    const { refreshToken } = readSession(operatorHome());
    const result = await runCliAsync(['esci', '--api', api], { env: envFor(operatorHome()) });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('credenziali rimosse e revocate');
    expect(existsSync(credentialsFile(operatorHome()))).toBe(false);
    const refreshed = await client.send(
      '/oauth2/token',
      form({ grant_type: 'refresh_token', client_id: LOCAL_CLI_CLIENT_ID, refresh_token: refreshToken ?? '' }),
    );
    expect(refreshed.status).toBe(400);
    expect(refreshed.json<{ error: string }>().error).toBe('invalid_grant');
    const file = dir.file('ambito-dopo.xlsx', await filledXlsx(validSubmission()));
    const after = await runCliAsync(['invia', file, '--api', api], { env: envFor(operatorHome()) });
    expect(after.status).toBe(2);
    expect(after.stderr).toContain('rendiconta accedi');
  });

  it('esci never fails offline: the local copy goes anyway', async () => {
    const home = join(dir.path, 'config-offline');
    expect((await accedi(home)).status).toBe(0);
    editSession(home, (session) => {
      session.hostedUiBaseUrl = 'https://127.0.0.1:9';
    });
    const result = await runCliAsync(['esci'], { env: envFor(home) });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('revoca non riuscita');
    expect(existsSync(credentialsFile(home))).toBe(false);
  });

  it('refuses an answer whose state is not its own, and closes the loopback server after one request', async () => {
    const home = join(dir.path, 'config-state');
    const running = startAccedi(home);
    const redirect = await signInAsUser(await running.authorizeUrl, 'ats-operator', ATS);
    redirect.searchParams.set('state', 'uno-stato-diverso');
    const landing = await followToLoopback(redirect);
    expect(landing.status).toBe(400);
    const result = await running.done;
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('(state)');
    expect(existsSync(credentialsFile(home))).toBe(false);
    await expect(followToLoopback(redirect)).rejects.toThrow();
  });

  it('gives up after --attesa seconds with nobody signing in', async () => {
    const running = startAccedi(join(dir.path, 'config-attesa'), ['--attesa', '1']);
    const result = await running.done;
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Tempo scaduto');
  });
});

describe('the local hosted UI is as strict as Cognito', () => {
  const redirectUri = `http://localhost:${CLI_CALLBACK_PORTS[0]}/callback`;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = (params: Record<string, string>) =>
    client.send(`/oauth2/authorize?${new URLSearchParams(params).toString()}`);
  const valid = {
    response_type: 'code',
    client_id: LOCAL_CLI_CLIENT_ID,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state: 'abc',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };

  async function code(): Promise<string> {
    const submitted = await client.send('/oauth2/authorize', form({ ...valid, role: 'ats-operator', ambito: ATS }));
    expect(submitted.status).toBe(302);
    const location = new URL(String(submitted.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('abc');
    return location.searchParams.get('code') ?? '';
  }

  it('never redirects to an unregistered address: another path, 127.0.0.1, another port, https', async () => {
    for (const other of [
      `http://localhost:${CLI_CALLBACK_PORTS[0]}/altro`,
      `http://127.0.0.1:${CLI_CALLBACK_PORTS[0]}/callback`,
      'http://localhost:47000/callback',
      `https://localhost:${CLI_CALLBACK_PORTS[0]}/callback`,
      `${redirectUri}/`,
    ]) {
      const response = await authorize({ ...valid, redirect_uri: other });
      expect(response.status, other).toBe(400);
      expect(response.text).toContain('redirect_mismatch');
      expect(response.headers.location).toBeUndefined();
    }
    const unknownClient = await authorize({ ...valid, client_id: 'sconosciuto' });
    expect(unknownClient.status).toBe(400);
  });

  it('requires PKCE with S256 and a known scope, answering on the redirect', async () => {
    for (const [params, error] of [
      [{ ...valid, code_challenge: '' }, 'invalid_request'],
      [{ ...valid, code_challenge_method: 'plain' }, 'invalid_request'],
      [{ ...valid, response_type: 'token' }, 'unsupported_response_type'],
      [{ ...valid, scope: 'openid aws.cognito.signin.user.admin' }, 'invalid_scope'],
    ] as const) {
      const response = await authorize(params);
      expect(response.status).toBe(302);
      const location = new URL(String(response.headers.location));
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('abc');
    }
  });

  it('refuses a wrong verifier with invalid_grant, and a code works only once', async () => {
    const first = await code();
    const exchange = (fields: Record<string, string>) =>
      client.send(
        '/oauth2/token',
        form({
          grant_type: 'authorization_code',
          client_id: LOCAL_CLI_CLIENT_ID,
          redirect_uri: redirectUri,
          ...fields,
        }),
      );
    const wrong = await exchange({ code: first, code_verifier: randomBytes(32).toString('base64url') });
    expect(wrong.status).toBe(400);
    expect(wrong.json<{ error: string }>().error).toBe('invalid_grant');
    // Spent by the wrong attempt, as a code is spent by any presentation.
    const again = await exchange({ code: first, code_verifier: verifier });
    expect(again.json<{ error: string }>().error).toBe('invalid_grant');

    const second = await code();
    const noVerifier = await exchange({ code: second });
    expect(noVerifier.json<{ error: string }>().error).toBe('invalid_grant');

    const third = await code();
    const otherRedirect = await exchange({
      code: third,
      code_verifier: verifier,
      redirect_uri: `http://localhost:${CLI_CALLBACK_PORTS[1]}/callback`,
    });
    expect(otherRedirect.json<{ error: string }>().error).toBe('invalid_grant');

    const fourth = await code();
    const ok = await exchange({ code: fourth, code_verifier: verifier });
    expect(ok.status).toBe(200);
    const tokens = ok.json<{ id_token: string; refresh_token: string; expires_in: number; token_type: string }>();
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expires_in).toBeGreaterThan(0);
    const replay = await exchange({ code: fourth, code_verifier: verifier });
    expect(replay.json<{ error: string }>().error).toBe('invalid_grant');

    // The ID token opens the API; JSON bodies and unknown grants are refused as Cognito refuses them.
    const health = await client.send(`/v1/ats/${ATS}/submissions/${PERIOD}`, { token: tokens.id_token });
    expect(health.status).toBe(200);
    const asJson = await client.send('/oauth2/token', {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'authorization_code', code: fourth }),
    });
    expect(asJson.json<{ error: string }>().error).toBe('invalid_request');
    const password = await client.send(
      '/oauth2/token',
      form({ grant_type: 'password', client_id: LOCAL_CLI_CLIENT_ID }),
    );
    expect(password.json<{ error: string }>().error).toBe('unsupported_grant_type');
  });
});
