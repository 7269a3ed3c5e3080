import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { handlerBundle } from '../../infra/bundling.ts';

/**
 * The bundles take node:process from the global (functions/lib/process-global.ts). The stand-in exports only the names
 * the bundled modules import; a module that imported another would get undefined, so the build must fail instead.
 */

const work = mkdtempSync(join(tmpdir(), 'rendiconta-process-alias-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function bundleOf(source: string): Promise<string> {
  const entry = join(work, `entry-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(entry, source);
  const { alias } = handlerBundle('health');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    alias,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('node:process in the function bundles', () => {
  it('reads env and versions from the global, importing no node:process', async () => {
    const code = await bundleOf('import { env, versions } from "node:process"; export const both = [env, versions];');
    expect(code).not.toMatch(/["']node:process["']/);
    expect(code).toMatch(/process\.env/);
  });

  it('fails the build when a module imports a name the stand-in does not export', async () => {
    await expect(bundleOf('import { platform } from "node:process"; export const p = platform;')).rejects.toThrow(
      /No matching export.*platform/,
    );
  });
});
