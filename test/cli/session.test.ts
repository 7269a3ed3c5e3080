import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bearerToken, configDir, saveSession } from '../../cli/session.ts';

/** Where `rendiconta accedi` keeps its tokens, and which token the API commands send. */

const home = mkdtempSync(join(tmpdir(), 'rendiconta-session-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('configDir', () => {
  it('follows XDG_CONFIG_HOME when absolute, else ~/.config, and %APPDATA% on Windows', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/tmp/xdg' }, 'linux')).toBe('/tmp/xdg/rendiconta');
    expect(configDir({ XDG_CONFIG_HOME: 'relativo' }, 'linux')).toBe(join(homedir(), '.config', 'rendiconta'));
    expect(configDir({}, 'darwin')).toBe(join(homedir(), '.config', 'rendiconta'));
    expect(configDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe(
      join('C:\\Users\\u\\AppData\\Roaming', 'rendiconta'),
    );
  });
});

describe('bearerToken', () => {
  const api = 'https://api.example.invalid';
  const env = { XDG_CONFIG_HOME: home };

  it('asks, in Italian, for accedi or RENDICONTA_TOKEN when there is no session', async () => {
    await expect(bearerToken(api, { env })).rejects.toThrow(
      /rendiconta accedi --api https:\/\/api\.example\.invalid.*RENDICONTA_TOKEN/,
    );
  });

  it('uses the session while it is valid, and RENDICONTA_TOKEN before it', async () => {
    const expiresAt = Date.now() + 3_600_000;
    await saveSession(
      api,
      { hostedUiBaseUrl: 'https://auth.example.invalid', clientId: 'c', idToken: 'id-token', expiresAt },
      env,
    );
    expect(await bearerToken(api, { env })).toBe('id-token');
    expect(await bearerToken(api, { env: { ...env, RENDICONTA_TOKEN: 'da-variabile' } })).toBe('da-variabile');
  });

  it('refreshes within five minutes of expiry, and without a refresh token says to sign in again', async () => {
    const now = () => Date.now() + 3_600_000 - 60_000;
    await expect(bearerToken(api, { env, now })).rejects.toThrow(/Sessione scaduta.*rendiconta accedi/);
  });
});
