import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { REPO_ROOT } from './paths.ts';

/**
 * How each route's handler is bundled, in one place: infra/constructs/api.ts gives these to NodejsFunction (which runs
 * the local esbuild), and the cold-start bench (test/bench/coldstart.bench.ts) and the table-access derivation
 * (infra/table-access.ts) build with the same options, so what they measure and analyse is what is deployed.
 */

/** functions/handlers/<route id>.ts, each exporting `handler`. */
export const HANDLERS_DIR = join(REPO_ROOT, 'functions', 'handlers');

export function handlerEntry(routeId: string): string {
  return join(HANDLERS_DIR, `${routeId}.ts`);
}

/** Some CommonJS dependencies call require(); ESM output needs it defined. */
export const ESM_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export const MAIN_FIELDS = ['module', 'main'];

/**
 * Whether the functions run with NODE_OPTIONS=--enable-source-maps, so that stack traces in the logs name the
 * TypeScript sources. They do not: Node reads and parses a module's source map when it loads the module ("Node.js
 * parses source-maps on loading the JavaScript sources", https://github.com/nodejs/node/issues/38817), and with the SDK
 * in the bundle the map covers 250–350 KB of code: `npm run bench -- coldstart` measured it to add 8–34 ms to each
 * data function's cold import. The maps still ship beside each bundle, to read a minified stack trace with.
 */
export const ENABLE_SOURCE_MAPS = false;
export const SOURCE_MAPS_OPTION = '--enable-source-maps';

/** esbuild's target for the functions' runtime (infra/constructs/api.ts RUNTIME, Node.js 24). */
export const ESBUILD_TARGET = 'node24';

/** The AWS SDK v3 packages; the Lambda Node.js runtime ships them, so a bundle may leave them external. */
export const AWS_SDK_MODULES = '@aws-sdk/*';

/**
 * Whether the deployed bundles leave the AWS SDK to the runtime ('external') or carry the parts they use, tree-shaken
 * and minified ('bundled'). Chosen by cold import time (`npm run bench -- coldstart` measures both): importing the
 * runtime's SDK means resolving and compiling well over a hundred files, one bundled file is compiled once. AWS's own
 * measurements say the same ("Reduce Lambda cold start times: migrate to AWS SDK for JavaScript v3",
 * https://aws.amazon.com/blogs/developer/reduce-lambda-cold-start-times-migrate-to-aws-sdk-for-javascript-v3/, and
 * https://github.com/aws/aws-cdk/issues/25492).
 */
export type SdkBundling = 'external' | 'bundled';
export const SDK_BUNDLING: SdkBundling = 'bundled';

/**
 * SDK packages a bundled function still leaves to the runtime's copy: the credential providers that
 * @aws-sdk/credential-provider-node loads with `await import()` only after the environment gave no credentials. Lambda
 * always puts the role's credentials in the environment (fromEnv, which is bundled, answers first), so in Lambda they
 * are never loaded; bundling them (and the STS/SSO clients they pull in) made every bundle about 120 KB larger and
 * its import slower. Likewise @smithy/core/event-streams, which the SDK's HttpProtocol loads with `await import()` only
 * to (de)serialise an event-stream member, which no DynamoDB operation has: bundled, that one dynamic import made
 * esbuild wrap some 160 SDK modules in lazy-init closures and keep the event-stream codec, and cost every data
 * function 13–15 KB and about 10 ms of CPU at import (`npm run bench -- coldstart`). Locally they resolve from
 * node_modules.
 */
export const RUNTIME_ONLY_SDK_MODULES: readonly string[] = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
  '@smithy/core/event-streams',
];

/** The modules esbuild leaves out of a bundle, for each choice. */
export function externalModules(sdk: SdkBundling = SDK_BUNDLING): string[] {
  return sdk === 'external' ? [AWS_SDK_MODULES] : [...RUNTIME_ONLY_SDK_MODULES];
}

/**
 * The module that stands in for `node:process` in every function bundle (why: its own comment), repository-relative.
 * esbuild takes it as an alias: NodejsFunction runs esbuild in the project root (`--alias:node:process=./...`, see
 * infra/constructs/api.ts), the API builds below resolve it from REPO_ROOT.
 */
export const PROCESS_GLOBAL_MODULE = 'functions/lib/process-global.ts';
export const PROCESS_ALIAS_ARG = '--alias:node:process';
export const PROCESS_ALIAS_VALUE = `./${PROCESS_GLOBAL_MODULE}`;

/**
 * What every build of a handler shares, the deployed bundle and the IAM derivation's alike: the same entry, target and
 * resolution, so the derivation tree-shakes exactly as the deployment does.
 */
export function handlerBundle(routeId: string): BuildOptions {
  return {
    entryPoints: [handlerEntry(routeId)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ESBUILD_TARGET,
    mainFields: MAIN_FIELDS,
    alias: { 'node:process': join(REPO_ROOT, PROCESS_GLOBAL_MODULE) },
  };
}

/**
 * Bundles are ASCII only. One character outside it anywhere in a file makes V8 hold and scan the whole source as
 * two-byte text: three regular expressions with a literal "€", "’" and accented vowels (esbuild's default ASCII charset
 * escapes strings but leaves regular expression literals as written) cost the data functions about 2 ms of cold import
 * each (`npm run bench -- coldstart`, 3 December 2026). The source writes such characters in regular expressions as
 * \u escapes; test/infra/bundle.test.ts holds every bundle to it.
 */
export const BUNDLE_CHARSET = 'ascii';

/**
 * Syntax the bundles are written without: esbuild rewrites every arrow function as a function expression. V8 never
 * preparses an arrow function in a module: it may skip an arrow's body only when no enclosing scope is a module or
 * function scope (`Scope::AllowsLazyParsingWithoutUnresolvedVariables`, v8/src/ast/scopes.cc, which
 * `ParseArrowFunctionLiteral` in v8/src/parsing/parser-base.h asks), so every arrow in an ESM bundle is parsed in full
 * when the module is compiled, used or not, while a function expression is only preparsed until it first runs
 * (`node --log-function-events` shows it, on Node 20 and 24 alike). With the SDK bundled that was some 1,200 arrows:
 * lowering them took 3-9 ms off each data function's cold import, and its first request gains as much or more
 * (`npm run bench -- coldstart`, the "arrows kept" columns; docs/backend.md, "Arrow functions lowered").
 */
export const LOWERED_SYNTAX: Readonly<Record<string, boolean>> = { arrow: false };

/** The same, as the command-line arguments NodejsFunction passes to esbuild (`--supported:arrow=false`). */
export function loweredSyntaxArgs(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(LOWERED_SYNTAX).map(([feature, supported]) => [`--supported:${feature}`, String(supported)]),
  );
}

/**
 * The esbuild options NodejsFunction uses for a route (minified ESM with a linked source map, no sources inside).
 * `keepArrows` builds what the deployment would be without LOWERED_SYNTAX, for the cold-start bench to compare.
 */
export function lambdaBuildOptions(
  routeId: string,
  sdk: SdkBundling = SDK_BUNDLING,
  { keepArrows = false }: { keepArrows?: boolean } = {},
): BuildOptions {
  return {
    ...handlerBundle(routeId),
    minify: true,
    charset: BUNDLE_CHARSET,
    supported: keepArrows ? {} : { ...LOWERED_SYNTAX },
    sourcemap: 'linked',
    sourcesContent: false,
    banner: { js: ESM_BANNER },
    external: externalModules(sdk),
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  };
}
