import type { mountRegional } from './regional.ts';
import type { createWork } from './work.ts';

/**
 * Loads the parts of the pane that are not needed to paint it, once, on first use: taskpane-shared.js (the shared
 * domain code: checks, template, contract schemas), then taskpane-work.js (work.ts) and, for a Region's reviewers,
 * taskpane-regional.js (regional.ts), which both read the shared code from the first (addin/build.ts). Plain script
 * elements rather than `import()`: the bundles are IIFE scripts because EdgeHTML (Excel 2019) has no dynamic import,
 * and a script element loads there as everywhere. Scripts inserted with `async = false` are fetched in parallel and
 * run in insertion order, so the shared bundle always runs first.
 */

export interface WorkModule {
  readonly createWork: typeof createWork;
}

export interface RegionalModule {
  readonly mountRegional: typeof mountRegional;
}

declare global {
  interface Window {
    rendicontaLepsWork?: WorkModule;
    rendicontaLepsRegional?: RegionalModule;
  }
}

export const SHARED_SCRIPT = 'taskpane-shared.js';
export const WORK_SCRIPT = 'taskpane-work.js';
export const REGIONAL_SCRIPT = 'taskpane-regional.js';

const loading = new Map<string, Promise<void>>();

/** Appends the script once; a failed load is forgotten so that a later click tries again (the network may be back). */
function loadScript(src: string): Promise<void> {
  let promise = loading.get(src);
  if (!promise) {
    promise = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = false;
      script.onload = () => resolve();
      script.onerror = () => {
        loading.delete(src);
        script.remove();
        reject(new Error('Il pannello non è stato caricato per intero: verificare la connessione e riprovare.'));
      };
      document.head.appendChild(script);
    });
    loading.set(src, promise);
  }
  return promise;
}

async function loadAfterShared<T>(src: string, read: () => T | undefined): Promise<T> {
  const already = read();
  if (already) return already;
  // Both requested now, in this order: the second runs only after the first has.
  await Promise.all([loadScript(SHARED_SCRIPT), loadScript(src)]);
  const module = read();
  if (!module) {
    // It ran without the shared code (that load failed): run it again on the next try.
    loading.delete(src);
    throw new Error('Il pannello non è stato caricato per intero: chiuderlo e riaprirlo.');
  }
  return module;
}

export function loadWorkModule(): Promise<WorkModule> {
  return loadAfterShared(WORK_SCRIPT, () => window.rendicontaLepsWork);
}

export function loadRegionalModule(): Promise<RegionalModule> {
  return loadAfterShared(REGIONAL_SCRIPT, () => window.rendicontaLepsRegional);
}
