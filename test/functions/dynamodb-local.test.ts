import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable, freePort, type LocalDynamoDb, startDynamoDbLocal } from '../../functions/local/dynamodb.ts';
import { dynamoDbLocalRelease, launcherClasses } from '../../functions/local/dynamodb-launcher.ts';
import { REPO_ROOT } from '../../functions/local/stack.ts';

/**
 * DynamoDB Local as the stack runs it is safe to leave running: it listens on 127.0.0.1 only, its files are its
 * owner's, it never outlives the stack (kill -9 included), and a stale instance on the same data is stopped at start.
 */

const temporary: string[] = [];
const started: ChildProcess[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** Running, and not a zombie waiting for a parent that is gone. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The local addresses of the sockets listening on `port`, from /proc/net/tcp and tcp6 (state 0A is LISTEN). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue;
      const [address, portHex] = local.split(':');
      if (portHex === hexPort && address) found.push(address);
    }
  }
  return found;
}

/** 127.0.0.1 as /proc/net writes it: little-endian IPv4, or the IPv4-mapped IPv6 address of a dual-stack socket. */
const LOOPBACK_IN_PROC = ['0100007F', '0000000000000000FFFF00000100007F'];

function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe('DynamoDB Local under the stack', () => {
  const dataDir = tempDir('rendiconta-dynamodb-');
  let dynamo: LocalDynamoDb | undefined;

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal(dataDir);
    // Writes, so that SQLite's -wal and -shm files exist too.
    await ensureTable(dynamo.endpoint, 'rendiconta-safety-test');
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('listens on 127.0.0.1 only: its socket is bound to loopback and no other address of this machine answers', async () => {
    if (!dynamo) throw new Error('not started');
    const port = Number(new URL(dynamo.endpoint).port);
    const addresses = listeningAddresses(port);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(LOOPBACK_IN_PROC).toContain(address);
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((entry) => entry !== undefined && !entry.internal)
      .map((entry) => entry?.address ?? '');
    for (const address of others) expect(await tryConnect(address, port), address).not.toBe('connected');
  });

  it('keeps its data folder 0700 and every file in it 0600', () => {
    const path = join(dataDir, 'dynamodb');
    expect(statSync(path).mode & 0o777).toBe(0o700);
    const files = readdirSync(path);
    expect(files).toContain('shared-local-instance.db');
    expect(files).toContain('shared-local-instance.db-wal');
    for (const name of files) expect(statSync(join(path, name)).mode & 0o777, name).toBe(0o600);
  });

  it('refuses a second start on the same data folder while the first one runs, in Italian', async () => {
    await expect(startDynamoDbLocal(dataDir)).rejects.toThrow(/già usata da un altro avvio/);
    expect(dynamo && isRunning(dynamo.process.pid ?? 0)).toBe(true);
  });
});

describe('the launcher', () => {
  it('is refused in Italian on a machine without javac (a bare JRE), naming the install command', async () => {
    const saved = process.env.PATH;
    process.env.PATH = tempDir('rendiconta-no-javac-');
    try {
      // A release it has never compiled for, so that it must compile.
      await expect(launcherClasses(join(tempDir('rendiconta-release-'), 'dynamodb_local_test'))).rejects.toThrow(
        /Manca javac.*JDK 17.*sudo scripts\/install-system-packages\.sh/s,
      );
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('a stale DynamoDB Local on the same data', () => {
  it('is stopped at start: one left running by an earlier release, whose stack is gone', async () => {
    const dataDir = tempDir('rendiconta-stale-');
    const path = join(dataDir, 'dynamodb');
    mkdirSync(path, { recursive: true });
    const release = dynamoDbLocalRelease();
    const port = await freePort();
    // As the stack used to start it: the plain jar, every interface, nothing watching its parent.
    const stale = spawn(
      'java',
      [
        `-Djava.library.path=${join(release, 'DynamoDBLocal_lib')}`,
        '-jar',
        join(release, 'DynamoDBLocal.jar'),
        '-dbPath',
        path,
        '-port',
        String(port),
        '-sharedDb',
        '-disableTelemetry',
      ],
      { stdio: 'ignore', detached: true },
    );
    started.push(stale);
    stale.unref();
    const stalePid = stale.pid ?? 0;
    expect(await waitUntil(async () => (await tryConnect('127.0.0.1', port)) === 'connected', 90_000)).toBe(true);

    const dynamo = await startDynamoDbLocal(dataDir);
    try {
      expect(dynamo.stoppedStale).toEqual([stalePid]);
      expect(isRunning(stalePid)).toBe(false);
      await ensureTable(dynamo.endpoint, 'rendiconta-stale-test');
    } finally {
      await dynamo.stop();
    }
  }, 180_000);
});

describe('kill -9 of the stack', () => {
  it('leaves no Java behind: DynamoDB Local ends within seconds of its stack', async () => {
    const dataDir = tempDir('rendiconta-kill-');
    const stack = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'test/functions/fixtures/stack-process.ts')],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    started.push(stack);
    const line = await new Promise<string>((resolve, reject) => {
      let output = '';
      stack.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const end = output.indexOf('\n');
        if (end >= 0) resolve(output.slice(0, end));
      });
      stack.once('exit', (code) => reject(new Error(`the stack exited (${code}) before serving: ${output}`)));
    });
    const { javaPid } = JSON.parse(line) as { javaPid: number };
    expect(isRunning(javaPid)).toBe(true);

    stack.kill('SIGKILL');
    expect(await waitUntil(() => !isRunning(javaPid), 5000)).toBe(true);
  }, 180_000);
});
