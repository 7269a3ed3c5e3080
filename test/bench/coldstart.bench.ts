import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROUTES } from '../../functions/routes.ts';
import {
  ENABLE_SOURCE_MAPS,
  lambdaBuildOptions,
  SDK_BUNDLING,
  type SdkBundling,
  SOURCE_MAPS_OPTION,
} from '../../infra/bundling.ts';

/**
 * Cold import of each function, the AWS SDK external (the runtime's copy; here it resolves from node_modules, as the
 * runtime resolves its own) against the SDK bundled (tree-shaken, minified), and the bundled one again with
 * NODE_OPTIONS=--enable-source-maps, beside a bare handler's. Each bundle is built with the options the CDK app deploys
 * (infra/bundling.ts) and imported in a fresh `node` process, RUNS times, interleaved so that a change of the
 * machine's speed hits every variant alike; the median is printed.
 * Target: within 60 ms of the bare handler. `npm run bench -- coldstart`.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const RUNS = 9;
const TARGET_MS = 60;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Milliseconds from the start of the import to its end, in a new process. */
function coldImport(file: string, sourceMaps = false): number {
  const child = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});console.log(performance.now()-t)`,
    ],
    // AWS_REGION as the functions have it; no credentials are read at import.
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_REGION: 'eu-south-1',
        NODE_OPTIONS: sourceMaps ? SOURCE_MAPS_OPTION : '',
        NODE_NO_WARNINGS: '1',
      },
    },
  );
  const value = Number(child.stdout.trim());
  if (child.status !== 0 || !Number.isFinite(value)) throw new Error(`import of ${file} failed: ${child.stderr}`);
  return value;
}

async function bundle(routeId: string, sdk: SdkBundling, dir: string): Promise<string> {
  const outdir = join(dir, `${routeId}-${sdk}`);
  await build({ ...lambdaBuildOptions(routeId, sdk), outdir, entryNames: 'index', write: true });
  return join(outdir, 'index.mjs');
}

export interface ColdStartRow {
  readonly id: string;
  readonly externalMs: number;
  readonly bundledMs: number;
  /** The bundled one with NODE_OPTIONS=--enable-source-maps. */
  readonly mappedMs: number;
  readonly externalKb: number;
  readonly bundledKb: number;
}

export async function measureColdStart(): Promise<{ bareMs: number; rows: ColdStartRow[] }> {
  // Under the repository, so that an external @aws-sdk/* import resolves from its node_modules.
  const dir = join(root, '.data', 'bench-coldstart');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const bare = join(dir, 'bare.mjs');
    writeFileSync(bare, 'export const handler = async () => ({ statusCode: 200, body: "{}" });\n');
    const files = [] as Array<{ id: string; external: string; bundled: string }>;
    for (const route of ROUTES) {
      files.push({
        id: route.id,
        external: await bundle(route.id, 'external', dir),
        bundled: await bundle(route.id, 'bundled', dir),
      });
    }
    const times = new Map<string, number[]>();
    const time = (key: string, file: string, sourceMaps = false) => {
      const list = times.get(key) ?? [];
      list.push(coldImport(file, sourceMaps));
      times.set(key, list);
    };
    for (let run = 0; run < RUNS; run++) {
      for (const entry of files) {
        time(bare, bare);
        time(entry.external, entry.external);
        time(entry.bundled, entry.bundled);
        time(`${entry.bundled} mapped`, entry.bundled, true);
      }
    }
    const kb = (file: string) => statSync(file).size / 1024;
    return {
      bareMs: median(times.get(bare) ?? []),
      rows: files.map((entry) => ({
        id: entry.id,
        externalMs: median(times.get(entry.external) ?? []),
        bundledMs: median(times.get(entry.bundled) ?? []),
        mappedMs: median(times.get(`${entry.bundled} mapped`) ?? []),
        externalKb: kb(entry.external),
        bundledKb: kb(entry.bundled),
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const { bareMs, rows } = await measureColdStart();
  console.log(
    `\nCold import (fresh node, median of ${RUNS}); bare handler ${bareMs.toFixed(1)} ms; target: within ${TARGET_MS} ms of it`,
  );
  console.log(
    `deployed: SDK ${SDK_BUNDLING}, source maps ${ENABLE_SOURCE_MAPS ? 'enabled' : 'not enabled'} (infra/bundling.ts)`,
  );
  console.log('  function             SDK external          SDK bundled           bundled + --enable-source-maps');
  const cell = (msValue: number, kbValue?: number) =>
    `${msValue.toFixed(1).padStart(6)} ms ${kbValue === undefined ? '        ' : `${kbValue.toFixed(0)} KB`.padStart(8)}${msValue - bareMs > TARGET_MS ? '*' : ' '}`;
  for (const row of rows) {
    console.log(
      `  ${row.id.padEnd(20)} ${cell(row.externalMs, row.externalKb)}   ${cell(row.bundledMs, row.bundledKb)}   ${cell(row.mappedMs)}`,
    );
  }
  console.log(`  * more than ${TARGET_MS} ms over the bare handler`);
}
