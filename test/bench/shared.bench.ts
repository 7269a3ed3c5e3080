import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { loadComuni, referenceDataDir } from '../../functions/lib/reference-data.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import {
  DEMO_PERIOD,
  demoNow,
  generatePreviousPeriod,
  generateSubmission,
  rowCount,
} from '../../shared/demo/generate.ts';
import { type RegisteredAts, type Submission, validateSubmission } from '../../shared/index.ts';

/**
 * The shared code's budget: validating 1,000, 10,000 and 100,000 rows (target: 100,000 in under 1 s on this 2-core
 * machine, and 10× the rows for at most 11× the time), and the size of the shared code bundled for a Lambda (target
 * under 150 KB minified; the ISTAT reference data ships beside it and is reported apart).
 */

const SIZES = [1_000, 10_000, 100_000] as const;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

interface Sample {
  readonly wall: number[];
  readonly cpu: number[];
}

function sampleOnce(task: () => unknown, into: Sample): void {
  const startCpu = process.cpuUsage();
  const start = performance.now();
  task();
  into.wall.push(performance.now() - start);
  const used = process.cpuUsage(startCpu);
  into.cpu.push((used.user + used.system) / 1000);
}

interface SizeResult {
  readonly rows: number;
  readonly findings: number;
  readonly alone: Timing;
  readonly withPrevious: Timing;
}

interface Input {
  readonly submission: Submission;
  readonly previous: Submission;
}

/** Every input is built before anything is timed, so each size is measured on the same settled heap. */
function inputsFor(rows: number): Input {
  const options = { ats: atsOfVeneto(), regionCode: '05', comuni: loadComuni(), period: DEMO_PERIOD, seed: 1, rows };
  return { submission: generateSubmission(options), previous: generatePreviousPeriod(options) };
}

function atsOfVeneto(): RegisteredAts {
  const ats = syntheticRegion('05', loadComuni())[0];
  if (!ats) throw new Error('No synthetic ATS in Veneto');
  return ats;
}

/** Rounds of the largest size; smaller sizes get as many calls per round as make up the same number of rows. */
const ROUNDS = 11;

/**
 * Median wall-clock and CPU time per size, alone and with the previous period. The sizes are interleaved round by
 * round, so a slow moment of the machine touches all of them instead of skewing the ratio between two sizes, after
 * at least half a second of warm-up calls, so the optimiser and the heap have settled. CPU time is what load on a
 * shared machine distorts least.
 */
function timeValidations(inputs: readonly Input[]): SizeResult[] {
  const comuni = loadComuni();
  const ats = atsOfVeneto();
  const now = demoNow(DEMO_PERIOD);
  const largest = Math.max(...inputs.map(({ submission }) => rowCount(submission)));
  const cases = inputs.map(({ submission, previous }) => ({
    rows: rowCount(submission),
    callsPerRound: Math.max(1, Math.round(largest / rowCount(submission) / 10)),
    alone: () => validateSubmission(submission, { comuni, registered: ats, now }),
    // The previous period is read (normalised) on every call, as the API does: it doubles the reading work.
    withPrevious: () => validateSubmission(submission, { comuni, previous, registered: ats, now }),
    findings: validateSubmission(submission, { comuni, previous, registered: ats, now }),
    samples: { alone: { wall: [], cpu: [] } as Sample, withPrevious: { wall: [], cpu: [] } as Sample },
  }));
  const warmUntil = performance.now() + 500;
  for (let warm = 0; warm < 3 || performance.now() < warmUntil; warm++) {
    for (const entry of cases) {
      entry.alone();
      entry.withPrevious();
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of cases) {
      for (let call = 0; call < entry.callsPerRound; call++) {
        sampleOnce(entry.alone, entry.samples.alone);
        sampleOnce(entry.withPrevious, entry.samples.withPrevious);
      }
    }
  }
  const timing = ({ wall, cpu }: Sample): Timing => ({ wall: median(wall), cpu: median(cpu) });
  return cases.map((entry) => ({
    rows: entry.rows,
    findings: entry.findings.ok ? entry.findings.findings.length : -1,
    alone: timing(entry.samples.alone),
    withPrevious: timing(entry.samples.withPrevious),
  }));
}

async function bundleSize(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'shared-bench-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `import { validateSubmission, validateRegion, parseComuniCsv, submissionJsonSchema, LEPS_ATS } from ${JSON.stringify(join(root, 'shared', 'index.ts'))};`,
        'export const handler = (body: unknown, csv: string) => {',
        '  const comuni = parseComuniCsv(csv);',
        '  return { outcome: validateSubmission(body, { comuni }), region: validateRegion({ region: "05", period: "2025-12-31", submissions: [], registered: [], comuni }), schema: submissionJsonSchema(LEPS_ATS) };',
        '};',
      ].join('\n'),
    );
    const outfile = join(dir, 'out.mjs');
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      external: ['@aws-sdk/*'],
      outfile,
      logLevel: 'silent',
    });
    return statSync(outfile).size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

const perSecond = (rows: number, milliseconds: number): string =>
  Math.round(rows / (milliseconds / 1000))
    .toLocaleString('en-US')
    .padStart(9);

export async function run(): Promise<void> {
  const results = timeValidations(SIZES.map(inputsFor));
  console.log(
    'validateSubmission with the ISTAT list and the registered composition; sizes interleaved, median after ≥ 0.5 s of warm-up.',
  );
  console.log('        rows | alone: wall ms  cpu ms    rows/s(cpu) | + previous period: wall ms  cpu ms | findings');
  for (const result of results) {
    console.log(
      `  ${String(result.rows).padStart(10)} | ${result.alone.wall.toFixed(1).padStart(13)} ${result.alone.cpu.toFixed(1).padStart(7)} ${perSecond(result.rows, result.alone.cpu)}      | ${result.withPrevious.wall.toFixed(1).padStart(25)} ${result.withPrevious.cpu.toFixed(1).padStart(7)} | ${result.findings}`,
    );
  }
  const [small, medium, large] = results;
  if (small && medium && large) {
    const ratio = (a: Timing, b: Timing): string =>
      `${(b.cpu / a.cpu).toFixed(2)}× cpu, ${(b.wall / a.wall).toFixed(2)}× wall`;
    console.log(`  time ratio 1k→10k:   ${ratio(small.alone, medium.alone)} (target ≤ 11×)`);
    console.log(`  time ratio 10k→100k: ${ratio(medium.alone, large.alone)} (target ≤ 11×)`);
    console.log(
      `  100k rows: ${large.alone.cpu.toFixed(0)} ms cpu, ${large.alone.wall.toFixed(0)} ms wall alone; ${large.withPrevious.cpu.toFixed(0)} ms cpu with the previous period (target < 1000 ms)`,
    );
  }
  const bytes = await bundleSize();
  console.log(`shared code bundled for a Lambda (esm, minified, @aws-sdk external): ${kb(bytes)} (target < 150 KB)`);
  const csv = statSync(join(referenceDataDir(), 'comuni_italia_2025.csv')).size;
  console.log(`reference data loaded separately: comuni_italia_2025.csv ${kb(csv)}`);
}
