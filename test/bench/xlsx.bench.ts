import { execFile } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { writeBigXlsx } from '../cli/support/big-workbook.ts';
import { tempDir } from '../cli/support/workbooks.ts';
import { spending, validSubmission } from '../support/builders.ts';

/**
 * `rendiconta valida` on 10,000 and 100,000 spending rows in one sheet (T5), read from disk through the streaming
 * reader. Each validation runs in a child process of its own so its peak RSS is its own:
 * - "valida": the validation itself inside the child (read, guard, streaming read, every check, bounded report);
 * - "command": the whole `rendiconta valida` command under /usr/bin/time -v (Node and tsx start-up included).
 * LibreOffice's load time of the same file (headless conversion of the file minus that of a one-sheet file, so the
 * start-up is not counted) is printed beside it for comparison.
 * Targets: 100,000 rows in under 5 s and 300 MB RSS, and faster than LibreOffice loads them; 10,000 rows under 1 s.
 * The CPU time is printed beside the wall time: on a machine shared with other work, the wall time measures the load.
 */

const exec = promisify(execFile);
const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..', '..');

interface ChildFigures {
  readonly milliseconds: number;
  readonly cpuMilliseconds: number;
  readonly maxRssBytes: number;
  readonly rssBeforeBytes: number;
  readonly rows: number;
  readonly errors: number;
  readonly warnings: number;
  readonly shown: number;
}

const mb = (bytes: number): string => `${Math.round(bytes / 1048576)} MB`;
const seconds = (milliseconds: number): string => `${(milliseconds / 1000).toFixed(2)} s`;

async function validaInChild(path: string): Promise<ChildFigures> {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', join(here, 'xlsx-valida-child.ts'), path], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildFigures;
}

/** The whole command under /usr/bin/time -v: wall time and maximum resident set size. */
async function commandUnderTime(path: string): Promise<Timed & { maxRssBytes: number }> {
  const start = performance.now();
  const result = await exec(
    '/usr/bin/time',
    ['-v', process.execPath, join(root, 'bin', 'rendiconta.mjs'), 'valida', path],
    {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    },
  ).catch((error: { stdout: string; stderr: string; code?: number }) => {
    // Exit status 1 means "the file has errors": the report was printed, which is what is measured.
    if (error.code !== 1) throw error;
    return error;
  });
  const wall = performance.now() - start;
  const kilobytes = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1];
  return { wall, cpu: cpuOf(result.stderr), maxRssBytes: Number(kilobytes ?? 0) * 1024 };
}

interface Timed {
  /** Wall time, milliseconds. */
  readonly wall: number;
  /** User and system CPU time of the process and its children, milliseconds (from /usr/bin/time -v). */
  readonly cpu: number;
}

const cpuOf = (timeReport: string): number =>
  ['User time', 'System time'].reduce((total, label) => {
    const value = new RegExp(`${label} \\(seconds\\): ([\\d.]+)`).exec(timeReport)?.[1];
    return total + Number(value ?? 0) * 1000;
  }, 0);

/** LibreOffice converting one file to CSV (the first sheet), start-up included, under /usr/bin/time -v. */
async function libreOfficeConvert(path: string, profile: string, outDir: string): Promise<Timed> {
  const start = performance.now();
  const { stderr } = await exec(
    '/usr/bin/time',
    [
      '-v',
      'soffice',
      `-env:UserInstallation=${pathToFileURL(profile).href}`,
      '--headless',
      '--norestore',
      '--nolockcheck',
      '--convert-to',
      'csv',
      '--outdir',
      outDir,
      path,
    ],
    { timeout: 600_000 },
  );
  return { wall: performance.now() - start, cpu: cpuOf(stderr) };
}

export async function run(): Promise<void> {
  const dir = tempDir('rendiconta-bench-xlsx-');
  try {
    const profile = join(dir.path, 'lo-profile');
    mkdirSync(profile);
    const small = join(dir.path, 'one-row.xlsx');
    await writeBigXlsx(small, { base: validSubmission({ T5: [] }), sheet: 'T5', rows: 1, row: () => spending() });
    // A first conversion creates LibreOffice's profile; the second is the start-up baseline.
    await libreOfficeConvert(small, profile, join(dir.path, 'lo-warm'));
    const baseline = await libreOfficeConvert(small, profile, join(dir.path, 'lo-small'));
    console.log(
      `LibreOffice start-up and a one-row workbook: ${seconds(baseline.wall)} wall, CPU ${seconds(baseline.cpu)}`,
    );

    for (const rows of [10_000, 100_000]) {
      const path = join(dir.path, `ambito-${rows}-righe.xlsx`);
      await writeBigXlsx(path, {
        base: validSubmission({ T5: [] }),
        sheet: 'T5',
        rows,
        row: (index) =>
          spending({
            ANNUALITA: 2016 + (index % 10),
            IMPEGNATO: 1000 + index,
            LIQUIDATO: 500 + index,
            DI_CUI_PERSONALE: null,
          }),
      });
      const size = statSync(path).size;
      console.log(`\n${rows.toLocaleString('en')} rows in T5: ${(size / 1048576).toFixed(1)} MB on disk`);
      const child = await validaInChild(path);
      console.log(
        `valida (in its own process, from disk): ${seconds(child.milliseconds)} (CPU ${seconds(child.cpuMilliseconds)}), peak RSS ${mb(child.maxRssBytes)} (${mb(child.rssBeforeBytes)} before reading); ${child.rows} rows, ${child.errors} errors, ${child.warnings} warnings, ${child.shown} findings shown`,
      );
      const command = await commandUnderTime(path);
      console.log(
        `command \`rendiconta valida\` under /usr/bin/time -v: ${seconds(command.wall)} wall, CPU ${seconds(command.cpu)}, max RSS ${mb(command.maxRssBytes)}`,
      );
      const libreOffice = await libreOfficeConvert(path, profile, join(dir.path, `lo-${rows}`));
      console.log(
        `LibreOffice headless, open and convert to CSV: ${seconds(libreOffice.wall)} wall, CPU ${seconds(libreOffice.cpu)}; over the one-row workbook ≈ ${seconds(libreOffice.wall - baseline.wall)} wall, CPU ${seconds(libreOffice.cpu - baseline.cpu)}`,
      );
      console.log(
        `target ${rows === 100_000 ? 'under 5 s and 300 MB, faster than LibreOffice' : 'under 1 s'}: valida ${seconds(child.milliseconds)} wall (CPU ${seconds(child.cpuMilliseconds)}), ${mb(child.maxRssBytes)}; LibreOffice's load ≈ ${seconds(libreOffice.wall - baseline.wall)} wall (CPU ${seconds(libreOffice.cpu - baseline.cpu)})`,
      );
    }
  } finally {
    dir.dispose();
  }
}
