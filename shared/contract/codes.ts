/**
 * The shapes of the codes in paths and bodies, without the contract's zod schemas: the functions that only read a
 * path parameter import these, so their bundles do not carry (and their cold import does not run) the schemas'
 * top-level zod calls, which esbuild cannot drop. submission.ts re-exports them.
 */

export const ATS_CODE = /^ATS-\d{2}-\d{3}$/;
export const PERIOD = /^\d{4}-(?:12-31|08-31)$/;
export const ISTAT_COMUNE = /^\d{6}$/;
