import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/local/stack.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { httpClient } from './http-client.ts';
import { PERIOD, startTestStack, type TestStack } from './support.ts';

/**
 * The local stack runs its functions in worker threads (functions/local/handler-pool.ts), as AWS runs each concurrent
 * request in a Lambda environment of its own: a request busy validating does not hold up the others, and what the
 * stack sets for its functions (the quiet logger) reaches every thread.
 */

/** Issue #17's worst body: 400,000 empty rows (two sheets at the intake's 200,000), every required cell missing. */
function worstCaseBody(ats: string): string {
  const rows = `[${Array.from({ length: 200_000 }, () => '{}').join(',')}]`;
  return `{"template":"${LEPS_ATS.id}","templateVersion":"${LEPS_ATS.version}","ats":"${ats}","period":"${PERIOD}","sheets":{"T3":${rows},"T5":${rows}}}`;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('the local stack’s function threads', () => {
  let env: TestStack;

  beforeAll(async () => {
    env = await startTestStack();
  });

  afterAll(async () => {
    await env?.close();
  });

  it('answer /v1/health while another thread validates the worst-case body, before that validation ends', async () => {
    let heavyDone = Number.POSITIVE_INFINITY;
    const heavy = env.client
      .send('/v1/validate', { method: 'POST', token: env.tokens.operator, body: worstCaseBody('ATS-05-001') })
      .then((response) => {
        heavyDone = performance.now();
        return response;
      });
    // Past the body's upload: the validation is running (it takes over a second of CPU even on a quiet machine).
    await sleep(300);
    const healthAnswers: number[] = [];
    for (let probe = 0; probe < 3; probe++) {
      const health = await env.client.send('/v1/health');
      expect(health.status).toBe(200);
      healthAnswers.push(performance.now());
    }
    const validated = await heavy;
    expect(validated.status).toBe(200);
    expect((validated.json() as { summary: { truncated: boolean } }).summary.truncated).toBe(true);
    // In one thread, health waited for the whole validation and answered after it.
    for (const answered of healthAnswers) expect(answered).toBeLessThan(heavyDone);
  }, 120_000);
});

describe('a quiet local stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-quiet-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints no log line from its function threads', async () => {
    const stack = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'test/functions/fixtures/stack-process.ts')],
      { cwd: REPO_ROOT, env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      let output = '';
      const firstLine = await new Promise<string>((resolve, reject) => {
        stack.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          const end = output.indexOf('\n');
          if (end >= 0) resolve(output.slice(0, end));
        });
        stack.once('exit', (code) => reject(new Error(`the stack exited (${code}) before serving: ${output}`)));
      });
      const { apiUrl, caCertPath } = JSON.parse(firstLine) as { apiUrl: string; caCertPath: string };
      const client = httpClient(apiUrl, caCertPath);
      try {
        // A served request and a refused one: each logs a line at INFO in every function (functions/lib/request.ts).
        expect((await client.send('/v1/health')).status).toBe(200);
        expect((await client.send('/v1/nowhere')).status).toBe(404);
      } finally {
        client.close();
      }
      // Worker threads' stdout reaches the process's asynchronously.
      await sleep(500);
      expect(output).toBe(`${firstLine}\n`);
    } finally {
      stack.kill('SIGKILL');
    }
  }, 180_000);
});
