import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import type { AddinConfig } from './app/config.ts';
import { drawIcon } from './build/icons.ts';
import { type Edge18Feature, polyfillFiles } from './build/webview-polyfills.ts';
import { ICON_NAMES, ICON_SIZES, iconPath, LOCAL_ADDIN_BASE_URL, renderManifest } from './manifest/generate.ts';

/**
 * `npm run build`: the task pane, ribbon commands and sign-in page bundled with esbuild into dist/addin, with icons,
 * the ISTAT list for the offline checks, and a manifest for the target URL.
 *
 * Environment: LEPS_ADDIN_URL (where dist/addin will be served; default the local stack), LEPS_API_URL (default: same
 * origin), LEPS_OFFICE_JS=cdn|local (default: cdn unless the URL is the local stack), LEPS_COGNITO_DOMAIN and
 * LEPS_COGNITO_CLIENT_ID (switch sign-in to Cognito's hosted UI with PKCE).
 */

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'dist', 'addin');
const OFFICE_CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

export interface BuildOptions {
  readonly outDir?: string;
  readonly addinBaseUrl?: string;
  readonly apiBaseUrl?: string;
  readonly officeJs?: 'cdn' | 'local';
  readonly cognito?: { readonly domain: string; readonly clientId: string };
  readonly version?: string;
  /** False only for the webview test, which derives from the bare bundles which polyfills they need. */
  readonly polyfills?: boolean;
}

/** esbuild's target: the syntax level every bundle is written down to (ES2017 is all EdgeHTML 18 has in full). */
export const BUNDLE_TARGET = ['es2017', 'edge18'];
/** The ECMAScript edition of that syntax, for a parser checking the output. */
export const BUNDLE_ECMA_VERSION = 2017;

/** Each bundle: its entry point and the built-ins EdgeHTML 18 lacks that it uses (addin/build/webview-polyfills.ts). */
export const BUNDLES: readonly { name: string; entry: string; polyfills: readonly Edge18Feature[] }[] = [
  {
    name: 'taskpane',
    entry: 'taskpane/index.ts',
    // The pane's first paint needs none: zod, the checks and TextEncoder's users are in taskpane-work.
    polyfills: [],
  },
  // What the task pane needs only once the user acts (addin/taskpane/work.ts), loaded by the pane after it is
  // interactive: a bundle of its own rather than esbuild's code splitting, which needs ES modules and import().
  {
    name: 'taskpane-work',
    entry: 'taskpane/work-entry.ts',
    polyfills: ['globalThis', 'Object.fromEntries', 'Object.hasOwn', 'Array.flatMap', 'TextEncoder'],
  },
  {
    name: 'commands',
    entry: 'commands/commands.ts',
    polyfills: ['globalThis', 'Object.fromEntries', 'Object.hasOwn', 'Array.flatMap'],
  },
  { name: 'auth/login', entry: 'auth/login.ts', polyfills: ['TextEncoder'] },
];

export interface BuildResult {
  readonly outDir: string;
  /** Minified task pane bundle, bytes (office.js excluded: it is never bundled). */
  readonly taskpaneBytes: number;
}

export function optionsFromEnv(): BuildOptions {
  const env = process.env;
  return {
    ...(env.LEPS_ADDIN_URL ? { addinBaseUrl: env.LEPS_ADDIN_URL } : {}),
    ...(env.LEPS_API_URL ? { apiBaseUrl: env.LEPS_API_URL } : {}),
    ...(env.LEPS_OFFICE_JS === 'cdn' || env.LEPS_OFFICE_JS === 'local' ? { officeJs: env.LEPS_OFFICE_JS } : {}),
    ...(env.LEPS_COGNITO_DOMAIN && env.LEPS_COGNITO_CLIENT_ID
      ? { cognito: { domain: env.LEPS_COGNITO_DOMAIN, clientId: env.LEPS_COGNITO_CLIENT_ID } }
      : {}),
    ...(env.LEPS_ADDIN_VERSION ? { version: env.LEPS_ADDIN_VERSION } : {}),
  };
}

export async function buildAddin(options: BuildOptions = {}): Promise<BuildResult> {
  const outDir = options.outDir ?? OUT_DIR;
  const addinBaseUrl = options.addinBaseUrl ?? LOCAL_ADDIN_BASE_URL;
  const local = new URL(addinBaseUrl).hostname === 'localhost';
  const officeJs = options.officeJs ?? (local ? 'local' : 'cdn');
  const version = options.version ?? '1.0.0.0';
  const config: AddinConfig = {
    apiBaseUrl: options.apiBaseUrl ?? '',
    auth: options.cognito
      ? {
          mode: 'cognito',
          domain: options.cognito.domain,
          clientId: options.cognito.clientId,
          scopes: ['openid', 'email'],
        }
      : { mode: 'local' },
    version,
  };
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'auth'), { recursive: true });

  await Promise.all(
    BUNDLES.map((bundle) => {
      // The polyfills are imported ahead of the entry point, so ES module order evaluates them first. (esbuild's
      // `inject` would instead add them to every module, core-js's own included, and make a cycle.)
      const polyfills = options.polyfills === false ? [] : polyfillFiles(bundle.polyfills);
      const entry = join(ROOT, 'addin', bundle.entry);
      return esbuild({
        stdin: {
          contents: [...polyfills, entry].map((file) => `import ${JSON.stringify(file)};`).join('\n'),
          resolveDir: ROOT,
          sourcefile: `${bundle.name}.entry.js`,
        },
        outfile: join(outDir, `${bundle.name}.js`),
        bundle: true,
        minify: true,
        // IIFE and ES2017 syntax: EdgeHTML 18 (retail Excel 2019) and WebView2 run it without modules.
        format: 'iife',
        target: BUNDLE_TARGET,
        platform: 'browser',
        sourcemap: 'linked',
        legalComments: 'none',
        define: { __LEPS_CONFIG__: JSON.stringify(config) },
        logLevel: 'warning',
      });
    }),
  );

  // office.js: Microsoft's CDN in production (required by the store and for current APIs); the package when the
  // local stack serves the add-in, so development needs no network.
  const officeUrl = (depth: number) => (officeJs === 'cdn' ? OFFICE_CDN : `${'../'.repeat(depth)}office-js/office.js`);
  const page = (source: string, target: string, depth: number) => {
    writeFileSync(
      join(outDir, target),
      readFileSync(join(ROOT, 'addin', source), 'utf8').replace('%OFFICE_JS%', officeUrl(depth)),
    );
  };
  page('taskpane/taskpane.html', 'taskpane.html', 0);
  page('commands/commands.html', 'commands.html', 0);
  page('auth/login.html', 'auth/login.html', 1);
  // The pages Internet Explorer 11 may open: the Trident notice ahead of the bundles, and the commands' message page.
  page('webview/message.html', 'message.html', 0);
  cpSync(join(ROOT, 'addin', 'webview', 'message.js'), join(outDir, 'message.js'));
  cpSync(join(ROOT, 'addin', 'webview', 'trident.js'), join(outDir, 'trident.js'));
  cpSync(join(ROOT, 'addin', 'taskpane', 'taskpane.css'), join(outDir, 'taskpane.css'));
  cpSync(join(ROOT, 'addin', 'help.html'), join(outDir, 'help.html'));
  // The page at the add-in's address (CloudFront's default root object): what this is, the manifest, how to install.
  cpSync(join(ROOT, 'addin', 'index.html'), join(outDir, 'index.html'));
  mkdirSync(join(outDir, 'data'), { recursive: true });
  cpSync(
    join(ROOT, 'shared', 'reference', 'data', 'comuni_italia_2025.csv'),
    join(outDir, 'data', 'comuni_italia_2025.csv'),
  );
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  for (const name of ICON_NAMES) {
    for (const size of ICON_SIZES) writeFileSync(join(outDir, iconPath(name, size)), drawIcon(name, size));
  }
  writeFileSync(join(outDir, 'manifest.xml'), renderManifest({ addinBaseUrl, version }));
  return { outDir, taskpaneBytes: statSync(join(outDir, 'taskpane.js')).size };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await buildAddin(optionsFromEnv());
  console.log(
    `Componente aggiuntivo compilato in ${result.outDir} (pannello: ${(result.taskpaneBytes / 1024).toFixed(1)} KB).`,
  );
}
