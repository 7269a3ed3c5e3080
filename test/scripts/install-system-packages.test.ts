import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/local/stack.ts';

/**
 * scripts/install-system-packages.sh, which `.ci/run` runs as root on a clean Debian machine, run here without root
 * and without network: every command it reaches for (id, apt-get, apt-cache, dpkg-query, pipx, and what the packages
 * install) is a stub on PATH that logs its arguments and, for an install, puts the package's commands on PATH. Each
 * case says what the script would install on Debian or on Ubuntu, with or without cfn-lint and pipx.
 */

const script = join(REPO_ROOT, 'scripts', 'install-system-packages.sh');
const root = mkdtempSync(join(tmpdir(), 'rendiconta-install-'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * One stub for every command, told apart by its name. What `apt-get install` and `pipx install` put on PATH is a copy
 * of it. Ubuntu is told from Debian the way the script tells them apart: `apt-cache show chromium` finds no package
 * (apt-cache's exit status 100, "No packages found").
 */
const STUB = `#!/bin/bash
name=\${0##*/}
echo "$name $*" >> "$FAKE_LOG"
provide() { cp "$FAKE_STUB" "$FAKE_BIN/$1"; chmod +x "$FAKE_BIN/$1"; }
case $name in
  id) [[ $1 == -u ]] && echo "$FAKE_UID" ;;
  apt-cache) [[ $1 == show && $2 == chromium && $FAKE_DISTRIBUTION == ubuntu ]] && exit 100 ;;
  apt-get)
    echo "  DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> "$FAKE_LOG"
    [[ $1 == install ]] || exit 0
    for package in "\${@:2}"; do
      case $package in
        openjdk-17-jdk-headless) provide java; provide javac ;;
        chromium | chromium-browser) cp "$FAKE_STUB" "$CHROMIUM_PATH"; chmod +x "$CHROMIUM_PATH" ;;
        libreoffice-calc-nogui) provide soffice ;;
        fonts-dejavu-core) : > "$FAKE_STATE/fonts" ;;
        pipx) provide pipx ;;
      esac
    done ;;
  dpkg-query) [[ -e $FAKE_STATE/fonts ]] && printf 'install ok installed' || exit 1 ;;
  javac) echo 'javac 17.0.13' ;;
  pipx)
    echo "  PIPX_HOME=$PIPX_HOME PIPX_BIN_DIR=$PIPX_BIN_DIR" >> "$FAKE_LOG"
    [[ $FAKE_PIPX_FAILS == 1 ]] && exit 1
    [[ $1 == install && $2 == cfn-lint ]] && provide cfn-lint ;;
esac
exit 0
`;

/** What the machine has before the script runs: commands already on PATH, and whether the fonts are installed. */
interface Machine {
  readonly distribution: 'debian' | 'ubuntu';
  readonly has?: readonly ('java' | 'javac' | 'chromium' | 'soffice' | 'fonts' | 'cfn-lint' | 'pipx')[];
  readonly uid?: number;
  readonly pipxFails?: boolean;
  /** No apt-get on PATH (not Debian or Ubuntu). */
  readonly withoutApt?: boolean;
}

let runs = 0;

function install(machine: Machine) {
  const dir = join(root, String(runs++));
  const bin = join(dir, 'bin');
  const state = join(dir, 'state');
  const tools = join(dir, 'tools');
  for (const folder of [bin, state, tools]) mkdirSync(folder, { recursive: true });
  const stub = join(dir, 'stub');
  writeFileSync(stub, STUB);
  chmodSync(stub, 0o755);
  const chromium = join(dir, 'chromium');
  const commands = ['id', 'apt-cache', 'dpkg-query', ...(machine.withoutApt ? [] : ['apt-get'])];
  for (const thing of machine.has ?? []) {
    if (thing === 'fonts') writeFileSync(join(state, 'fonts'), '');
    else if (thing === 'chromium') symlinkSync(stub, chromium);
    else commands.push(thing);
  }
  for (const command of commands) symlinkSync(stub, join(bin, command));
  // Only what the script and the stubs run besides the stubbed commands.
  for (const tool of ['bash', 'dirname', 'cp', 'chmod']) {
    const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(found, join(tools, tool));
  }
  const log = join(dir, 'log');
  writeFileSync(log, '');
  const result = spawnSync('bash', [script], {
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: `${bin}:${tools}`,
      CHROMIUM_PATH: chromium,
      FAKE_BIN: bin,
      FAKE_DISTRIBUTION: machine.distribution,
      FAKE_LOG: log,
      FAKE_PIPX_FAILS: machine.pipxFails ? '1' : '0',
      FAKE_STATE: state,
      FAKE_STUB: stub,
      FAKE_UID: String(machine.uid ?? 0),
    },
  });
  const calls = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !/^(id|dpkg-query|javac) /.test(line));
  return { status: result.status, stderr: result.stderr, calls, chromiumInstalled: existsSync(chromium) };
}

const EVERY_PACKAGE = 'openjdk-17-jdk-headless chromium libreoffice-calc-nogui fonts-dejavu-core';
const EVERYTHING: NonNullable<Machine['has']> = ['java', 'javac', 'chromium', 'soffice', 'fonts', 'cfn-lint'];

describe('scripts/install-system-packages.sh', () => {
  it('on a bare Debian, installs every package in one apt-get call, then pipx and cfn-lint for every user', () => {
    const result = install({ distribution: 'debian' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([
      'apt-get update',
      '  DEBIAN_FRONTEND=noninteractive',
      'apt-cache show chromium',
      `apt-get install -y --no-install-recommends ${EVERY_PACKAGE}`,
      '  DEBIAN_FRONTEND=noninteractive',
      'apt-get install -y --no-install-recommends pipx',
      '  DEBIAN_FRONTEND=noninteractive',
      'pipx install cfn-lint',
      '  PIPX_HOME=/opt/pipx PIPX_BIN_DIR=/usr/local/bin',
    ]);
  });

  it('on Ubuntu, installs chromium-browser instead (Chromium is only a snap there) and says where it lands', () => {
    const result = install({ distribution: 'ubuntu', has: ['pipx'] });
    expect(result.status).toBe(0);
    expect(result.calls).toContain(
      'apt-get install -y --no-install-recommends openjdk-17-jdk-headless chromium-browser libreoffice-calc-nogui fonts-dejavu-core',
    );
    expect(result.chromiumInstalled).toBe(true);
    expect(result.stderr).toContain('CHROMIUM_PATH=/snap/bin/chromium');
    // pipx was there: not installed again.
    expect(result.calls).not.toContain('apt-get install -y --no-install-recommends pipx');
    expect(result.calls).toContain('pipx install cfn-lint');
  });

  it('installs only what is missing: nothing from apt when the packages are there, no pipx when cfn-lint is', () => {
    const complete = install({ distribution: 'debian', has: EVERYTHING });
    expect(complete).toMatchObject({ status: 0, stderr: '', calls: [] });

    const onlyCfnLint = install({ distribution: 'ubuntu', has: ['java', 'javac', 'chromium', 'soffice', 'fonts'] });
    expect(onlyCfnLint.status).toBe(0);
    expect(onlyCfnLint.calls).toEqual([
      'apt-get install -y --no-install-recommends pipx',
      '  DEBIAN_FRONTEND=noninteractive',
      'pipx install cfn-lint',
      '  PIPX_HOME=/opt/pipx PIPX_BIN_DIR=/usr/local/bin',
    ]);

    const onlyLibreOffice = install({ distribution: 'debian', has: EVERYTHING.filter((each) => each !== 'soffice') });
    expect(onlyLibreOffice.status).toBe(0);
    expect(onlyLibreOffice.calls).toEqual([
      'apt-get update',
      '  DEBIAN_FRONTEND=noninteractive',
      'apt-get install -y --no-install-recommends libreoffice-calc-nogui',
      '  DEBIAN_FRONTEND=noninteractive',
    ]);
  });

  it('stops with a clear message when pipx cannot install cfn-lint, when not root, and without apt-get', () => {
    const offline = install({
      distribution: 'debian',
      has: [...EVERYTHING.filter((each) => each !== 'cfn-lint'), 'pipx'],
      pipxFails: true,
    });
    expect(offline.status).toBe(1);
    expect(offline.stderr).toContain('cfn-lint could not be installed from PyPI');

    const user = install({ distribution: 'debian', uid: 1000 });
    expect(user).toMatchObject({ status: 1, calls: [] });
    expect(user.stderr).toMatch(/^Run it as root: sudo /);

    const elsewhere = install({ distribution: 'debian', withoutApt: true });
    expect(elsewhere).toMatchObject({ status: 1, calls: [] });
    expect(elsewhere.stderr).toContain('This script installs with apt-get (Debian, Ubuntu)');
  });
});
