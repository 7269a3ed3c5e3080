import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const REPO = process.cwd();
export const BIN = join(REPO, 'bin', 'rendiconta.mjs');

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the command line as a user does (`node bin/rendiconta.mjs …`), or another script of the repository through
 * tsx, in a child process with its own environment.
 */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; script?: string } = {},
): CliResult {
  const command = options.script
    ? [join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO, options.script), ...args]
    : [BIN, ...args];
  const result = spawnSync(process.execPath, command, {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, RENDICONTA_TOKEN: '', ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** As runCli, without blocking the event loop: for tests whose server lives in the test process. */
export function runCliAsync(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, RENDICONTA_TOKEN: '', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status: status ?? -1, stdout, stderr });
    });
  });
}
