import { readFile, stat } from 'node:fs/promises';
import { CliError } from './errors.ts';
import { XLSX_LIMITS } from './xlsx/guard.ts';

/** Reads a workbook from disk, refusing before allocation what the guard would refuse anyway. */
export async function readWorkbookFile(path: string): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError(`"${path}" non è un file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`File "${path}" non trovato o non leggibile.`);
  }
  if (size > XLSX_LIMITS.maxFileBytes) {
    throw new CliError(
      `File non valido: troppo grande (${Math.round(size / 1048576)} MB, massimo ${Math.round(XLSX_LIMITS.maxFileBytes / 1048576)} MB).`,
    );
  }
  return readFile(path);
}
