import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, tokenService } from '../../functions/local/tokens.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-tokens-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
});

describe('the local JWT authorizer', () => {
  it('verifies a token once and answers the same from memory until it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T08:00:00Z'));
    const tokens = await tokenService(dataDir);
    const token = await tokens.sign({ sub: 'operatore', groups: ['ats-operator'], ats: 'ATS-05-001' });
    expect((await tokens.verify(token))?.sub).toBe('operatore');
    expect((await tokens.verify(token))?.['custom:ats']).toBe('ATS-05-001');

    // Eight hours later the remembered token is refused like any expired one.
    vi.setSystemTime(new Date('2026-03-01T16:00:01Z'));
    expect(await tokens.verify(token)).toBeUndefined();
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('never remembers a forged token, nor lets a verified one vouch for a different string', async () => {
    const tokens = await tokenService(dataDir);
    const token = await tokens.sign({ sub: 'revisore', groups: ['region-reviewer'], region: '05' });
    expect(await tokens.verify(token)).toBeDefined();
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const elevated = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['national-admin'] })).toString(
      'base64url',
    );
    expect(await tokens.verify(`${header}.${elevated}.${signature}`)).toBeUndefined();
    expect(await tokens.verify(`${token.slice(0, -4)}AAAA`)).toBeUndefined();
  });

  it('trusts only the key kept in its data folder', async () => {
    const other = mkdtempSync(join(tmpdir(), 'rendiconta-tokens-other-'));
    try {
      const foreign = await (await tokenService(other)).sign({ sub: 'intruso', groups: ['national-admin'] });
      expect(await (await tokenService(dataDir)).verify(foreign)).toBeUndefined();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('the local JWT authorizer requires an expiry', () => {
  it('refuses a token signed with its own key but carrying no exp', async () => {
    const tokens = await tokenService(dataDir);
    const privateJwk = JSON.parse(readFileSync(join(dataDir, 'token-signing-key.json'), 'utf8')) as JWK;
    const key = await importJWK(privateJwk, 'ES256');
    const base = new SignJWT({ 'cognito:groups': ['national-admin'], token_use: 'id' })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setSubject('senza-scadenza')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt();
    expect(await tokens.verify(await base.sign(key))).toBeUndefined();
    // The same token with an expiry is accepted: only the missing claim made the difference.
    expect((await tokens.verify(await base.setExpirationTime('1h').sign(key)))?.sub).toBe('senza-scadenza');
  });
});
