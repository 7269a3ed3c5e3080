import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { startLocalStack } from '../../functions/local/stack.ts';
import { dynamoDbClient, tableName } from '../../functions/store/client.ts';
import { DynamoStore } from '../../functions/store/dynamo.ts';
import { dynamoDbRequestCounts, resetDynamoDbRequestCounts } from '../../functions/store/request-meter.ts';
import { validateSubmission } from '../../shared/checks/engine.ts';
import type { RegisteredAts } from '../../shared/checks/types.ts';
import { canonicalJson, sha256Hex } from '../../shared/contract/canonical.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { syntheticItaly } from '../../shared/demo/ats.ts';
import { DEMO_PERIOD, generateSubmission } from '../../shared/demo/generate.ts';
import { type HttpClient, httpClient } from '../functions/http-client.ts';
import { run as coldStart } from './coldstart.bench.ts';

/**
 * The backend's budget, measured against the local stack (DynamoDB Local on this 2-core machine):
 * - PUT and validate latency p50/p95 at 1, 8 and 32 concurrent clients (target: PUT p95 < 100 ms at 8 clients), with
 *   the CPU each call cost here and in DynamoDB Local, and the host's speed before and after;
 * - a consolidated read of a Region of 100 ATS (target < 1 s) and of every Region (~600 ATS);
 * - DynamoDB requests per operation (a consolidated read must not cost one request per ATS);
 * - each function's bundle and its cold import, the AWS SDK external and bundled (target: within 60 ms of a bare
 *   handler; the same section as `npm run bench -- coldstart`).
 */

const PERIOD = DEMO_PERIOD;
const REGION = '05';

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Each function's bundle as deployed and its cold import, the AWS SDK external against bundled (coldstart.bench.ts). */
async function bundles(): Promise<void> {
  await coldStart();
}

interface Clients {
  readonly client: HttpClient;
  readonly operator: (ats: string) => Promise<string>;
  readonly admin: string;
  readonly dynamoDbLocalPid: number | undefined;
}

/**
 * A process's CPU time in ms from /proc/<pid>/stat (utime + stime, in USER_HZ ticks of 10 ms); undefined where there
 * is no /proc. The bench's clients, the API and DynamoDB Local share this machine's cores, so a latency row means
 * little without knowing whether the cores were the limit.
 */
function procCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    const [user, system] = [Number(fields?.[11]), Number(fields?.[12])];
    return Number.isFinite(user) && Number.isFinite(system) ? (user + system) * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU spent per call by this process (the API and the bench's clients) and by DynamoDB Local, and cores kept busy. */
function cpuMeter(dynamoDbLocalPid: number | undefined): (calls: number) => string {
  const started = performance.now();
  const node = process.cpuUsage();
  const java = procCpuMs(dynamoDbLocalPid);
  return (calls) => {
    const elapsed = performance.now() - started;
    const { user, system } = process.cpuUsage(node);
    const nodeMs = (user + system) / 1000;
    const javaEnd = procCpuMs(dynamoDbLocalPid);
    const javaMs = java !== undefined && javaEnd !== undefined ? javaEnd - java : undefined;
    const busy = (nodeMs + (javaMs ?? 0)) / elapsed;
    return javaMs === undefined
      ? `${(nodeMs / calls).toFixed(1)}`.padStart(6)
      : `${(nodeMs / calls).toFixed(1).padStart(6)} + ${(javaMs / calls).toFixed(1).padStart(4)}  ${busy.toFixed(2).padStart(5)}`;
  };
}

/**
 * The same single-threaded work timed in-process, printed beside the latencies: this machine's speed changes by up to
 * 70% from one hour to the next, and runs can only be compared at the same speed.
 */
function hostSpeed(body: Submission): string {
  const comuni = loadComuni();
  const now = new Date();
  const batch = 20;
  const perValidation: number[] = [];
  for (let sample = 0; sample < 15; sample++) {
    const started = performance.now();
    for (let run = 0; run < batch; run++) validateSubmission(body, { comuni, now });
    perValidation.push((performance.now() - started) / batch);
  }
  return `one in-process validation of the bench's annual return takes ${percentile(perValidation, 50).toFixed(2)} ms (median of 15 batches)`;
}

async function timed(task: () => Promise<{ status: number }>, expected: number, into: number[]): Promise<void> {
  const started = performance.now();
  const response = await task();
  into.push(performance.now() - started);
  if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}`);
}

/**
 * Load applied before any latency is recorded, so what is measured is a warm service, as Lambda and DynamoDB are once
 * they have served their first minutes: V8 and DynamoDB Local's JVM both keep compiling their hot paths under load (the
 * JVM's C2 compiler most of all). Compilation follows the work done, not the clock, so the warm-up is a number of
 * PUTs: on this machine throughput stopped rising after 6,000-7,500 of them (45-50 s at its fast speed), and after a
 * 30-second warm-up DynamoDB Local still spent 4.8 ms of CPU a PUT where it settles at 3.5. Each 5-second window's
 * throughput is printed, so the plateau can be seen rather than assumed. Cold starts are measured apart (the bundles'
 * cold import). BENCH_WARM_UP_PUTS changes the count; the warm-up stops after WARM_UP_MAX_SECONDS in any case.
 */
const WARM_UP_PUTS = Number(process.env.BENCH_WARM_UP_PUTS ?? 10_000);
const WARM_UP_MAX_SECONDS = 240;
const WARM_UP_WINDOW_SECONDS = 5;

async function warmUp(
  clients: Clients,
  bodies: Map<string, Submission>,
  codes: readonly string[],
  versions: Map<string, number>,
) {
  const windows: string[] = [];
  const begun = performance.now();
  const until = begun + WARM_UP_MAX_SECONDS * 1000;
  let calls = 0;
  while (calls < WARM_UP_PUTS && performance.now() < until) {
    const started = performance.now();
    let inWindow = 0;
    while (performance.now() - started < WARM_UP_WINDOW_SECONDS * 1000 && calls + inWindow < WARM_UP_PUTS) {
      inWindow += (await load(clients, bodies, codes, versions, 8, 2, 'PUT')).length;
    }
    calls += inWindow;
    windows.push(`${Math.round(inWindow / ((performance.now() - started) / 1000))}/s`);
  }
  const seconds = Math.round((performance.now() - begun) / 1000);
  const validations = (await load(clients, bodies, codes, versions, 8, 20, 'validate')).length;
  console.log(
    `\nWarm-up: ${calls} PUT from 8 clients in ${seconds} s (PUT/s per ${WARM_UP_WINDOW_SECONDS}-second window: ${windows.join(', ')}), then ${validations} validate`,
  );
}

async function latencies(clients: Clients, bodies: Map<string, Submission>, codes: readonly string[]): Promise<void> {
  const versions = new Map<string, number>();
  await warmUp(clients, bodies, codes, versions);
  const reference = bodies.get(codes[0] ?? '');
  if (reference) console.log(`Host speed before the table: ${hostSpeed(reference)}`);
  console.log('Latency over HTTPS against DynamoDB Local, warm (target: PUT p95 < 100 ms at 8 clients)');
  console.log(
    `  clients  operation  requests      p50        p95   CPU ms per call: this process${procCpuMs(clients.dynamoDbLocalPid) === undefined ? '' : ' + DynamoDB Local, cores busy'}`,
  );
  for (const concurrency of [1, 8, 32]) {
    // 480 calls per row, several seconds of load: one collector pause delays every call in flight at that moment,
    // and over a window this long such pauses weigh in as often as they occur rather than deciding the p95 alone.
    const perClient = Math.max(4, Math.round(480 / concurrency));
    for (const operation of ['PUT', 'validate'] as const) {
      const cpu = cpuMeter(clients.dynamoDbLocalPid);
      const times = await load(clients, bodies, codes, versions, concurrency, perClient, operation);
      console.log(
        `  ${String(concurrency).padStart(7)}  ${operation.padEnd(9)}  ${String(times.length).padStart(8)}  ${ms(percentile(times, 50)).padStart(9)}  ${ms(percentile(times, 95)).padStart(9)}   ${cpu(times.length)}`,
      );
    }
  }
  if (reference) console.log(`Host speed after the table: ${hostSpeed(reference)}`);
  console.log(`  (${availableParallelism()} cores here; "this process" is the API and the bench's clients together)`);
}

/** `concurrency` clients, one ATS each, each making `perClient` calls one after the other; returns every latency. */
async function load(
  clients: Clients,
  bodies: Map<string, Submission>,
  codes: readonly string[],
  versions: Map<string, number>,
  concurrency: number,
  perClient: number,
  operation: 'PUT' | 'validate',
): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    codes.slice(0, concurrency).map(async (ats) => {
      const token = await clients.operator(ats);
      const body = bodies.get(ats);
      if (!body) throw new Error(`no body for ${ats}`);
      // Serialised once, outside the timings: the clients share this process's event loop with the server.
      const { comment: _previousComment, ...envelope } = body;
      const serialized = JSON.stringify(envelope);
      for (let index = 0; index < perClient; index++) {
        if (operation === 'validate') {
          await timed(
            () => clients.client.send('/v1/validate', { method: 'POST', token, body: serialized }),
            200,
            times,
          );
          continue;
        }
        const current = versions.get(ats) ?? 0;
        const comment = current > 0 ? JSON.stringify(`Invio di prova ${current + 1}`) : 'null';
        const payload = `${serialized.slice(0, -1)},"comment":${comment}}`;
        await timed(
          () =>
            clients.client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, {
              method: 'PUT',
              token,
              headers: {
                'idempotency-key': `bench-${ats}-${current + 1}-${Date.now()}`,
                ...(current > 0 ? { 'if-match': String(current) } : {}),
              },
              body: payload,
            }),
          201,
          times,
        );
        versions.set(ats, current + 1);
      }
    }),
  );
  return times;
}

/** Every page of a Region's consolidated view (contract v1.1: pages of whole ATS under 5 MB), as one call. */
async function consolidatedPages(
  client: HttpClient,
  region: string,
  token: string,
): Promise<{ status: number; text: string; pages: number; ats: number }> {
  const url = `/v1/regions/${region}/consolidated?period=${PERIOD}`;
  let next: string | undefined;
  let pages = 0;
  let ats = 0;
  do {
    const response = await client.send(next === undefined ? url : `${url}&pageToken=${encodeURIComponent(next)}`, {
      token,
    });
    pages += 1;
    if (response.status !== 200) return { status: response.status, text: response.text, pages, ats };
    const body = response.json() as { nextPageToken?: string; ats: unknown[] };
    if (pages === 1) ats = body.ats.length;
    next = body.nextPageToken;
  } while (next !== undefined);
  return { status: 200, text: '', pages, ats };
}

async function countRequests(label: string, task: () => Promise<{ status: number; text: string }>): Promise<void> {
  resetDynamoDbRequestCounts();
  const started = performance.now();
  const response = await task();
  const elapsed = performance.now() - started;
  const counts = dynamoDbRequestCounts();
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const detail = Object.entries(counts)
    .map(([name, count]) => `${name.replace('Command', '')}×${count}`)
    .join(', ');
  console.log(
    `  ${label.padEnd(44)} ${String(response.status).padStart(3)}  ${ms(elapsed).padStart(10)}  ${String(total).padStart(3)} requests (${detail})`,
  );
}

/** What DynamoDB Local itself costs here, to read the PUT figures against: a PutItem and a 4-item transaction. */
async function baseline(): Promise<void> {
  const client = dynamoDbClient();
  const table = tableName();
  const put: number[] = [];
  const transaction: number[] = [];
  const item = (pk: string) => ({ PK: pk, SK: 'X', data: 'x'.repeat(2000) });
  for (let index = 0; index < 30; index++) {
    let started = performance.now();
    await client.send(new PutCommand({ TableName: table, Item: item(`BENCH#${index}`) }));
    put.push(performance.now() - started);
    started = performance.now();
    await client.send(
      new TransactWriteCommand({
        TransactItems: [0, 1, 2, 3].map((part) => ({
          Put: {
            TableName: table,
            Item: item(`BENCH#${index}#${part}`),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        })),
      }),
    );
    transaction.push(performance.now() - started);
  }
  console.log('\nDynamoDB Local on this machine (context for the PUT figures; AWS answers these in ~5–20 ms)');
  console.log(`  PutItem p50 ${ms(percentile(put, 50))}, p95 ${ms(percentile(put, 95))}`);
  console.log(
    `  TransactWriteItems of 4 items p50 ${ms(percentile(transaction, 50))}, p95 ${ms(percentile(transaction, 95))}`,
  );
}

export async function run(): Promise<void> {
  await bundles();

  const dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-bench-'));
  const stack = await startLocalStack({ port: 0, dataDir, seed: false, quiet: true });
  const client = httpClient(stack.apiUrl, stack.caCertPath);
  try {
    const comuni = loadComuni();
    const italy = syntheticItaly(comuni);
    const veneto = italy.filter((entry) => entry.ats.startsWith(`ATS-${REGION}-`));
    // A Region of 100 ATS: Veneto's synthetic ATS, then more made from its comuni until there are 100.
    const region100: RegisteredAts[] = [];
    for (let index = 0; region100.length < 100; index++) {
      const base = veneto[index % veneto.length];
      if (!base) break;
      region100.push({ ...base, ats: `ATS-${REGION}-${String(index + 1).padStart(3, '0')}` });
    }
    const admin = await stack.token({ sub: 'bench-admin', groups: ['national-admin'] });
    const tokens = new Map<string, string>();
    const operator = async (ats: string) => {
      const known = tokens.get(ats);
      if (known) return known;
      const token = await stack.token({ sub: `bench-${ats}`, groups: ['ats-operator'], ats });
      tokens.set(ats, token);
      return token;
    };
    const clients: Clients = { client, operator, admin, dynamoDbLocalPid: stack.dynamoDbLocalPid };

    console.log(`\nPreparing: ${region100.length} ATS in Regione ${REGION}, ${italy.length} synthetic ATS in Italy…`);
    const store = new DynamoStore();
    const bodies = new Map<string, Submission>();
    for (const entry of region100) {
      await store.putRegistration(REGION, entry, 'bench');
      const generated = generateSubmission({ ats: entry, regionCode: REGION, comuni, period: PERIOD, seed: 1 });
      bodies.set(entry.ats, generated);
    }
    // Every other Region's ATS, stored straight through the store (their checks are not what is measured here).
    let stored = 0;
    for (const entry of italy.filter((item) => !item.ats.startsWith(`ATS-${REGION}-`))) {
      const region = entry.ats.slice(4, 6);
      await store.putRegistration(region, entry, 'bench');
      const body = generateSubmission({ ats: entry, regionCode: region, comuni, period: PERIOD, seed: 1 });
      const canonical = canonicalJson(body);
      const sha256 = await sha256Hex(canonical);
      const receivedAt = new Date().toISOString();
      const version = {
        ats: entry.ats,
        period: PERIOD,
        version: 1,
        sha256,
        receivedAt,
        template: body.template,
        templateVersion: body.templateVersion,
        findings: [],
        errors: 0,
        warnings: 0,
        comment: null,
        submittedBy: 'bench',
        clientVersion: 'bench',
        summary: null,
        body: canonical,
      };
      await store.commitVersion({
        version,
        expectedVersion: null,
        idempotency: {
          scope: `bench#${entry.ats}`,
          requestHash: sha256,
          receipt: {
            ats: entry.ats,
            period: PERIOD,
            template: body.template,
            templateVersion: body.templateVersion,
            version: 1,
            sha256,
            receivedAt,
            status: 'SUBMITTED',
            findings: [],
          },
        },
        audit: {
          ats: entry.ats,
          at: receivedAt,
          who: 'bench',
          groups: [],
          what: 'SUBMIT',
          period: PERIOD,
          version: 1,
          sha256,
          clientVersion: 'bench',
        },
      });
      stored++;
    }
    const codes = region100.map((entry) => entry.ats);
    await baseline();
    await latencies(clients, bodies, codes);

    // Every ATS of the Region gets a current version (the first 32 have several already).
    for (const ats of codes.slice(32)) {
      const response = await client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, {
        method: 'PUT',
        token: await operator(ats),
        headers: { 'idempotency-key': `bench-fill-${ats}` },
        body: JSON.stringify(bodies.get(ats)),
      });
      if (response.status !== 201) throw new Error(`fill ${ats}: ${response.status} ${response.text.slice(0, 200)}`);
    }

    console.log('\nConsolidated reads (target: a Region of 100 ATS under 1 s, DynamoDB requests not one per ATS)');
    const consolidatedTimes: number[] = [];
    let pageCount = 0;
    for (let run = 0; run < 5; run++) {
      await timed(
        async () => {
          const result = await consolidatedPages(client, REGION, admin);
          pageCount = result.pages;
          return result;
        },
        200,
        consolidatedTimes,
      );
    }
    console.log(
      `  Regione ${REGION}, 100 ATS, all ${pageCount} pages: median ${ms(percentile(consolidatedTimes, 50))}, max ${ms(Math.max(...consolidatedTimes))}`,
    );
    const storeTimes: number[] = [];
    for (let run = 0; run < 5; run++) {
      const begun = performance.now();
      await store.listCurrentByRegion(REGION, PERIOD);
      storeTimes.push(performance.now() - begun);
    }
    console.log(`    of which the Query of 100 current pointers (no bodies): median ${ms(percentile(storeTimes, 50))}`);
    const regions = [...new Set(italy.map((entry) => entry.ats.slice(4, 6)))].sort();
    const started = performance.now();
    let atsSeen = 0;
    for (const region of regions) {
      const response = await consolidatedPages(client, region, admin);
      if (response.status !== 200) throw new Error(`consolidated ${region}: ${response.status}`);
      atsSeen += response.ats;
    }
    console.log(
      `  every Region (${regions.length} Regions, ${atsSeen} ATS, one after the other): ${ms(performance.now() - started)} (${stored} stored directly)`,
    );

    console.log('\nDynamoDB requests per operation');
    const ats = codes[0] ?? 'ATS-05-001';
    const token = await operator(ats);
    const current = (await client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, { token })).json() as {
      currentVersion: number;
    };
    await countRequests('PUT (replacing the current version)', () =>
      client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, {
        method: 'PUT',
        token,
        headers: { 'idempotency-key': `bench-count-${Date.now()}`, 'if-match': String(current.currentVersion) },
        body: JSON.stringify({ ...bodies.get(ats), comment: 'Conteggio richieste' }),
      }),
    );
    await countRequests('validate (with the previous period lookup)', () =>
      client.send('/v1/validate', { method: 'POST', token, body: JSON.stringify(bodies.get(ats)) }),
    );
    // The history is listed in full: a typical ATS has a few versions a period, the bench's busiest hundreds.
    const fewVersions = codes[codes.length - 1] ?? ats;
    await countRequests('GET submission (current, 1 version)', async () =>
      client.send(`/v1/ats/${fewVersions}/submissions/${PERIOD}`, { token: await operator(fewVersions) }),
    );
    await countRequests(`GET submission (current, ${current.currentVersion + 1} versions)`, () =>
      client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, { token }),
    );
    await countRequests('GET audit', () => client.send(`/v1/ats/${ats}/audit`, { token }));
    await countRequests(`consolidated, Regione ${REGION} (100 ATS, all pages)`, () =>
      consolidatedPages(client, REGION, admin),
    );
    const small = regions.find((region) => region !== REGION) ?? '01';
    await countRequests(
      `consolidated, Regione ${small} (${italy.filter((entry) => entry.ats.slice(4, 6) === small).length} ATS)`,
      () => consolidatedPages(client, small, admin),
    );
  } finally {
    client.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
