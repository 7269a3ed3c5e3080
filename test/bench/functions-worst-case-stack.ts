import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../../functions/local/stack.ts';

/**
 * Run by functions-worst-case.bench.ts in a process of its own, so that the peak RSS it reads (/proc/<pid>/status,
 * VmHWM) is the API's alone and the bench's own requests do not share its event loop. Starts the local stack on free
 * ports, prints one JSON line (its addresses and an operator's token), and stops when told (SIGTERM or stdin closed).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-worst-case-'));
const stack = await startLocalStack({ port: 0, dataDir, seed: false, quiet: true });
const operator = await stack.token({ sub: 'bench-worst-case', groups: ['ats-operator'], ats: 'ATS-05-001' });
process.stdout.write(`${JSON.stringify({ apiUrl: stack.apiUrl, caCertPath: stack.caCertPath, operator })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
