import { createWorkbookReader, type WorkbookRead, WorkbookReadError } from '../../shared/workbook/index.ts';
import { XlsxFileError } from './guard.ts';
import type { ReadOptions } from './read.ts';
import { streamWorkbook } from './stream-read.ts';

/**
 * Reads an .xlsx (bytes) into a submission through the workbook core, streaming: the zip guard, then each worksheet's
 * rows straight from the XML into the core reader (shared/workbook/reader.ts), so a 100,000-row sheet never exists as
 * objects. Same result as the exceljs adapter (read.ts) and the add-in; what `valida` and `invia` use.
 */
export async function readWorkbookStreaming(buffer: Buffer, options: ReadOptions = {}): Promise<WorkbookRead> {
  const { limits, ...core } = options;
  try {
    const reader = await streamWorkbook(
      buffer,
      ({ marker, sheetNames }) => createWorkbookReader({ marker, sheetNames, options: core }),
      limits ? { limits } : {},
    );
    return reader.finish();
  } catch (error) {
    if (error instanceof WorkbookReadError) throw new XlsxFileError(error.message);
    throw error;
  }
}
