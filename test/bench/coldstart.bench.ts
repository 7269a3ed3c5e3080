import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { memorySizeMb } from '../../infra/function-sizing.ts';
import { LEPS_ATS } from '../../shared/template/leps-ats.ts';

/**
 * Cold import of each function, the AWS SDK external (the runtime's copy; here it resolves from node_modules, as the
 * runtime resolves its own) against the SDK bundled (tree-shaken, minified), and the bundled one again with
 * NODE_OPTIONS=--enable-source-maps, beside a bare handler's. Each bundle is built with the options the CDK app deploys
 * (infra/bundling.ts) and imported in a fresh `node` process, RUNS times, interleaved so that a change of the
 * machine's speed hits every variant alike; the median is printed.
 * Each import is timed as Lambda's runtime imports a handler: node started with the arguments the runtime's bootstrap
 * gives it for the function's memory (lambdaNodeArguments), after the Node modules its runtime interface client has
 * loaded (RUNTIME_LOADED_MODULES), for the bare handler and the functions alike. The deployed bundle is also timed in a
 * plain `node` that has loaded nothing, printed beside it, and built with its arrow functions kept (what lowering them
 * gains: infra/bundling.ts, LOWERED_SYNTAX).
 * Then the first request as a user meets it: the deployed bundle imported and its handler called once, in a fresh
 * process in the runtime's state, with a representative event (the contract's example submission for validate and
 * PUT) against a stand-in DynamoDB on a local port that answers every operation as an empty table would, so that the
 * SDK's configuration, signing and HTTP run as on a first request, and whatever a handler builds on first use is
 * counted; again beside the bundle with its arrows kept.
 * Target: within 60 ms of the bare handler. `npm run bench -- coldstart`.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const RUNS = 9;
const TARGET_MS = 60;

/**
 * The Node modules Lambda's Node.js runtime has loaded when it imports the handler: the top level of the runtime
 * interface client of the nodejs24.x runtime (npm aws-lambda-ric 4.0.2, index.mjs: `createRequire` from "module",
 * then `node:path`, `node:fs`, `node:net`, `node:http`, `node:os`, `node:util` and `node:worker_threads`, all before
 * `createRuntime` calls `UserFunctionLoader.load`). A handler that imports one of them again finds it loaded, in
 * Lambda as here; a bare `node` would charge the handler for the runtime's own modules.
 */
export const RUNTIME_LOADED_MODULES: readonly string[] = [
  'node:module',
  'node:path',
  'node:fs',
  'node:net',
  'node:http',
  'node:os',
  'node:util',
  'node:worker_threads',
];

/**
 * The arguments Lambda's Node.js bootstrap (/var/runtime/bootstrap of the nodejs runtime images; its text is public in
 * copies from the nodejs14.x and nodejs18.x images and in an analysis of nodejs24.x) starts node with: `--expose-gc`,
 * `--max-http-header-size 81920`, and heap sizes from AWS_LAMBDA_FUNCTION_MEMORY_SIZE (new space a tenth of the memory,
 * each semi-space half of that, old space the rest) unless NODE_OPTIONS names one. They matter here: with any of
 * `--expose-gc` or the heap sizes, V8's flags no longer match those Node's built-in code cache was made with, so
 * every Node module a handler imports (https, crypto, zlib) is compiled from source, two to three times slower.
 */
export function lambdaNodeArguments(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    '--max-http-header-size',
    '81920',
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}

/** The statement that brings a child process to the runtime's state before the timed import. */
const RUNTIME_STATE = `await Promise.all(${JSON.stringify(RUNTIME_LOADED_MODULES)}.map((name) => import(name)));`;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * Milliseconds from the start of the import to its end, in a new process: by default as Lambda runs it (the runtime's
 * node arguments for `memoryMb`, RUNTIME_LOADED_MODULES loaded first), with `bareNode` in a plain node that has loaded
 * nothing.
 */
function coldImport(file: string, memoryMb: number, { sourceMaps = false, bareNode = false } = {}): number {
  const child = spawnSync(
    process.execPath,
    [
      ...(bareNode ? [] : lambdaNodeArguments(memoryMb)),
      '--input-type=module',
      '-e',
      `${bareNode ? '' : RUNTIME_STATE}const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});console.log(performance.now()-t)`,
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

/** Answers each DynamoDB operation as an empty table would (a first request's SDK work, without DynamoDB's time). */
function emptyDynamoDb(): Promise<Server> {
  const answers: Record<string, unknown> = {
    Query: { Items: [], Count: 0, ScannedCount: 0 },
    BatchGetItem: { Responses: {}, UnprocessedKeys: {} },
    TransactGetItems: { Responses: [] },
  };
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(answers[operation] ?? {}));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** An HTTP API event for the route, from an operator of ATS-05-001 who also reviews Region 05. */
function representativeEvent(route: (typeof ROUTES)[number]): unknown {
  const { method = 'GET', path = '/' } = route as { method?: string; path?: string };
  const example = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'example-submission.json'), 'utf8'));
  const bodies: Record<string, unknown> = {
    validate: { ...example, templateVersion: LEPS_ATS.version },
    putSubmission: { ...example, templateVersion: LEPS_ATS.version },
    reviewSubmission: { decision: 'approve', comment: null, version: 1 },
    putRegionAts: { name: 'Ambito sintetico Belluno', comuni: ['025006'] },
    // A Region's first parameters (no If-Match needed while it has none), so the body goes through the schema.
    putRegionParameters: { parameters: { udpMinFte: 1.5 } },
  };
  const body = bodies[route.id];
  return {
    version: '2.0',
    routeKey: method.startsWith('$') ? method : `${method} ${path}`,
    rawPath: path,
    headers: {
      'content-type': 'application/json',
      'x-client-version': 'bench',
      'idempotency-key': 'bench-first-request',
    },
    queryStringParameters: { period: '2025-12-31' },
    pathParameters: {
      ats: 'ATS-05-001',
      period: '2025-12-31',
      region: '05',
      id: LEPS_ATS.id,
      version: LEPS_ATS.version,
    },
    requestContext: {
      requestId: 'bench',
      http: { method: method.startsWith('$') ? 'GET' : method, path, sourceIp: '127.0.0.1', userAgent: 'bench' },
      authorizer: {
        jwt: {
          claims: {
            sub: 'bench-user',
            'cognito:groups': '[ats-operator region-reviewer]',
            'custom:ats': 'ATS-05-001',
            'custom:region': '05',
          },
          scopes: [],
        },
      },
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  };
}

/**
 * Milliseconds from the start of the import to the end of the first call of the handler, in a new process started as
 * Lambda starts it.
 */
function firstRequest(
  file: string,
  eventFile: string,
  memoryMb: number,
  env: Record<string, string>,
): Promise<{ ms: number; status: number }> {
  const script = [
    "import { readFileSync } from 'node:fs';",
    RUNTIME_STATE,
    `const event = JSON.parse(readFileSync(${JSON.stringify(eventFile)}, 'utf8'));`,
    'const t = performance.now();',
    `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const result = await handler(event, {});',
    'console.log(JSON.stringify({ ms: performance.now() - t, status: result.statusCode }));',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...lambdaNodeArguments(memoryMb), '--input-type=module', '-e', script], {
      env: { ...process.env, ...env, NODE_OPTIONS: '', NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const answer = JSON.parse(line) as { ms: number; status: number };
        if (code === 0 && Number.isFinite(answer.ms)) return resolve(answer);
      } catch {
        // reported below
      }
      reject(new Error(`first request to ${file} failed: ${err || out}`));
    });
  });
}

async function bundle(routeId: string, sdk: SdkBundling, dir: string, { keepArrows = false } = {}): Promise<string> {
  const outdir = join(dir, `${routeId}-${sdk}${keepArrows ? '-arrows' : ''}`);
  await build({ ...lambdaBuildOptions(routeId, sdk, { keepArrows }), outdir, entryNames: 'index', write: true });
  return join(outdir, 'index.mjs');
}

export interface ColdStartRow {
  readonly id: string;
  readonly externalMs: number;
  readonly bundledMs: number;
  /** The bundled one with NODE_OPTIONS=--enable-source-maps. */
  readonly mappedMs: number;
  /** The bundled one in a node that has loaded nothing (no runtime modules). */
  readonly bareNodeMs: number;
  /** The bundled one with its arrow functions kept (infra/bundling.ts, LOWERED_SYNTAX). */
  readonly arrowsKeptMs: number;
  readonly externalKb: number;
  readonly bundledKb: number;
  /** The bundled one imported and its handler called once (representative event, stand-in DynamoDB). */
  readonly firstMs: number;
  /** The status that first call answered. */
  readonly firstStatus: number;
  /** The same with the bundle's arrow functions kept. */
  readonly arrowsKeptFirstMs: number;
}

export async function measureColdStart(): Promise<{
  bareMs: number;
  /** The bare handler in a node that has loaded nothing. */
  bareNodeBareMs: number;
  bareFirstMs: number;
  rows: ColdStartRow[];
}> {
  // Under the repository, so that an external @aws-sdk/* import resolves from its node_modules.
  const dir = join(root, '.data', 'bench-coldstart');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const bare = join(dir, 'bare.mjs');
    writeFileSync(bare, 'export const handler = async () => ({ statusCode: 200, body: "{}" });\n');
    const files = [] as Array<{ id: string; memoryMb: number; external: string; bundled: string; arrows: string }>;
    for (const route of ROUTES) {
      files.push({
        id: route.id,
        memoryMb: memorySizeMb(route),
        external: await bundle(route.id, 'external', dir),
        bundled: await bundle(route.id, 'bundled', dir),
        arrows: await bundle(route.id, 'bundled', dir, { keepArrows: true }),
      });
    }
    const times = new Map<string, number[]>();
    for (let run = 0; run < RUNS; run++) {
      for (const entry of files) {
        // The bare handler beside each function, with that function's memory (the same node arguments).
        const time = (key: string, file: string, options: { sourceMaps?: boolean; bareNode?: boolean } = {}) => {
          times.set(key, [...(times.get(key) ?? []), coldImport(file, entry.memoryMb, options)]);
        };
        time(bare, bare);
        time(`${bare} bare node`, bare, { bareNode: true });
        time(entry.external, entry.external);
        time(entry.bundled, entry.bundled);
        time(`${entry.bundled} mapped`, entry.bundled, { sourceMaps: true });
        time(`${entry.bundled} bare node`, entry.bundled, { bareNode: true });
        time(entry.arrows, entry.arrows);
      }
    }
    // The first request: import and one call, against a DynamoDB that answers as an empty table.
    const dynamo = await emptyDynamoDb();
    const firsts = new Map<string, number[]>();
    const statuses = new Map<string, number>();
    try {
      const env = {
        AWS_REGION: 'eu-south-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
        TABLE_NAME: 'bench',
        REFERENCE_DATA_DIR: join(root, 'shared', 'reference', 'data'),
      };
      const events = new Map<string, string>();
      for (const route of ROUTES) {
        const file = join(dir, `${route.id}.event.json`);
        writeFileSync(file, JSON.stringify(representativeEvent(route)));
        events.set(route.id, file);
      }
      const first = async (key: string, file: string, eventFile: string, memoryMb: number) => {
        const { ms, status } = await firstRequest(file, eventFile, memoryMb, env);
        firsts.set(key, [...(firsts.get(key) ?? []), ms]);
        statuses.set(key, status);
      };
      for (let run = 0; run < RUNS; run++) {
        for (const entry of files) {
          const eventFile = events.get(entry.id) ?? '';
          await first(bare, bare, eventFile, entry.memoryMb);
          await first(entry.id, entry.bundled, eventFile, entry.memoryMb);
          await first(entry.arrows, entry.arrows, eventFile, entry.memoryMb);
        }
      }
    } finally {
      dynamo.close();
    }
    const kb = (file: string) => statSync(file).size / 1024;
    return {
      bareMs: median(times.get(bare) ?? []),
      bareNodeBareMs: median(times.get(`${bare} bare node`) ?? []),
      bareFirstMs: median(firsts.get(bare) ?? []),
      rows: files.map((entry) => ({
        id: entry.id,
        externalMs: median(times.get(entry.external) ?? []),
        bundledMs: median(times.get(entry.bundled) ?? []),
        mappedMs: median(times.get(`${entry.bundled} mapped`) ?? []),
        bareNodeMs: median(times.get(`${entry.bundled} bare node`) ?? []),
        arrowsKeptMs: median(times.get(entry.arrows) ?? []),
        externalKb: kb(entry.external),
        bundledKb: kb(entry.bundled),
        firstMs: median(firsts.get(entry.id) ?? []),
        firstStatus: statuses.get(entry.id) ?? 0,
        arrowsKeptFirstMs: median(firsts.get(entry.arrows) ?? []),
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const { bareMs, bareNodeBareMs, bareFirstMs, rows } = await measureColdStart();
  console.log(
    `\nCold import (fresh node as Lambda's runtime runs it: its bootstrap's node arguments for the function's memory, its\n` +
      `runtime client's modules loaded; median of ${RUNS}); bare handler ${bareMs.toFixed(1)} ms; target: within ${TARGET_MS} ms of it`,
  );
  console.log(
    `deployed: SDK ${SDK_BUNDLING}, source maps ${ENABLE_SOURCE_MAPS ? 'enabled' : 'not enabled'} (infra/bundling.ts); ` +
      `"plain node": the bundled one in a plain node (no arguments, nothing loaded), bare handler ${bareNodeBareMs.toFixed(1)} ms there;\n` +
      `"arrows kept": the bundled one without lowering its arrow functions (infra/bundling.ts, LOWERED_SYNTAX)`,
  );
  console.log(
    '  function             SDK external          SDK bundled           bundled + --enable-source-maps   bundled, plain node   bundled, arrows kept',
  );
  const cell = (msValue: number, kbValue?: number, base = bareMs) =>
    `${msValue.toFixed(1).padStart(6)} ms ${kbValue === undefined ? '        ' : `${kbValue.toFixed(0)} KB`.padStart(8)}${msValue - base > TARGET_MS ? '*' : ' '}`;
  for (const row of rows) {
    console.log(
      `  ${row.id.padEnd(20)} ${cell(row.externalMs, row.externalKb)}   ${cell(row.bundledMs, row.bundledKb)}   ` +
        `${cell(row.mappedMs)}          ${cell(row.bareNodeMs, undefined, bareNodeBareMs)}   ${cell(row.arrowsKeptMs)}`,
    );
  }
  console.log(`  * more than ${TARGET_MS} ms over the bare handler (in the same state)`);
  console.log(
    `\nFirst request: the deployed bundle imported and its handler called once (fresh node as Lambda runs it, median\n` +
      `of ${RUNS}; a DynamoDB stand-in on a local port answering as an empty table); bare handler ${bareFirstMs.toFixed(1)} ms`,
  );
  console.log('  function             import + first call   status   arrows kept');
  for (const row of rows) {
    console.log(
      `  ${row.id.padEnd(20)} ${cell(row.firstMs, undefined, bareFirstMs)}   ${row.firstStatus}      ` +
        `${cell(row.arrowsKeptFirstMs, undefined, bareFirstMs)}`,
    );
  }
  console.log(`  * more than ${TARGET_MS} ms over the bare handler's`);
}
