import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The polyfills each bundle gets for EdgeHTML 18, the webview of retail Excel 2019 without WebView2: exactly the
 * built-ins and web globals the bundle uses without testing for them and that Edge 18 lacks according to MDN's
 * browser-compat-data (test/addin/webview.test.ts derives that set from a build without polyfills and requires it to
 * equal these lists). core-js modules are imported one by one so a bundle carries only what it needs.
 */

const require = createRequire(import.meta.url);
const ADDIN = join(dirname(fileURLToPath(import.meta.url)), '..');

/** MDN's feature name (javascript.builtins.* or api.*) → the modules that provide it. */
export const EDGE18_POLYFILLS = {
  globalThis: ['core-js/modules/es.global-this.js'],
  'Object.fromEntries': ['core-js/modules/es.object.from-entries.js'],
  'Object.hasOwn': ['core-js/modules/es.object.has-own.js'],
  'Array.flatMap': ['core-js/modules/es.array.flat-map.js', 'core-js/modules/es.array.unscopables.flat-map.js'],
  TextEncoder: [join(ADDIN, 'polyfills', 'text-encoder.ts')],
} as const satisfies Record<string, readonly string[]>;

export type Edge18Feature = keyof typeof EDGE18_POLYFILLS;

/** The files esbuild injects ahead of an entry point for these features. */
export function polyfillFiles(features: readonly Edge18Feature[]): string[] {
  return features.flatMap((feature) =>
    EDGE18_POLYFILLS[feature].map((module) => (module.startsWith('/') ? module : require.resolve(module))),
  );
}
