import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * DynamoDB Local processes already running on a data folder, found before the stack starts its own: two on one SQLite
 * file would both write it. One whose stack is gone (an instance from before the launcher's watchdog, or one whose
 * watchdog could not fire) is stale and is stopped; one that a running stack still owns is left alone and the start
 * is refused, in Italian.
 */

export interface RunningInstance {
  readonly pid: number;
  readonly parentPid: number;
}

/** The lock file LoopbackDynamoDbLocal holds while it runs: "pid parentPid". */
export function lockFilePath(dbPath: string): string {
  return join(dbPath, 'dynamodb-local.lock');
}

/** Every process whose command line runs DynamoDB Local with `-dbPath <dbPath>`. */
export function instancesOn(dbPath: string): RunningInstance[] {
  return existsSync('/proc/self/cmdline') ? fromProc(dbPath) : fromPs(dbPath);
}

function runsOn(args: readonly string[], dbPath: string): boolean {
  const at = args.indexOf('-dbPath');
  return at >= 0 && args[at + 1] === dbPath && args.some((arg) => /DynamoDB|Dynamo[Dd]b/.test(arg));
}

function fromProc(dbPath: string): RunningInstance[] {
  const found: RunningInstance[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!runsOn(args, dbPath)) continue;
      // Field 4 of /proc/<pid>/stat, after the parenthesised command name (which may itself hold spaces).
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      found.push({ pid: Number(entry), parentPid });
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

/** macOS and other systems without /proc. Arguments are joined by spaces there: good enough for a path check. */
function fromPs(dbPath: string): RunningInstance[] {
  const listing = execFileSync('ps', ['-axww', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const found: RunningInstance[] = [];
  for (const line of listing.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!match || Number(match[1]) === process.pid) continue;
    if (!match[3]?.includes(`-dbPath ${dbPath}`) || !/Dynamo[Dd][Bb]/.test(match[3])) continue;
    found.push({ pid: Number(match[1]), parentPid: Number(match[2]) });
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Owned: the lock file names this pid and the parent that started it, that parent is still its parent and is alive,
 * and it is not init. Anything else running DynamoDB Local on the folder has lost its stack.
 */
function isOwned(instance: RunningInstance, dbPath: string): boolean {
  let recorded: string[];
  try {
    recorded = readFileSync(lockFilePath(dbPath), 'utf8').trim().split(/\s+/);
  } catch {
    return false;
  }
  const [pid, parentPid] = recorded.map(Number);
  return (
    pid === instance.pid && parentPid === instance.parentPid && instance.parentPid > 1 && isAlive(instance.parentPid)
  );
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Stops every stale DynamoDB Local on `dbPath` (SIGTERM, then SIGKILL after 5 s) and returns their pids; throws an
 * Italian error when a running stack still owns one.
 */
export async function stopStaleInstances(dbPath: string): Promise<number[]> {
  const stopped: number[] = [];
  for (const instance of instancesOn(dbPath)) {
    if (isOwned(instance, dbPath)) {
      throw new Error(
        `La cartella dati ${dbPath} è già usata da un altro avvio del servizio (DynamoDB Local, processo ` +
          `${instance.pid}, avviato dal processo ${instance.parentPid}): fermarlo, oppure indicare un'altra ` +
          'cartella con DATA_DIR.',
      );
    }
    try {
      process.kill(instance.pid, 'SIGTERM');
    } catch {
      continue;
    }
    if (!(await waitForExit(instance.pid, 5000))) {
      process.kill(instance.pid, 'SIGKILL');
      await waitForExit(instance.pid, 5000);
    }
    stopped.push(instance.pid);
  }
  return stopped;
}
