import { spawn } from 'node:child_process';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import * as z from 'zod/mini';
import { oauthErrorSchema, signInConfigSchema, tokenResponseSchema } from '../../shared/contract/cli-sign-in.ts';
import { apiBase } from '../api.ts';
import { CliError, EXIT } from '../errors.ts';
import { credentialsPath, expiryOf, saveSession } from '../session.ts';

/**
 * `rendiconta accedi`: sign-in through the hosted UI (Cognito's, or the local stack's stand-in) as command-line tools
 * of cloud providers do it (RFC 8252, OAuth 2.0 for native apps): the authorization code grant with PKCE (S256,
 * RFC 7636) and a `state`, the browser sent back to a short-lived HTTP server on the loopback interface of this
 * machine, which takes one request and closes. The code is exchanged at /oauth2/token for ID and refresh tokens, kept
 * by session.ts. Nothing is typed into the terminal: the password only ever goes to the hosted UI.
 */

export interface AccediOptions {
  /** The API's address: the local stack serves config.json there. */
  readonly api?: string;
  /** The add-in's address (AddinUrl): a deployed stack publishes config.json there. */
  readonly addin?: string;
  /** false with --senza-browser. */
  readonly browser?: boolean;
  /** Seconds to wait for the browser (default 300). */
  readonly attesa?: string;
}

const DEFAULT_WAIT_SECONDS = 300;
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/;

const base64Url = (bytes: Buffer): string => bytes.toString('base64url');

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.byteLength === right.byteLength && timingSafeEqual(left, right);
}

/** https, or http to this machine only: the same rule as the API's address. */
function safeUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`Indirizzo ${what} non valido: "${text.slice(0, 100)}".`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname))) {
    throw new CliError(`L'indirizzo ${what} deve essere in https.`);
  }
  return url;
}

async function post(url: URL, form: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw networkError(error, url);
  }
}

function networkError(error: unknown, url: URL): CliError {
  const code = error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
  if (typeof code === 'string' && CERTIFICATE_ERROR.test(code)) {
    return new CliError(
      "Certificato del server non attendibile. Per lo stack locale indicare il suo certificato CA nella variabile d'ambiente NODE_EXTRA_CA_CERTS.",
    );
  }
  return new CliError(`Servizio non raggiungibile: ${url.origin}`);
}

/** config.json: the API's address, the hosted UI, the command line's app client and its loopback callback URLs. */
async function discover(source: string, fromAddin: boolean) {
  const base = safeUrl(source, fromAddin ? 'del componente aggiuntivo' : "dell'API");
  const url = new URL('config.json', base.href.endsWith('/') ? base.href : `${base.href}/`);
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw networkError(error, url);
  }
  const parsed = z.safeParse(signInConfigSchema, await response.json().catch(() => undefined));
  if (!response.ok || !parsed.success) {
    throw new CliError(
      `Configurazione di accesso non trovata in ${url.href}. Per uno stack su AWS indicare --addin con l'indirizzo del componente aggiuntivo (output AddinUrl del deploy); per lo stack locale --api con l'indirizzo delle API.`,
    );
  }
  return parsed.data;
}

/** Only a loopback http redirect is ever listened for, whatever config.json says. */
function loopbackRedirects(uris: readonly string[]): URL[] {
  return uris
    .map((uri) => {
      try {
        return new URL(uri);
      } catch {
        return undefined;
      }
    })
    .filter(
      (url): url is URL =>
        url !== undefined &&
        url.protocol === 'http:' &&
        ['localhost', '127.0.0.1'].includes(url.hostname) &&
        url.port !== '' &&
        url.search === '' &&
        url.hash === '',
    );
}

interface Loopback {
  readonly redirectUri: string;
  /** The query of the one request the browser sends back; the server is closed once it has answered. */
  readonly answer: Promise<URLSearchParams>;
  close(): void;
}

const RESULT_PAGE = (ok: boolean): string => `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Rendiconta LEPS</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto">
<h1>Rendiconta LEPS</h1>
<p>${ok ? 'Accesso ricevuto: si può chiudere questa finestra e tornare alla riga di comando.' : 'Accesso non riuscito: i dettagli sono nella riga di comando.'}</p>
</body></html>
`;

/**
 * An HTTP server on 127.0.0.1 only, on the first free port of the registered callback URLs (Cognito matches the
 * port exactly, shared/contract/cli-sign-in.ts). It answers the callback path once, then closes; other paths (a
 * browser's favicon) get a 404 and do not end the wait.
 */
async function listenLoopback(
  redirects: readonly URL[],
  accept: (params: URLSearchParams) => boolean,
): Promise<Loopback> {
  for (const redirect of redirects) {
    let settle: (params: URLSearchParams) => void = () => undefined;
    const answer = new Promise<URLSearchParams>((resolve) => {
      settle = resolve;
    });
    let answered = false;
    const server: Server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (answered || request.method !== 'GET' || url.pathname !== redirect.pathname) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        response.end('Non trovato.\n');
        return;
      }
      answered = true;
      const ok = accept(url.searchParams);
      const html = RESULT_PAGE(ok);
      response.writeHead(ok ? 200 : 400, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'close',
        'content-length': String(Buffer.byteLength(html)),
      });
      response.end(html, () => {
        server.close();
        server.closeAllConnections();
        settle(url.searchParams);
      });
    });
    const port = Number(redirect.port);
    const listening = await new Promise<boolean>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(false) : reject(error),
      );
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!listening) continue;
    return {
      redirectUri: redirect.href,
      answer,
      close() {
        server.close();
        server.closeAllConnections();
      },
    };
  }
  throw new CliError(
    `Nessuna porta libera per ricevere l'accesso (${redirects.map((url) => url.port).join(', ')} su 127.0.0.1): chiudere l'altro \`rendiconta accedi\` in corso e riprovare.`,
  );
}

/** Tries the platform's opener; the printed address is enough when there is none (a server, a container). */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? // `start` is a cmd built-in that would read the `&` of the query as a command separator.
          ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser: the address is on the screen.
  }
}

function describeUser(idToken: string): string {
  try {
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const who = typeof claims.email === 'string' ? claims.email : String(claims.sub ?? '');
    const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].join(', ') : '';
    const where = [
      typeof claims['custom:ats'] === 'string' ? `Ambito ${claims['custom:ats']}` : '',
      typeof claims['custom:region'] === 'string' ? `Regione ${claims['custom:region']}` : '',
    ].filter((part) => part !== '');
    return [who, groups ? `(${[groups, ...where].join(', ')})` : ''].filter((part) => part !== '').join(' ');
  } catch {
    return '';
  }
}

export async function accediCommand(options: AccediOptions): Promise<number> {
  const source = options.addin ?? options.api;
  if (!source) {
    throw new CliError(
      'Indicare --addin <url> (indirizzo del componente aggiuntivo di uno stack su AWS) oppure --api <url> (stack locale).',
    );
  }
  const waitSeconds = options.attesa === undefined ? DEFAULT_WAIT_SECONDS : Number(options.attesa);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 1 || waitSeconds > 3600) {
    throw new CliError('Attesa non valida: indicare i secondi, da 1 a 3600.');
  }
  const config = await discover(source, options.addin !== undefined);
  const api = apiBase(config.apiBaseUrl);
  if (options.addin && options.api && apiBase(options.api) !== api) {
    throw new CliError(`Il componente aggiuntivo indicato usa l'API ${api}, non ${apiBase(options.api)}.`);
  }
  const hostedUi = safeUrl(config.auth.hostedUiBaseUrl, 'del servizio di accesso');
  const redirects = loopbackRedirects(config.auth.cliRedirectUris);
  if (redirects.length === 0) {
    throw new CliError('La piattaforma non prevede l’accesso da riga di comando (nessun indirizzo di ritorno locale).');
  }

  const verifier = base64Url(randomBytes(32));
  const challenge = base64Url(createHash('sha256').update(verifier).digest());
  const state = base64Url(randomBytes(24));
  const loopback = await listenLoopback(
    redirects,
    (params) => sameText(params.get('state') ?? '', state) && params.has('code') && !params.has('error'),
  );

  let timer: NodeJS.Timeout | undefined;
  let params: URLSearchParams;
  try {
    const authorize = new URL('/oauth2/authorize', hostedUi);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: config.auth.cliClientId,
      redirect_uri: loopback.redirectUri,
      scope: config.auth.scopes.join(' '),
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    process.stdout.write(
      `Per accedere a Rendiconta LEPS aprire questo indirizzo nel browser:\n\n  ${authorize.href}\n\nIn attesa dell'accesso (al massimo ${Math.ceil(waitSeconds / 60)} minuti)…\n`,
    );
    if (options.browser !== false) openBrowser(authorize.href);
    params = await Promise.race([
      loopback.answer,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new CliError(`Tempo scaduto: nessun accesso ricevuto entro ${waitSeconds} secondi.`)),
          waitSeconds * 1000,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    loopback.close();
  }

  if (!sameText(params.get('state') ?? '', state)) {
    throw new CliError(
      'Accesso rifiutato: la risposta ricevuta non corrisponde a questa richiesta (state). Riprovare.',
    );
  }
  const error = params.get('error');
  if (error) throw new CliError(`Accesso non riuscito: il servizio di accesso risponde "${error.slice(0, 100)}".`);
  const code = params.get('code');
  if (!code) throw new CliError('Accesso non riuscito: nessun codice ricevuto.');

  const tokenUrl = new URL('/oauth2/token', hostedUi);
  const response = await post(tokenUrl, {
    grant_type: 'authorization_code',
    client_id: config.auth.cliClientId,
    code,
    redirect_uri: loopback.redirectUri,
    code_verifier: verifier,
  });
  const body: unknown = await response.json().catch(() => undefined);
  const tokens = z.safeParse(tokenResponseSchema, body);
  if (!response.ok || !tokens.success) {
    const problem = z.safeParse(oauthErrorSchema, body);
    throw new CliError(
      `Accesso non riuscito: codice non accettato${problem.success ? ` (${problem.data.error.slice(0, 100)})` : ''}. Riprovare.`,
    );
  }
  await saveSession(api, {
    hostedUiBaseUrl: hostedUi.origin,
    clientId: config.auth.cliClientId,
    idToken: tokens.data.id_token,
    ...(tokens.data.refresh_token ? { refreshToken: tokens.data.refresh_token } : {}),
    expiresAt: expiryOf(tokens.data, Date.now()),
  });
  const user = describeUser(tokens.data.id_token);
  process.stdout.write(
    `Accesso eseguito${user ? `: ${user}` : ''}.\nAPI: ${api} (usare --api ${api} con invia e consolida)\nCredenziali salvate in ${credentialsPath()}\n`,
  );
  return EXIT.ok;
}
