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
import { validateSubmission } from '../../shared/index.ts';

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

/** Median wall-clock and CPU time of `runs` calls after two warm-up calls. CPU time is what load on a shared machine
 * distorts least. */
function measure(runs: number, task: () => unknown): Timing {
  for (let warm = 0; warm < 2; warm++) task();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    task();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

interface SizeResult {
  readonly rows: number;
  readonly findings: number;
  readonly alone: Timing;
  readonly withPrevious: Timing;
}

function timeValidation(rows: number): SizeResult {
  const comuni = loadComuni();
  const ats = syntheticRegion('05', comuni)[0];
  if (!ats) throw new Error('No synthetic ATS in Veneto');
  const options = { ats, regionCode: '05', comuni, period: DEMO_PERIOD, seed: 1, rows };
  const submission = generateSubmission(options);
  const previous = generatePreviousPeriod(options);
  const now = demoNow(DEMO_PERIOD);
  const runs = rows >= 100_000 ? 5 : 9;
  const outcome = validateSubmission(submission, { comuni, previous, registered: ats, now });
  return {
    rows: rowCount(submission),
    findings: outcome.ok ? outcome.findings.length : -1,
    alone: measure(runs, () => validateSubmission(submission, { comuni, registered: ats, now })),
    // The previous period is read (normalised) on every call, as the API does: it doubles the reading work.
    withPrevious: measure(runs, () => validateSubmission(submission, { comuni, previous, registered: ats, now })),
  };
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
  const results = SIZES.map(timeValidation);
  console.log('validateSubmission with the ISTAT list and the registered composition; median after two warm-up runs.');
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
