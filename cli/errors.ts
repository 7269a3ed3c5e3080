/** Exit statuses of the command line. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A problem the user must fix before the command can run (file, option, network, authorization): exit status 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
