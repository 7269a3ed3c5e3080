import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.ts';
import { dataFileCommands, ROUTES_WITH_TEMPLATE_FILES } from '../../infra/constructs/api.ts';
import { REPO_ROOT } from '../../infra/paths.ts';

/** Runs a route's afterBundling commands the way NodejsFunction does: joined with &&, in a shell. */
function runHooks(routeId: string, inputDir: string, outputDir: string): void {
  const route = ROUTES.find((r) => r.id === routeId);
  if (!route) throw new Error(routeId);
  const commands = dataFileCommands(route, inputDir, outputDir);
  if (commands.length > 0) execFileSync('bash', ['-c', commands.join(' && ')]);
}

let work: string;
let input: string;
let output: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'rendiconta-hooks-'));
  input = join(work, 'repo');
  output = join(work, 'bundle');
  mkdirSync(output);
  cpSync(join(REPO_ROOT, 'shared', 'reference', 'data'), join(input, 'shared', 'reference', 'data'), {
    recursive: true,
  });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('files copied into the bundles', () => {
  it('names only routes that exist', () => {
    for (const id of ROUTES_WITH_TEMPLATE_FILES) expect(ROUTES.map((route) => route.id)).toContain(id);
  });

  it('puts the ISTAT list and its attribution into the bundle of a route that reads it', () => {
    runHooks('validate', input, output);
    expect(readdirSync(join(output, 'reference')).sort()).toEqual(['ATTRIBUTION.md', 'comuni_italia_2025.csv']);
  });

  it('puts the built .xlsx templates, and only them, into the getTemplate bundle', () => {
    mkdirSync(join(input, 'dist', 'templates'), { recursive: true });
    writeFileSync(join(input, 'dist', 'templates', 'LEPS-ATS-2025.1.xlsx'), 'xlsx');
    writeFileSync(join(input, 'dist', 'templates', 'notes.txt'), 'not a template');
    runHooks('getTemplate', input, output);
    expect(readdirSync(output)).toEqual(['templates']);
    expect(readdirSync(join(output, 'templates'))).toEqual(['LEPS-ATS-2025.1.xlsx']);
  });

  it('copies nothing when the templates are not built, and nothing into routes that read no file', () => {
    runHooks('getTemplate', input, output);
    runHooks('health', input, output);
    expect(readdirSync(output)).toEqual([]);
  });
});
