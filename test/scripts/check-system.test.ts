import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/local/stack.ts';

/** `npm test`'s first step (the `pretest` script): it names every missing system package before anything runs. */

const script = join(REPO_ROOT, 'scripts', 'check-system.sh');
const bin = mkdtempSync(join(tmpdir(), 'rendiconta-path-'));

afterAll(() => rmSync(bin, { recursive: true, force: true }));

function which(command: string): string {
  const found = spawnSync('bash', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error(`${command} is not on this machine's PATH`);
  return found;
}

function check(env: Record<string, string | undefined>, ...args: string[]) {
  const result = spawnSync('/bin/bash', [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scripts/check-system.sh', () => {
  it('passes silently on this machine, which has them all', () => {
    expect(check({})).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('names a missing Chromium and the one command that installs it', () => {
    const result = check({ CHROMIUM_PATH: join(bin, 'chromium') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`chromium: no executable ${join(bin, 'chromium')}`);
    expect(result.stderr).toContain('sudo scripts/install-system-packages.sh');
    expect(result.stderr).not.toMatch(/openjdk|libreoffice|cfn-lint/);
  });

  it('names what a PATH without the JDK, LibreOffice and cfn-lint lacks, and lists the Debian packages', () => {
    // A PATH with only what the script itself runs.
    const lean = mkdtempSync(join(bin, 'lean-'));
    for (const command of ['dpkg-query']) symlinkSync(which(command), join(lean, command));
    const result = check({ PATH: lean });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^ {2}openjdk-17-jdk-headless: no java and javac on PATH/m);
    expect(result.stderr).toMatch(/^ {2}libreoffice-calc-nogui: no soffice on PATH/m);
    expect(result.stderr).toMatch(/^ {2}cfn-lint: not on PATH/m);
    expect(check({ PATH: lean }, '--packages')).toEqual({
      status: 0,
      stdout: 'openjdk-17-jdk-headless\nlibreoffice-calc-nogui\n',
      stderr: '',
    });
  });

  it('runs before anything else in npm test: npm runs `pretest` first and stops when it fails', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts.pretest).toBe('bash scripts/check-system.sh');
  });
});
