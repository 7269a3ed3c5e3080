import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ComuniIndex, parseComuniCsv } from './comuni.ts';

/**
 * The ISTAT list of comuni read from disk once per process, for every Node reader of it: the Lambda functions and the
 * command line (the add-in fetches the same file from its own origin, addin/app/reference.ts). The file ships beside
 * the code (copied into each Lambda bundle by the CDK app); REFERENCE_DATA_DIR points elsewhere when needed.
 */

export const COMUNI_FILE = 'comuni_italia_2025.csv';

let cached: ComuniIndex | undefined;

export function referenceDataDir(): string {
  if (process.env.REFERENCE_DATA_DIR) return process.env.REFERENCE_DATA_DIR;
  return join(dirname(fileURLToPath(import.meta.url)), 'data');
}

export function loadComuni(): ComuniIndex {
  cached ??= parseComuniCsv(readFileSync(join(referenceDataDir(), COMUNI_FILE), 'utf8'));
  return cached;
}
