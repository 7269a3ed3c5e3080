import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { type HttpClient, type HttpResponse, httpClient } from '../functions/http-client.ts';

/**
 * The worst body issue #17 found (contract v1.1, "Bounded findings"): 400,000 empty rows, about 1.2 MB of JSON, every
 * row missing every required column. Against the local stack in a process of its own, it prints for validate and for
 * PUT: the time, the status, the response's size and findings, the API process's peak RSS, and the latency of
 * GET /v1/health asked every 20 ms while the request runs (does the API keep answering?).
 */

const here = dirname(fileURLToPath(import.meta.url));
const PERIOD = '2025-12-31';
/** The intake's limit is 200,000 rows a sheet: two sheets of empty rows. */
const ROWS_PER_SHEET = 200_000;
const HEALTH_EVERY_MS = 20;

function worstCaseBody(): string {
  const rows = `[${Array.from({ length: ROWS_PER_SHEET }, () => '{}').join(',')}]`;
  return `{"template":"${LEPS_ATS.id}","templateVersion":"${LEPS_ATS.version}","ats":"ATS-05-001","period":"${PERIOD}","sheets":{"T3":${rows},"T5":${rows}}}`;
}

/** The peak resident set of a process so far (Linux's VmHWM), in bytes. */
function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmHWM:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) * 1024;
}

/**
 * A process's CPU time so far (user + system, /proc/<pid>/stat in 10 ms ticks), in ms: on a loaded machine the wall
 * time says little, the CPU the API spent says what the request cost.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The machine's 1-minute load average, for reading the wall times. */
function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** GET /v1/health in a loop until `done` resolves: each answer's latency, and the longest wait for one. */
async function healthDuring<T>(
  client: HttpClient,
  task: Promise<T>,
): Promise<{ result: T; latencies: number[]; failures: string[] }> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let finished = false;
  const result = task.finally(() => {
    finished = true;
  });
  const probe = (async () => {
    while (!finished) {
      const started = performance.now();
      try {
        const response = await client.send('/v1/health');
        if (response.status === 200) latencies.push(performance.now() - started);
        else failures.push(`${response.status} after ${ms(performance.now() - started)}`);
      } catch (error) {
        failures.push(`${(error as NodeJS.ErrnoException).code ?? 'error'} after ${ms(performance.now() - started)}`);
      }
      await sleep(HEALTH_EVERY_MS);
    }
  })();
  const [value] = await Promise.all([result, probe]);
  return { result: value, latencies, failures };
}

interface Measured {
  readonly response: HttpResponse;
  readonly milliseconds: number;
  readonly cpuMilliseconds: number;
}

async function timedSend(
  pid: number,
  client: HttpClient,
  path: string,
  options: Parameters<HttpClient['send']>[1],
): Promise<Measured> {
  const cpu = cpuMs(pid);
  const started = performance.now();
  const response = await client.send(path, options);
  return { response, milliseconds: performance.now() - started, cpuMilliseconds: cpuMs(pid) - cpu };
}

function describeAnswer(
  label: string,
  measured: Measured,
  health: { readonly latencies: readonly number[]; readonly failures: readonly string[] },
  rss: number,
): void {
  const { latencies, failures } = health;
  const { response } = measured;
  const body = response.json() as {
    findings?: unknown[];
    summary?: { errors?: number; warnings?: number; truncated?: boolean };
    error?: { code?: string };
  };
  const summary = body.summary;
  console.log(
    `  ${label}: ${response.status}${body.error?.code ? ` ${body.error.code}` : ''} in ${ms(measured.milliseconds)} (API CPU ${ms(measured.cpuMilliseconds)}, load ${loadAverage()}); response ${mb(response.body.byteLength)}, ${body.findings?.length ?? 0} findings shown of ${(summary?.errors ?? 0) + (summary?.warnings ?? 0)} (truncated: ${summary?.truncated ?? false}); API peak RSS ${mb(rss)}`,
  );
  console.log(
    `    /v1/health meanwhile: ${latencies.length} answers, median ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, longest ${ms(Math.max(0, ...latencies))}${failures.length > 0 ? `; ${failures.length} failed (${failures.slice(0, 3).join(', ')})` : ''}`,
  );
}

export async function run(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'functions-worst-case-stack.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the stack's process ended (${code})`)));
    });
    const { apiUrl, caCertPath, operator } = JSON.parse(first) as {
      apiUrl: string;
      caCertPath: string;
      operator: string;
    };
    const pid = child.pid as number;
    // Two connections pools: the probe's answers must not queue behind the big request on one socket.
    const client = httpClient(apiUrl, caCertPath);
    const prober = httpClient(apiUrl, caCertPath);
    try {
      const body = worstCaseBody();
      console.log(
        `\nWorst case (issue #17): ${(2 * ROWS_PER_SHEET).toLocaleString('en')} empty rows, ${mb(Buffer.byteLength(body))} of JSON`,
      );
      // The first request of each handler pays its imports and the ISTAT list: not the worst case's cost.
      await client.send('/v1/validate', { method: 'POST', token: operator, body: '{}' });
      const idle: number[] = [];
      for (let index = 0; index < 20; index++) {
        const started = performance.now();
        await client.send('/v1/health');
        idle.push(performance.now() - started);
      }
      console.log(`  /v1/health idle: median ${ms(percentile(idle, 50))}, longest ${ms(Math.max(...idle))}`);
      console.log(`  API RSS peak before: ${mb(peakRss(pid))}`);

      const validate = await healthDuring(
        prober,
        timedSend(pid, client, '/v1/validate', { method: 'POST', token: operator, body }),
      );
      describeAnswer('validate', validate.result, validate, peakRss(pid));

      const put = await healthDuring(
        prober,
        timedSend(pid, client, `/v1/ats/ATS-05-001/submissions/${PERIOD}`, {
          method: 'PUT',
          token: operator,
          headers: { 'idempotency-key': `bench-worst-case-${Date.now()}` },
          body,
        }),
      );
      describeAnswer('PUT', put.result, put, peakRss(pid));
    } finally {
      client.close();
      prober.close();
    }
  } finally {
    child.stdin?.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
