/**
 * What the bundled AWS SDK imports from `node:process`, taken from the `process` global instead (infra/bundling.ts
 * aliases `node:process` here in every function bundle).
 *
 * Why: an ESM import of `node:process` makes Node build the module's namespace from every property of `process`, and
 * reading `process.stdin`, `process.stdout` and `process.stderr` creates the three streams (a TTY or pipe reader, the
 * `readline` machinery). None of that is needed at import: the functions write their log lines through
 * `process.stdout` when they log, and never read stdin. With the runtime's flags (`--expose-gc` and the heap sizes,
 * under which Node compiles its own modules without their code cache) it cost each data function about 7 ms of its
 * cold import (`npm run bench -- coldstart`, 3 December 2026).
 *
 * The exports are the names the SDK imports (`env` in the user-agent and config loaders, `versions` in the runtime
 * user-agent pair); esbuild fails the build if a bundled module imports a name missing here, so a new one cannot slip
 * through as undefined.
 */
export const env = process.env;
export const versions = process.versions;
