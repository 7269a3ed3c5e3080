import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { tokenService } from '../../functions/local/tokens.ts';

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
