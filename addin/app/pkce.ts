/**
 * OAuth 2.0 authorization code flow with PKCE (RFC 7636) against Cognito's hosted UI: the dialog page creates a
 * verifier, sends its S256 challenge to /oauth2/authorize, and exchanges the code with the verifier at /oauth2/token.
 * No client secret exists in the add-in.
 */

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomVerifier(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return base64Url(random(new Uint8Array(32)));
}

export async function s256Challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export interface AuthorizeParams {
  readonly domain: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string;
  readonly challenge: string;
}

export function authorizeUrl(params: AuthorizeParams): string {
  const url = new URL('/oauth2/authorize', params.domain);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', params.clientId);
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('scope', params.scopes.join(' '));
  url.searchParams.set('state', params.state);
  url.searchParams.set('code_challenge', params.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.href;
}

export interface TokenExchange {
  readonly domain: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly code: string;
  readonly verifier: string;
}

/** The ID token (it carries cognito:groups and custom:ats, which the API's authorizer reads). */
export async function exchangeCode(exchange: TokenExchange, doFetch: typeof fetch = fetch): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: exchange.clientId,
    code: exchange.code,
    redirect_uri: exchange.redirectUri,
    code_verifier: exchange.verifier,
  });
  const response = await doFetch(new URL('/oauth2/token', exchange.domain).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  const json = (await response.json().catch(() => ({}))) as { id_token?: unknown };
  if (!response.ok || typeof json.id_token !== 'string') throw new Error('Accesso non riuscito: codice non accettato.');
  return json.id_token;
}
