import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readConfig } from '../../infra/config.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { RendicontaStack } from '../../infra/stack.ts';

/** The feature flags and settings of cdk.json, so tests synthesize what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson: { context: Record<string, unknown> } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));
  return cdkJson.context;
}

export interface SynthOptions {
  /** Deploy-time context (-c key=value). */
  readonly context?: Record<string, unknown>;
  /** Run esbuild for every function (slow); by default bundling is skipped. */
  readonly bundle?: boolean;
  /** The files of the throwaway add-in build, by relative path; one index.html by default. */
  readonly addinFiles?: Readonly<Record<string, string>>;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: RendicontaStack;
  readonly template: Template;
  /** The cloud assembly folder (templates, assets). */
  readonly outdir: string;
  /** Removes the temporary add-in folder and the cloud assembly. */
  readonly cleanup: () => void;
}

/**
 * Synthesizes the stack the way infra/app.ts does, with a throwaway add-in build so the tests need neither an add-in
 * build nor AWS.
 */
export function synth(options: SynthOptions = {}): Synthesized {
  const work = mkdtempSync(join(tmpdir(), 'rendiconta-infra-'));
  const addinDir = join(work, 'addin');
  const outdir = join(work, 'cdk.out');
  const files = options.addinFiles ?? { 'index.html': '<!doctype html><title>Rendiconta LEPS</title>\n' };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(addinDir, path)), { recursive: true });
    writeFileSync(join(addinDir, path), content);
  }
  const cleanup = () => rmSync(work, { recursive: true, force: true });
  // A configuration the stack refuses throws while constructing: the folder must not outlive the test then either.
  try {
    const app = new App({
      outdir,
      context: {
        ...cdkJsonContext(),
        ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
        ...options.context,
      },
    });
    const stack = new RendicontaStack(app, 'RendicontaTest', {
      config: readConfig(app.node),
      addinAssetPath: addinDir,
      addinVersion: '1.2.3',
    });
    const template = Template.fromStack(stack);
    return { app, stack, template, outdir, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}
