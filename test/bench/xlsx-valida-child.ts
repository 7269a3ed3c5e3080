import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { validateWorkbook } from '../../cli/commands/valida.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { NOW } from '../support/builders.ts';

/**
 * Run by xlsx.bench.ts in a child process of its own, so the peak RSS is this validation's alone: `valida`'s work on
 * one file from disk (read, guard, streaming read, every check, the bounded report). Prints one JSON line.
 */
const path = process.argv[2];
if (!path) throw new Error('usage: xlsx-valida-child.ts <file.xlsx>');
loadComuni();
const before = process.resourceUsage().maxRSS;
const cpuBefore = process.cpuUsage();
const start = performance.now();
const report = await validateWorkbook(await readFile(path), { now: NOW });
const milliseconds = performance.now() - start;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({
    milliseconds,
    cpuMilliseconds: (cpu.user + cpu.system) / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBeforeBytes: before * 1024,
    rows: report.rows,
    errors: report.errors,
    warnings: report.warnings,
    shown: report.findings.length,
  })}\n`,
);
