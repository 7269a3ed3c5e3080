import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ComuniIndex, parseComuniCsv } from '../../shared/reference/comuni.ts';

/**
 * Loads the ISTAT list once per process. The file ships beside the code (copied into each Lambda bundle by the CDK
 * app); REFERENCE_DATA_DIR points elsewhere when needed.
 */
let cached: ComuniIndex | undefined;

export function referenceDataDir(): string {
  if (process.env.REFERENCE_DATA_DIR) return process.env.REFERENCE_DATA_DIR;
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', 'shared', 'reference', 'data');
}

export function loadComuni(): ComuniIndex {
  cached ??= parseComuniCsv(readFileSync(join(referenceDataDir(), 'comuni_italia_2025.csv'), 'utf8'));
  return cached;
}
