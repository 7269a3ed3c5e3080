import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import { build as esbuild, type Plugin } from 'esbuild';
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

export interface BundleSpec {
  readonly name: string;
  /** The entry point under addin/; none for the shared bundle, whose entry is generated from the bundles that use it. */
  readonly entry?: string;
  /**
   * The built-ins EdgeHTML 18 lacks that the bundle uses (addin/build/webview-polyfills.ts). The shared bundle carries
   * those of the bundles that read it too: it runs before them in the same page, and they carry none of its.
   */
  readonly polyfills: readonly Edge18Feature[];
  /** The bundle it reads the shared domain code (`shared/`) from, which the page runs before it. */
  readonly sharedFrom?: string;
  /**
   * False for a reader that takes from the shared bundle what it finds there without narrowing it: the ribbon
   * commands' page reads the domain code the task pane's deferred bundles have in common (one download, cached for
   * both) and bundles its own Excel modules itself. Default true: the shared bundle holds what all such readers share.
   */
  readonly shapesShared?: boolean;
}

/** The bundle of the shared domain code the task pane's deferred bundles have in common, run before them. */
export const SHARED_BUNDLE = 'taskpane-shared';
/** Where taskpane-shared.js leaves the modules it exports, by path from the repository root. */
const SHARED_GLOBAL = 'rendicontaLepsShared';

/**
 * The bundles. The task pane's deferred part is three IIFE scripts rather than esbuild's code splitting, which needs
 * ES modules and import() (EdgeHTML has no dynamic import): taskpane-shared.js carries every `shared/` module and
 * zod once, and taskpane-work.js and taskpane-regional.js read them from it instead of each bundling its own copy.
 */
export const BUNDLES: readonly BundleSpec[] = [
  {
    name: 'taskpane',
    entry: 'taskpane/index.ts',
    // The pane's first paint needs none: zod, the checks and TextEncoder's users are in the deferred bundles.
    polyfills: [],
  },
  // What the task pane needs only once the user acts, loaded by the pane after it is interactive (load-work.ts).
  {
    name: SHARED_BUNDLE,
    polyfills: ['globalThis', 'Object.fromEntries', 'Object.hasOwn', 'Array.flatMap', 'TextEncoder'],
  },
  { name: 'taskpane-work', entry: 'taskpane/work-entry.ts', polyfills: [], sharedFrom: SHARED_BUNDLE },
  // The Region's panel: its reviewers alone load it.
  { name: 'taskpane-regional', entry: 'taskpane/regional-entry.ts', polyfills: [], sharedFrom: SHARED_BUNDLE },
  // The ribbon's function file: commands.html runs taskpane-shared.js (and so its polyfills) before it.
  { name: 'commands', entry: 'commands/commands.ts', polyfills: [], sharedFrom: SHARED_BUNDLE, shapesShared: false },
  { name: 'auth/login', entry: 'auth/login.ts', polyfills: ['TextEncoder'] },
];

/** Minified size budget of every bundle, bytes (docs/addin.md, "Figures"; asserted by test/addin/bundle-size.test.ts). */
export const BUNDLE_BUDGET_BYTES = 200 * 1024;

/** The project's own modules (packages are reached through them: zod through shared/contract, for one). */
const isOwn = (path: string) => !path.startsWith('node_modules/') && !path.includes(':');
const fromRoot = (file: string) => file.slice(ROOT.length + 1);

/**
 * In a bundle that reads taskpane-shared.js, an import of a module it exports becomes a read of that export. The
 * module is wrapped as CommonJS, so esbuild reads each name from the export object when it is used, not at load.
 */
function readSharedFromGlobal(exported: ReadonlySet<string>): Plugin {
  return {
    name: 'shared-from-global',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const path = fromRoot(join(args.resolveDir, args.path));
        return exported.has(path) ? { path, namespace: 'leps-shared' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'leps-shared' }, (args) => ({
        contents: `module.exports = window.${SHARED_GLOBAL}[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

/** Every input of a bundle of the entry, by path from the repository root, with what each imports. */
async function inputsOf(entry: string) {
  const result = await esbuild({
    entryPoints: [join(ROOT, 'addin', entry)],
    bundle: true,
    write: false,
    metafile: true,
    outdir: join(ROOT, 'dist', 'inputs'),
    format: 'esm',
    platform: 'browser',
    define: { __LEPS_CONFIG__: '{}' },
    logLevel: 'silent',
  });
  return result.metafile.inputs;
}

/**
 * The names a bundle of the entry uses from each of these modules, read from the import statements of an ES module
 * bundle that leaves them external (esbuild keeps only the imports the bundle still uses after tree shaking).
 */
async function namesUsed(entry: string, modules: ReadonlySet<string>): Promise<Map<string, Set<string>>> {
  const result = await esbuild({
    entryPoints: [join(ROOT, 'addin', entry)],
    bundle: true,
    write: false,
    outdir: join(ROOT, 'dist', 'names'),
    format: 'esm',
    platform: 'browser',
    define: { __LEPS_CONFIG__: '{}' },
    logLevel: 'silent',
    plugins: [
      {
        name: 'common-external',
        setup(build) {
          build.onResolve({ filter: /^\./ }, (args) => {
            const path = fromRoot(join(args.resolveDir, args.path));
            return modules.has(path) ? { path, external: true } : undefined;
          });
        },
      },
    ],
  });
  const names = new Map<string, Set<string>>();
  const program = parse(result.outputFiles[0]?.text ?? '', { ecmaVersion: 'latest', sourceType: 'module' });
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration') continue;
    const path = String(statement.source.value);
    const used = names.get(path) ?? new Set<string>();
    for (const specifier of statement.specifiers) {
      if (specifier.type === 'ImportSpecifier') {
        used.add(specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value));
      } else used.add(specifier.type === 'ImportDefaultSpecifier' ? 'default' : '*');
    }
    names.set(path, used);
  }
  return names;
}

/**
 * What taskpane-shared.js exports: the modules every task pane bundle reading it needs (the shared/ domain code and the
 * add-in's own HTTP transport alike; what only one bundle needs, the consolidation for the Region's panel, stays in
 * that bundle), and of those only the names its readers use, the ribbon commands' included, so tree shaking drops the
 * rest, zod's unused schemas included.
 */
async function sharedExports(): Promise<Map<string, Set<string>>> {
  const users = BUNDLES.filter((bundle) => bundle.sharedFrom === SHARED_BUNDLE);
  const shapers = users.filter((bundle) => bundle.shapesShared !== false);
  const graphs = await Promise.all(shapers.map((bundle) => inputsOf(bundle.entry ?? '')));
  const common = new Set(
    Object.keys(graphs[0] ?? {}).filter((path) => isOwn(path) && graphs.every((inputs) => path in inputs)),
  );
  const exported = new Map<string, Set<string>>();
  for (const bundle of users) {
    for (const [path, names] of await namesUsed(bundle.entry ?? '', common)) {
      exported.set(path, new Set([...(exported.get(path) ?? []), ...names]));
    }
  }
  return exported;
}

/** The entry of taskpane-shared.js: the names the other bundles use, by module path from the repository root. */
function sharedEntry(exported: ReadonlyMap<string, ReadonlySet<string>>): string {
  const lines: string[] = [];
  const table: string[] = [];
  [...exported.entries()].forEach(([path, names], index) => {
    const source = JSON.stringify(join(ROOT, path));
    if (names.has('*')) {
      lines.push(`import * as m${index} from ${source};`);
      table.push(`${JSON.stringify(path)}: m${index}`);
      return;
    }
    const list = [...names].sort();
    lines.push(`import { ${list.map((name, at) => `${name} as m${index}_${at}`).join(', ')} } from ${source};`);
    table.push(`${JSON.stringify(path)}: { ${list.map((name, at) => `${name}: m${index}_${at}`).join(', ')} }`);
  });
  return `${lines.join('\n')}\nwindow.${SHARED_GLOBAL} = { ${table.join(', ')} };`;
}

export interface BuiltBundle {
  readonly name: string;
  /** Minified size, bytes. */
  readonly bytes: number;
  /** The modules bundled into it, by path from the repository root (esbuild's metafile). */
  readonly inputs: readonly string[];
}

export interface BuildResult {
  readonly outDir: string;
  readonly bundles: readonly BuiltBundle[];
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

  const shared = await sharedExports();
  const exported = new Set(shared.keys());
  const bundles = await Promise.all(
    BUNDLES.map(async (bundle): Promise<BuiltBundle> => {
      // The polyfills are imported ahead of the entry point, so ES module order evaluates them first. (esbuild's
      // `inject` would instead add them to every module, core-js's own included, and make a cycle.)
      const polyfills = options.polyfills === false ? [] : polyfillFiles(bundle.polyfills);
      const imports = [...polyfills, ...(bundle.entry ? [join(ROOT, 'addin', bundle.entry)] : [])];
      const entry = bundle.entry ? '' : sharedEntry(shared);
      const outfile = join(outDir, `${bundle.name}.js`);
      const result = await esbuild({
        metafile: true,
        stdin: {
          contents: [...imports.map((file) => `import ${JSON.stringify(file)};`), entry].join('\n'),
          resolveDir: ROOT,
          sourcefile: `${bundle.name}.entry.js`,
        },
        outfile,
        bundle: true,
        minify: true,
        // IIFE and ES2017 syntax: EdgeHTML 18 (retail Excel 2019) and WebView2 run it without modules.
        format: 'iife',
        target: BUNDLE_TARGET,
        platform: 'browser',
        sourcemap: 'linked',
        legalComments: 'none',
        define: { __LEPS_CONFIG__: JSON.stringify(config) },
        plugins: bundle.sharedFrom ? [readSharedFromGlobal(exported)] : [],
        logLevel: 'warning',
      });
      const inputs = Object.values(result.metafile.outputs).flatMap((output) => Object.keys(output.inputs));
      return { name: bundle.name, bytes: statSync(outfile).size, inputs };
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
  return { outDir, bundles, taskpaneBytes: statSync(join(outDir, 'taskpane.js')).size };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await buildAddin(optionsFromEnv());
  console.log(
    `Componente aggiuntivo compilato in ${result.outDir} (pannello: ${(result.taskpaneBytes / 1024).toFixed(1)} KB).`,
  );
}
