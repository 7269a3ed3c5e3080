import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES, BUNDLES, type BuildResult, buildAddin, SHARED_BUNDLE } from '../../addin/build.ts';

/**
 * The add-in's size budget (docs/addin.md, "Figures"): every bundle the build writes, minified, within it; and the
 * task pane's deferred bundles carry each module once, the common ones in taskpane-shared.js.
 */

let outDir: string;
let result: BuildResult;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'leps-bundle-size-'));
  result = await buildAddin({ outDir });
}, 60_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const ROOT = join(import.meta.dirname, '..', '..');
/** The project's modules and packages, not esbuild's stand-ins (a define, a module read from the shared bundle). */
const isModule = (input: string) => !input.includes(':');

describe('bundle sizes', () => {
  it('the build reports every bundle it writes', () => {
    expect(result.bundles.map((bundle) => bundle.name)).toEqual(BUNDLES.map((bundle) => bundle.name));
  });

  for (const bundle of BUNDLES) {
    it(`${bundle.name}.js is within the budget of ${BUNDLE_BUDGET_BYTES / 1024} KB minified`, () => {
      const bytes = statSync(join(outDir, `${bundle.name}.js`)).size;
      expect(result.bundles.find((built) => built.name === bundle.name)?.bytes).toBe(bytes);
      expect(bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
    });
  }

  it('the task pane’s deferred bundles carry no module twice: what they share is in taskpane-shared.js', () => {
    // The ribbon's commands.js runs in its own page, so what it bundles beside the shared part (the Excel modules it
    // has in common with taskpane-work.js) is not loaded twice anywhere.
    const deferred = BUNDLES.filter(
      (bundle) =>
        bundle.name === SHARED_BUNDLE || (bundle.sharedFrom === SHARED_BUNDLE && bundle.shapesShared !== false),
    );
    expect(deferred.length).toBeGreaterThanOrEqual(3);
    const bundledIn = new Map<string, string[]>();
    for (const bundle of result.bundles.filter((built) => deferred.some((each) => each.name === built.name))) {
      for (const input of bundle.inputs.filter(isModule)) {
        bundledIn.set(input, [...(bundledIn.get(input) ?? []), bundle.name]);
      }
    }
    const twice = [...bundledIn].filter(([, names]) => names.length > 1);
    expect(twice).toEqual([]);
    // The shared part really is shared: the checks engine and zod are in it and in neither of the others.
    expect(bundledIn.get('shared/checks/engine.ts')).toEqual([SHARED_BUNDLE]);
    expect(
      [...bundledIn].some(([input, names]) => input.startsWith('node_modules/zod/') && names[0] === SHARED_BUNDLE),
    ).toBe(true);
  });

  it('the ribbon’s commands.js reads the checks and zod from taskpane-shared.js instead of bundling them again', () => {
    const inputs = result.bundles.find((bundle) => bundle.name === 'commands')?.inputs ?? [];
    expect(inputs).toEqual(expect.arrayContaining(['addin/commands/commands.ts', 'addin/excel/draw.ts']));
    const shared = result.bundles.find((bundle) => bundle.name === SHARED_BUNDLE)?.inputs ?? [];
    const again = (input: string) => shared.includes(input) && isModule(input);
    expect(inputs.filter(again)).toEqual([]);
    expect(shared).toEqual(expect.arrayContaining(['shared/checks/engine.ts', 'shared/checks/catalogue.ts']));
  });

  it('the Region’s panel and its consolidation are not in what every operator loads', () => {
    const operator = result.bundles.filter((bundle) =>
      ['taskpane', SHARED_BUNDLE, 'taskpane-work'].includes(bundle.name),
    );
    // The panel, its rendering, and the consolidation it draws (a few of its types and cell helpers are common).
    const only = ['addin/regional/panel.ts', 'addin/regional/render.ts', 'shared/consolidation/build.ts'];
    const panel = (input: string) => only.includes(input);
    for (const bundle of operator) expect(bundle.inputs.filter(panel), bundle.name).toEqual([]);
    expect(result.bundles.find((bundle) => bundle.name === 'taskpane-regional')?.inputs).toEqual(
      expect.arrayContaining(only),
    );
  });

  it('docs/addin.md states the budget this test asserts', () => {
    expect(readFileSync(join(ROOT, 'docs', 'addin.md'), 'utf8')).toContain(
      `< ${BUNDLE_BUDGET_BYTES / 1024} KB minified`,
    );
  });
});
