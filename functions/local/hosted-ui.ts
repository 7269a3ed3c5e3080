import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { REGION_CODE } from '../../shared/contract/api.ts';
import { cliCallbackUrls, LOCAL_CLI_CLIENT_ID } from '../../shared/contract/cli-sign-in.ts';
import { ATS_CODE } from '../../shared/contract/submission.ts';
import type { TokenClaims, TokenService } from './tokens.ts';

/**
 * A stand-in for Cognito's hosted UI (managed login) on the local stack, for `rendiconta accedi`: the same endpoints,
 * parameters and error codes as Cognito's, and no more lenient than it, so a command line that signs in here signs in
 * to a deployed stack too. Served on the API's origin.
 *
 * - `GET /oauth2/authorize` (https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html):
 *   an unknown `client_id` or a `redirect_uri` that is not, character for character, one of the client's callback
 *   URLs gets an error page and never a redirect (Cognito's `redirect_mismatch`); then `response_type=code`, a
 *   `code_challenge` with `code_challenge_method=S256` (Cognito accepts S256 only; here PKCE is required, as this
 *   client always sends it) and known scopes, or a redirect carrying `error`. Instead of a password the page asks
 *   for the role and the ATS or Region, as the add-in's local sign-in page does (addin/auth/login.html).
 * - `POST /oauth2/token` (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html):
 *   form-encoded only; `authorization_code` with the same `client_id` and `redirect_uri` as the authorization request
 *   and the `code_verifier` whose S256 is the challenge; a code works once (it is gone at its first presentation,
 *   right or wrong) and for five minutes; `refresh_token` gives new ID and access tokens (no new refresh token: no
 *   rotation, as the deployed client). Errors as RFC 6749 §5.2: `invalid_request`, `invalid_client`,
 *   `invalid_grant`, `unsupported_grant_type`.
 * - `POST /oauth2/revoke` (https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html): the
 *   refresh token and, for a client without secret, its `client_id`; an unknown token is answered 200 (RFC 7009).
 * - `GET /config.json`: what the deployed stack publishes beside the add-in (infra/stack.ts), for this origin.
 *
 * ID tokens are signed by the local token service (tokens.ts) with the command line's client id as audience, which
 * the local authorizer accepts as the deployed one accepts both app clients. Codes and refresh tokens live in memory:
 * a restarted stack asks for a new `rendiconta accedi`.
 */

export const CODE_LIFETIME_MS = 5 * 60_000;
/** As the deployed app clients' refreshTokenValidity (infra/constructs/auth.ts). */
export const REFRESH_LIFETIME_MS = 12 * 3_600_000;
const SCOPES = ['openid', 'email', 'profile'];
const ROLES = {
  'ats-operator': 'Operatore di Ambito',
  'region-reviewer': 'Revisore regionale',
} as const;

interface Client {
  readonly id: string;
  readonly callbackUrls: readonly string[];
}

const CLIENTS: ReadonlyMap<string, Client> = new Map([
  [LOCAL_CLI_CLIENT_ID, { id: LOCAL_CLI_CLIENT_ID, callbackUrls: cliCallbackUrls() }],
]);

interface AuthorizationRequest {
  readonly client: Client;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly challenge: string;
  readonly scopes: readonly string[];
}

interface IssuedCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly claims: TokenClaims;
  readonly expiresAt: number;
}

interface IssuedRefreshToken {
  readonly clientId: string;
  readonly claims: TokenClaims;
  readonly expiresAt: number;
  revoked: boolean;
}

export interface HostedUi {
  /** Answers the request and returns true when it is one of the hosted UI's paths; false otherwise. */
  handle(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<boolean>;
}

const base64Url = (bytes: Buffer): string => bytes.toString('base64url');
const randomToken = (): string => base64Url(randomBytes(32));
const s256 = (verifier: string): string => base64Url(createHash('sha256').update(verifier, 'ascii').digest());
/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.byteLength === right.byteLength && timingSafeEqual(left, right);
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

function page(response: ServerResponse, status: number, title: string, content: string): void {
  const html = `<!doctype html>
<html lang="it">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Rendiconta LEPS</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}label{display:block;margin-top:1rem}
input,select,button{font-size:1rem;margin-top:.25rem}button{margin-top:1rem}.errore{color:#a4262c}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${content}
</main></body></html>
`;
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-frame-options': 'DENY',
    'content-length': String(Buffer.byteLength(html)),
  });
  response.end(html);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

const oauthError = (response: ServerResponse, error: string, description: string, status = 400): void =>
  json(response, status, { error, error_description: description });

function redirect(response: ServerResponse, target: string): void {
  response.writeHead(302, { location: target, 'cache-control': 'no-store', 'content-length': '0' });
  response.end();
}

function redirectWith(
  response: ServerResponse,
  request: Pick<AuthorizationRequest, 'redirectUri' | 'state'>,
  params: Record<string, string>,
): void {
  const target = new URL(request.redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  if (request.state !== undefined) target.searchParams.set('state', request.state);
  redirect(response, target.href);
}

/** A parameter given once; a repeated one counts as missing (RFC 6749 §3.1: parameters must not be repeated). */
function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  return values.length === 1 ? values[0] : undefined;
}

function isForm(request: IncomingMessage): boolean {
  return (
    (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
  );
}

/** The origin this server was reached at, for config.json; only this machine's names are believed. */
function originOf(request: IncomingMessage): string {
  const host = request.headers.host ?? '';
  return /^(localhost|127\.0\.0\.1)(:\d{1,5})?$/.test(host) ? `https://${host}` : 'https://localhost';
}

/** config.json as the deployed stack publishes it (infra/stack.ts), for a local API origin. */
export function localSignInConfig(apiOrigin: string) {
  return {
    apiBaseUrl: apiOrigin,
    auth: {
      hostedUiBaseUrl: apiOrigin,
      cliClientId: LOCAL_CLI_CLIENT_ID,
      cliRedirectUris: cliCallbackUrls(),
      scopes: SCOPES,
    },
  };
}

/**
 * config.json on the add-in's origin, as CloudFront serves it in AWS, so `rendiconta accedi --addin
 * https://localhost:3000` works as against a deployed stack. The API is on the add-in's port + 1 (stack.ts).
 */
export function serveAddinConfig(request: IncomingMessage, response: ServerResponse): void {
  const addin = new URL(originOf(request));
  const port = Number(addin.port || 443) + 1;
  json(response, 200, localSignInConfig(`https://${addin.hostname}:${port}`));
}

export function localHostedUi(tokens: TokenService, options: { now?: () => number } = {}): HostedUi {
  const now = options.now ?? Date.now;
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, IssuedRefreshToken>();

  function sweep(): void {
    const time = now();
    for (const [code, issued] of codes) if (issued.expiresAt <= time) codes.delete(code);
    for (const [token, issued] of refreshTokens) if (issued.expiresAt <= time) refreshTokens.delete(token);
  }

  /**
   * Checks an authorization request. Before the redirect URI is known to be the client's, errors are shown, never
   * redirected to: a redirect to an unregistered address would hand codes or errors to anyone.
   */
  function authorizationRequest(response: ServerResponse, params: URLSearchParams): AuthorizationRequest | undefined {
    const client = CLIENTS.get(single(params, 'client_id') ?? '');
    const redirectUri = single(params, 'redirect_uri');
    if (!client || !redirectUri || !client.callbackUrls.includes(redirectUri)) {
      page(
        response,
        400,
        'Accesso non possibile',
        '<p class="errore">Errore <code>redirect_mismatch</code>: applicazione sconosciuta o indirizzo di ritorno non registrato per questa applicazione.</p>',
      );
      return undefined;
    }
    const state = single(params, 'state');
    const fail = (error: string, description: string): undefined => {
      redirectWith(response, { redirectUri, state }, { error, error_description: description });
      return undefined;
    };
    if (single(params, 'response_type') !== 'code') return fail('unsupported_response_type', 'response_type=code');
    const challenge = single(params, 'code_challenge');
    if (!challenge || !CHALLENGE.test(challenge)) return fail('invalid_request', 'code_challenge required (PKCE)');
    if (single(params, 'code_challenge_method') !== 'S256') {
      return fail('invalid_request', 'code_challenge_method must be S256');
    }
    const scope = single(params, 'scope');
    const scopes = scope === undefined ? SCOPES : scope.split(' ').filter((item) => item !== '');
    if (scopes.some((item) => !SCOPES.includes(item))) return fail('invalid_scope', 'scope not allowed');
    return { client, redirectUri, state, challenge, scopes };
  }

  function signInForm(
    response: ServerResponse,
    params: URLSearchParams,
    status = 200,
    problem?: string,
    values: { role?: string; scope?: string } = {},
  ): void {
    const hidden = [
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'code_challenge',
      'code_challenge_method',
    ]
      .map((name) => [name, single(params, name)] as const)
      .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
      .join('\n');
    const role = values.role ?? 'ats-operator';
    const options = Object.entries(ROLES)
      .map(
        ([value, label]) =>
          `<option value="${value}"${value === role ? ' selected' : ''}>${escapeHtml(label)}</option>`,
      )
      .join('');
    page(
      response,
      status,
      'Accesso a Rendiconta LEPS',
      `<p>Servizio locale di sviluppo: scegliere l’identità con cui accedere da riga di comando.</p>
${problem ? `<p class="errore" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/oauth2/authorize">
${hidden}
<label for="role">Ruolo</label>
<select id="role" name="role">${options}</select>
<label for="ambito">Ambito (operatore) o Regione (revisore)</label>
<input id="ambito" name="ambito" value="${escapeHtml(values.scope ?? 'ATS-05-001')}" autocomplete="off" required>
<button type="submit">Accedi</button>
</form>`,
    );
  }

  function authorizeGet(response: ServerResponse, url: URL): void {
    if (!authorizationRequest(response, url.searchParams)) return;
    signInForm(response, url.searchParams);
  }

  function authorizePost(request: IncomingMessage, response: ServerResponse, body: Buffer): void {
    if (!isForm(request)) {
      page(response, 400, 'Accesso non possibile', '<p class="errore">Richiesta non valida.</p>');
      return;
    }
    const params = new URLSearchParams(body.toString('utf8'));
    // Every hidden field is checked again: the form is the user's, not ours.
    const authorization = authorizationRequest(response, params);
    if (!authorization) return;
    const role = single(params, 'role') ?? '';
    const value = (single(params, 'ambito') ?? '').trim().toUpperCase();
    let claims: TokenClaims;
    if (role === 'ats-operator' && ATS_CODE.test(value)) {
      claims = { sub: `operatore-${value.toLowerCase()}`, groups: [role], ats: value };
    } else if (role === 'region-reviewer' && REGION_CODE.test(value)) {
      claims = { sub: `revisore-${value}`, groups: [role], region: value };
    } else {
      const problem =
        role === 'region-reviewer'
          ? 'Regione non valida: indicare il codice ISTAT a due cifre (es. 05).'
          : role === 'ats-operator'
            ? 'Ambito non valido: indicare il codice nella forma ATS-05-001.'
            : 'Ruolo non valido.';
      signInForm(response, params, 400, problem, { role, scope: value });
      return;
    }
    sweep();
    const code = randomToken();
    codes.set(code, {
      clientId: authorization.client.id,
      redirectUri: authorization.redirectUri,
      challenge: authorization.challenge,
      claims,
      expiresAt: now() + CODE_LIFETIME_MS,
    });
    redirectWith(response, authorization, { code });
  }

  async function issue(claims: TokenClaims, clientId: string): Promise<{ id_token: string; expires_in: number }> {
    const idToken = await tokens.sign(claims, { audience: clientId });
    const exp = decodeJwt(idToken).exp ?? 0;
    return { id_token: idToken, expires_in: Math.max(0, Math.floor(exp - now() / 1000)) };
  }

  async function token(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
    if (!isForm(request)) return oauthError(response, 'invalid_request', 'Content-Type must be form-urlencoded');
    const params = new URLSearchParams(body.toString('utf8'));
    const grantType = single(params, 'grant_type');
    const client = CLIENTS.get(single(params, 'client_id') ?? '');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return oauthError(response, grantType ? 'unsupported_grant_type' : 'invalid_request', 'grant_type');
    }
    if (!client) return oauthError(response, 'invalid_client', 'client_id');
    sweep();

    if (grantType === 'authorization_code') {
      const code = single(params, 'code');
      const issued = code ? codes.get(code) : undefined;
      // Single use: whatever happens next, this code is spent.
      if (code) codes.delete(code);
      if (!issued || issued.expiresAt <= now()) {
        return oauthError(response, 'invalid_grant', 'Authorization code has been consumed already or does not exist');
      }
      if (issued.clientId !== client.id) return oauthError(response, 'invalid_grant', 'client_id mismatch');
      if (single(params, 'redirect_uri') !== issued.redirectUri) {
        return oauthError(response, 'invalid_grant', 'redirect_uri mismatch');
      }
      const verifier = single(params, 'code_verifier');
      if (!verifier || !VERIFIER.test(verifier) || !sameText(s256(verifier), issued.challenge)) {
        return oauthError(response, 'invalid_grant', 'code_verifier mismatch');
      }
      const refreshToken = randomToken();
      refreshTokens.set(refreshToken, {
        clientId: client.id,
        claims: issued.claims,
        expiresAt: now() + REFRESH_LIFETIME_MS,
        revoked: false,
      });
      return json(response, 200, {
        ...(await issue(issued.claims, client.id)),
        // An opaque access token: the API reads the ID token's groups and custom attributes, as in AWS.
        access_token: randomToken(),
        refresh_token: refreshToken,
        token_type: 'Bearer',
      });
    }

    const presented = single(params, 'refresh_token');
    const issued = presented ? refreshTokens.get(presented) : undefined;
    if (!issued || issued.revoked || issued.expiresAt <= now() || issued.clientId !== client.id) {
      return oauthError(response, 'invalid_grant', 'Invalid Refresh Token');
    }
    return json(response, 200, {
      ...(await issue(issued.claims, client.id)),
      access_token: randomToken(),
      token_type: 'Bearer',
    });
  }

  function revoke(request: IncomingMessage, response: ServerResponse, body: Buffer): void {
    if (!isForm(request)) {
      oauthError(response, 'invalid_request', 'Content-Type must be form-urlencoded');
      return;
    }
    const params = new URLSearchParams(body.toString('utf8'));
    const presented = single(params, 'token');
    const client = CLIENTS.get(single(params, 'client_id') ?? '');
    if (!presented) {
      oauthError(response, 'invalid_request', 'token');
      return;
    }
    if (!client) {
      oauthError(response, 'invalid_client', 'client_id');
      return;
    }
    const issued = refreshTokens.get(presented);
    if (issued && issued.clientId !== client.id) {
      oauthError(response, 'unauthorized_client', 'client_id');
      return;
    }
    if (issued) issued.revoked = true;
    response.writeHead(200, { 'cache-control': 'no-store', 'content-length': '0' });
    response.end();
  }

  function config(request: IncomingMessage, response: ServerResponse): void {
    json(response, 200, localSignInConfig(originOf(request)));
  }

  return {
    async handle(request, response, url, body) {
      const method = request.method ?? 'GET';
      switch (`${method} ${url.pathname}`) {
        case 'GET /config.json':
          config(request, response);
          return true;
        case 'GET /oauth2/authorize':
          authorizeGet(response, url);
          return true;
        case 'POST /oauth2/authorize':
          authorizePost(request, response, body);
          return true;
        case 'POST /oauth2/token':
          await token(request, response, body);
          return true;
        case 'POST /oauth2/revoke':
          revoke(request, response, body);
          return true;
        default:
          if (url.pathname.startsWith('/oauth2/')) {
            oauthError(response, 'invalid_request', 'method or path not supported', 405);
            return true;
          }
          return false;
      }
    },
  };
}
