/** The ISTAT list's loader is shared with the command line: shared/reference/load.ts. */
export { loadComuni, referenceDataDir } from '../../shared/reference/load.ts';
