import type { createWork } from './work.ts';

/**
 * Loads taskpane-work.js, the part of the pane that is not needed to paint it (work.ts), once, on first use. A plain
 * script element rather than `import()`: the bundles are IIFE scripts because EdgeHTML (Excel 2019) has no dynamic
 * import, and a script element loads there as everywhere.
 */

export interface WorkModule {
  readonly createWork: typeof createWork;
}

declare global {
  interface Window {
    rendicontaLepsWork?: WorkModule;
  }
}

export const WORK_SCRIPT = 'taskpane-work.js';

let loading: Promise<WorkModule> | null = null;

export function loadWorkModule(): Promise<WorkModule> {
  const loaded = window.rendicontaLepsWork;
  if (loaded) return Promise.resolve(loaded);
  if (!loading) {
    loading = new Promise<WorkModule>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = WORK_SCRIPT;
      script.async = true;
      script.onload = () => {
        const module = window.rendicontaLepsWork;
        if (module) resolve(module);
        else reject(new Error('Il pannello non è stato caricato per intero: chiuderlo e riaprirlo.'));
      };
      script.onerror = () => {
        // A later click tries again: the network may be back.
        loading = null;
        script.remove();
        reject(new Error('Il pannello non è stato caricato per intero: verificare la connessione e riprovare.'));
      };
      document.head.appendChild(script);
    });
  }
  return loading;
}
