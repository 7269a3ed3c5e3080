import { fileURLToPath } from 'node:url';

/** The repository root: NodejsFunction's project root and the base of every asset path. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
