import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';

/** Chromium as toolchain.md says it runs here: headless, no network beyond localhost. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
}

/** The fake Excel host bundled for the page (an init script, so it is there before the task pane starts). */
export async function fakeHostScript(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('./page/fake-host.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('fake host bundle is empty');
  return output.text;
}
