import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_LIFETIME_MS, localHostedUi, REFRESH_LIFETIME_MS } from '../../functions/local/hosted-ui.ts';
import { LOCAL_ISSUER, tokenService } from '../../functions/local/tokens.ts';
import { CLI_CALLBACK_PORTS, LOCAL_CLI_CLIENT_ID } from '../../shared/contract/cli-sign-in.ts';

/**
 * The local stand-in for Cognito's hosted UI on a clock the test moves: codes are short-lived, refresh tokens expire
 * and revoked ones stay revoked, ID tokens carry the command line's client id and pass the local authorizer.
 */

let server: Server;
let base: string;
let dataDir: string;
let clock = Date.now();
let verify: (token: string) => Promise<unknown>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-hosted-ui-'));
  const tokens = await tokenService(dataDir);
  verify = (token) => tokens.verify(token);
  const hostedUi = localHostedUi(tokens, { now: () => clock });
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!(await hostedUi.handle(request, response, url, Buffer.concat(chunks)))) {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

const redirectUri = `http://localhost:${CLI_CALLBACK_PORTS[0]}/callback`;
const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

const post = (path: string, fields: Record<string, string>) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

async function code(): Promise<string> {
  const response = await post('/oauth2/authorize', {
    response_type: 'code',
    client_id: LOCAL_CLI_CLIENT_ID,
    redirect_uri: redirectUri,
    state: 's',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    role: 'ats-operator',
    ambito: 'ATS-05-001',
  });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';
}

const exchange = (value: string) =>
  post('/oauth2/token', {
    grant_type: 'authorization_code',
    client_id: LOCAL_CLI_CLIENT_ID,
    code: value,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });

describe('local hosted UI', () => {
  it('refuses a code presented after its lifetime', async () => {
    const late = await code();
    clock += CODE_LIFETIME_MS + 1;
    const response = await exchange(late);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('signs ID tokens for the command-line client that the local authorizer accepts', async () => {
    const response = await exchange(await code());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { id_token: string; refresh_token: string };
    const payload = JSON.parse(Buffer.from(body.id_token.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({
      aud: LOCAL_CLI_CLIENT_ID,
      iss: LOCAL_ISSUER,
      sub: 'operatore-ats-05-001',
      'cognito:groups': ['ats-operator'],
      'custom:ats': 'ATS-05-001',
      token_use: 'id',
    });
    expect(await verify(body.id_token)).toBeDefined();
  });

  it('refreshes until the refresh token expires or is revoked, never for another client', async () => {
    const { refresh_token: refreshToken } = (await (await exchange(await code())).json()) as {
      refresh_token: string;
    };
    const refresh = (clientId = LOCAL_CLI_CLIENT_ID) =>
      post('/oauth2/token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken });
    const ok = await refresh();
    expect(ok.status).toBe(200);
    const renewed = (await ok.json()) as Record<string, unknown>;
    expect(renewed.refresh_token).toBeUndefined();
    expect(typeof renewed.id_token).toBe('string');
    expect(((await (await refresh('altro-client')).json()) as { error: string }).error).toBe('invalid_client');

    clock += REFRESH_LIFETIME_MS + 1;
    expect(((await (await refresh()).json()) as { error: string }).error).toBe('invalid_grant');

    const second = ((await (await exchange(await code())).json()) as { refresh_token: string }).refresh_token;
    const revoked = await post('/oauth2/revoke', { token: second, client_id: LOCAL_CLI_CLIENT_ID });
    expect(revoked.status).toBe(200);
    const after = await post('/oauth2/token', {
      grant_type: 'refresh_token',
      client_id: LOCAL_CLI_CLIENT_ID,
      refresh_token: second,
    });
    expect(((await after.json()) as { error: string }).error).toBe('invalid_grant');
    // RFC 7009: an unknown token is not an error; a missing one is.
    expect((await post('/oauth2/revoke', { token: 'sconosciuto', client_id: LOCAL_CLI_CLIENT_ID })).status).toBe(200);
    expect((await post('/oauth2/revoke', { client_id: LOCAL_CLI_CLIENT_ID })).status).toBe(400);
  });

  it('asks again, in Italian, for an ATS or Region that is not a code', async () => {
    const response = await post('/oauth2/authorize', {
      response_type: 'code',
      client_id: LOCAL_CLI_CLIENT_ID,
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      role: 'ats-operator',
      ambito: '<script>',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Ambito non valido');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;SCRIPT&gt;');
  });

  it('serves config.json for the command line', async () => {
    const response = await fetch(`${base}/config.json`, { headers: { host: 'localhost:3001' } });
    const config = (await response.json()) as { auth: { cliClientId: string; cliRedirectUris: string[] } };
    expect(config.auth.cliClientId).toBe(LOCAL_CLI_CLIENT_ID);
    expect(config.auth.cliRedirectUris).toContain(redirectUri);
  });
});
