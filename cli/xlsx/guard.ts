import yauzl from 'yauzl';
import { MAX_DATA_ROWS } from '../../shared/workbook/index.ts';

/**
 * Checks an .xlsx before any spreadsheet library sees it: that it is a zip, that it is whole, and that unpacking it
 * stays within bounds (entry count, sizes, compression ratio, rows per sheet). Every entry is inflated here once,
 * counting real bytes (yauzl also rejects entries whose real size differs from the declared one), so a zip bomb or a
 * lying header is stopped after at most the limits' worth of work, before exceljs would load it all into memory.
 */

/**
 * The streaming reader (stream-read.ts) holds one row at a time, so the sizes below bound time, not memory: they
 * admit MAX_DATA_ROWS rows in the widest multi-row sheet (T4, 24 columns: about 84 MB of sheet XML at 100,000 rows,
 * measured 42 MB for T5's 15) and inflating and scanning 192 MB takes about 2 s on this machine.
 */
export const XLSX_LIMITS = {
  maxFileBytes: 25 * 1024 * 1024,
  maxEntries: 2_000,
  maxEntryBytes: 160 * 1024 * 1024,
  maxTotalBytes: 192 * 1024 * 1024,
  /** Uncompressed/compressed ratio above which an entry over `ratioFloorBytes` is a bomb, not a spreadsheet. */
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  /** Header row, data rows, and room for a few notes or totals below them. */
  maxRowsPerSheet: MAX_DATA_ROWS + 100,
} as const;

export type XlsxLimits = { readonly [K in keyof typeof XLSX_LIMITS]: number };

/** A file that cannot be read as a workbook. The message is Italian and meant for the user. */
export class XlsxFileError extends Error {
  override readonly name = 'XlsxFileError';
}

const megabytes = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (error, zip) => {
      if (error || !zip) {
        reject(new XlsxFileError('File non valido: archivio .xlsx danneggiato o incompleto (file troncato?).'));
      } else {
        resolve(zip);
      }
    });
  });
}

function describeStart(buffer: Buffer): string | null {
  if (buffer.length === 0) return 'File non valido: il file è vuoto.';
  if (buffer.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    return 'File non valido: formato .xls (Excel 97-2003) o file protetto da password; salvarlo come cartella di lavoro .xlsx senza password.';
  }
  if (buffer.subarray(0, 2).toString('latin1') !== 'PK') {
    return 'File non valido: non è un file .xlsx (atteso un archivio zip di Excel).';
  }
  return null;
}

const ROW = Buffer.from('row');
const MERGE_CELL = Buffer.from('mergeCell');
/** Bytes kept from one chunk to the next, so a tag cut in two is seen whole once. */
const OVERLAP = 64;

const isNameByte = (byte: number | undefined): boolean =>
  byte !== undefined &&
  ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x5f);
const endsName = (byte: number | undefined): boolean =>
  byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x3e || byte === 0x2f;

/**
 * Row start tags (`<row …>` or `<x:row …>`) whose `<` lies before `end`, found with Buffer.indexOf: a 100,000-row
 * sheet is 40 MB, too much to copy into strings and match with a regular expression.
 */
function countRowTags(data: Buffer, end: number): number {
  let count = 0;
  for (let at = data.indexOf(ROW, 1); at >= 0 && at + 3 < data.length; at = data.indexOf(ROW, at + 3)) {
    if (!endsName(data[at + 3])) continue;
    let start = at - 1;
    if (data[start] === 0x3a) {
      // A prefixed name: letters back to the `<`.
      start--;
      while (start > 0 && at - start < OVERLAP && isNameByte(data[start])) start--;
    }
    if (data[start] === 0x3c && start < end) count++;
  }
  return count;
}

const isWorksheet = (name: string): boolean => /^xl\/worksheets\/[^/]+\.xml$/i.test(name);

interface EntryScan {
  readonly bytes: number;
  readonly rows: number;
  /** A worksheet's merged areas (`B3:D3`), the first MAX_MERGES of them. */
  readonly merges: readonly string[];
}

/** Merged areas remembered per worksheet: the reader warns about them; a few name the problem. */
const MAX_MERGES = 100;
const MERGE_TAG = /<(?:\w+:)?mergeCell\s[^>]*?\bref\s*=\s*["']([^"']+)["']/g;

/** What the guard learnt while inflating: per worksheet part (lower-case name), its rows and merged areas. */
export interface XlsxInspection {
  readonly worksheets: ReadonlyMap<string, { readonly rows: number; readonly merges: readonly string[] }>;
}

/** Merged areas whose tag starts before `end` (a tag is shorter than OVERLAP, so it lies whole in `data`). */
function collectMerges(data: Buffer, end: number, into: string[]): void {
  const first = data.indexOf(MERGE_CELL);
  if (first < 0 || first >= end) return;
  const from = Math.max(0, first - 16);
  const text = data.toString('latin1', from);
  for (const match of text.matchAll(MERGE_TAG)) {
    if (into.length >= MAX_MERGES || from + match.index >= end) return;
    into.push(match[1] ?? '');
  }
}

/** Inflates one entry, counting bytes and (for worksheets) rows, and stops as soon as a limit is passed. */
function scanEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limits: XlsxLimits, budget: number): Promise<EntryScan> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) {
        reject(
          new XlsxFileError(`File non valido: impossibile leggere "${entry.fileName.slice(0, 80)}" nell'archivio.`),
        );
        return;
      }
      const countRows = isWorksheet(entry.fileName);
      let bytes = 0;
      let rows = 0;
      let tail = Buffer.alloc(0);
      const merges: string[] = [];
      const fail = (message: string): void => {
        stream.destroy();
        reject(new XlsxFileError(message));
      };
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > limits.maxEntryBytes || bytes > budget) {
          fail(
            `File non valido: contenuto decompresso troppo grande (oltre ${megabytes(Math.min(limits.maxEntryBytes, budget))}).`,
          );
          return;
        }
        if (countRows) {
          const data = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
          // Tags that start in the last OVERLAP bytes are counted with the next chunk, which begins with those bytes.
          const cut = Math.max(0, data.length - OVERLAP);
          rows += countRowTags(data, cut);
          if (merges.length < MAX_MERGES) collectMerges(data, cut, merges);
          tail = Buffer.from(data.subarray(cut));
          if (rows > limits.maxRowsPerSheet) {
            fail(
              `File non valido: un foglio ha più di ${limits.maxRowsPerSheet.toLocaleString('it-IT')} righe; il limite è ${MAX_DATA_ROWS.toLocaleString('it-IT')} righe di dati per foglio.`,
            );
          }
        }
      });
      stream.on('error', () =>
        reject(new XlsxFileError('File non valido: archivio .xlsx danneggiato (dati compressi non leggibili).')),
      );
      stream.on('end', () => {
        if (merges.length < MAX_MERGES) collectMerges(tail, tail.length, merges);
        // The last tag ends the part: `>` or whitespace follows it within the data.
        resolve({ bytes, rows: rows + countRowTags(Buffer.concat([tail, Buffer.from(' ')]), tail.length), merges });
      });
    });
  });
}

/** Throws XlsxFileError when the bytes are not a well-formed, reasonably sized .xlsx archive. */
export async function inspectXlsx(buffer: Buffer, limits: XlsxLimits = XLSX_LIMITS): Promise<XlsxInspection> {
  const problem = describeStart(buffer);
  if (problem) throw new XlsxFileError(problem);
  if (buffer.length > limits.maxFileBytes) {
    throw new XlsxFileError(
      `File non valido: troppo grande (${megabytes(buffer.length)}, massimo ${megabytes(limits.maxFileBytes)}).`,
    );
  }
  const zip = await openZip(buffer);
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new XlsxFileError(`File non valido: l'archivio contiene troppi elementi (${zip.entryCount}).`);
    }
    let total = 0;
    let sawWorkbook = false;
    const worksheets = new Map<string, { rows: number; merges: readonly string[] }>();
    await new Promise<void>((resolve, reject) => {
      zip.on('error', () => reject(new XlsxFileError('File non valido: archivio .xlsx danneggiato o incompleto.')));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const check = async (): Promise<void> => {
          if (entry.fileName === 'xl/workbook.xml') sawWorkbook = true;
          if (entry.uncompressedSize > limits.maxEntryBytes || total + entry.uncompressedSize > limits.maxTotalBytes) {
            throw new XlsxFileError(
              `File non valido: contenuto decompresso troppo grande (${megabytes(total + entry.uncompressedSize)}).`,
            );
          }
          if (
            entry.uncompressedSize > limits.ratioFloorBytes &&
            entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)
          ) {
            throw new XlsxFileError(
              "File non valido: rapporto di compressione anomalo (possibile 'zip bomb'); il file non è stato aperto.",
            );
          }
          if (!entry.fileName.endsWith('/')) {
            const scan = await scanEntry(zip, entry, limits, limits.maxTotalBytes - total);
            total += scan.bytes;
            if (isWorksheet(entry.fileName)) {
              worksheets.set(entry.fileName.toLowerCase(), { rows: scan.rows, merges: scan.merges });
            }
          }
        };
        check().then(
          () => zip.readEntry(),
          (error: unknown) => reject(error),
        );
      });
      zip.readEntry();
    });
    if (!sawWorkbook) {
      throw new XlsxFileError('File non valido: è un archivio zip ma non una cartella di lavoro Excel (.xlsx).');
    }
    return { worksheets };
  } finally {
    zip.close();
  }
}
