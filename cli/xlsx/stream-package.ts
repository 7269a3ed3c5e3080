import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { XlsxFileError } from './guard.ts';
import { type XmlHandler, XmlScanner } from './stream-xml.ts';

/**
 * The parts of an .xlsx package (a zip), opened in any order: the workbook, its relationships, shared strings and
 * styles are read before the worksheets whatever the zip's order (exceljs's streaming writer puts the worksheets
 * first). Runs only after the guard (guard.ts) has inflated every entry within its limits, so sizes here are known
 * to be bounded.
 */
export interface XlsxPackage {
  has(name: string): boolean;
  /** Streams one part through an XML handler, chunk by chunk. */
  scan(name: string, handler: XmlHandler): Promise<void>;
  close(): void;
}

const broken = (): XlsxFileError =>
  new XlsxFileError('File non valido: archivio .xlsx danneggiato o incompleto (file troncato?).');

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (error, zip) => {
      if (error || !zip) reject(broken());
      else resolve(zip);
    });
  });
}

function listEntries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    zip.on('error', () => reject(broken()));
    zip.on('end', () => resolve(entries));
    zip.on('entry', (entry: yauzl.Entry) => {
      // Part names are case-insensitive (ECMA-376 part 2, §9.1.1.1).
      entries.set(entry.fileName.toLowerCase(), entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

export async function openPackage(buffer: Buffer): Promise<XlsxPackage> {
  const zip = await openZip(buffer);
  const entries = await listEntries(zip);
  const entryOf = (name: string): yauzl.Entry | undefined => entries.get(name.replace(/^\//, '').toLowerCase());
  return {
    has: (name) => entryOf(name) !== undefined,
    scan: (name, handler) =>
      new Promise<void>((resolve, reject) => {
        const entry = entryOf(name);
        if (!entry) {
          reject(new XlsxFileError(`File non valido: manca la parte "${name.slice(0, 80)}" della cartella di lavoro.`));
          return;
        }
        // Deflated parts are inflated here in 1 MiB pieces rather than yauzl's 16 KiB: a 40 MB worksheet otherwise
        // costs thousands of thread-pool round trips. The guard has already checked every entry's real size.
        const deflated = entry.compressionMethod === 8;
        zip.openReadStream(entry, deflated ? { decompress: false } : {}, (error, raw) => {
          if (error || !raw) {
            reject(broken());
            return;
          }
          const stream = deflated ? raw.pipe(createInflateRaw({ chunkSize: 1024 * 1024 })) : raw;
          raw.on('error', () => stop(broken()));
          const scanner = new XmlScanner(handler);
          const decoder = new StringDecoder('utf8');
          let failed = false;
          const stop = (cause: unknown): void => {
            if (failed) return;
            failed = true;
            stream.destroy();
            reject(cause instanceof XlsxFileError ? cause : cause instanceof Error ? cause : broken());
          };
          stream.on('data', (chunk: Buffer) => {
            if (failed) return;
            try {
              scanner.write(decoder.write(chunk));
            } catch (cause) {
              stop(cause);
            }
          });
          stream.on('error', () => stop(broken()));
          stream.on('end', () => {
            if (failed) return;
            try {
              scanner.write(decoder.end());
              scanner.end();
              resolve();
            } catch (cause) {
              stop(cause);
            }
          });
        });
      }),
    close: () => zip.close(),
  };
}
