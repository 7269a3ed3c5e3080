import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectXlsx, XLSX_LIMITS, XlsxFileError } from '../../cli/xlsx/guard.ts';
import { readWorkbook } from '../../cli/xlsx/read.ts';
import { MAX_DATA_ROWS } from '../../shared/workbook/index.ts';
import { validSubmission } from '../support/builders.ts';
import { runCli } from './support/cli.ts';
import { filledXlsx, type TempDir, tempDir } from './support/workbooks.ts';
import { buildZip, CONTENT_TYPES, sheetXml, WORKBOOK } from './support/zip.ts';

/**
 * Files that are not workbooks, or are built to exhaust the reader, give a clear Italian error without being
 * unpacked into memory: the guard stops at the limits (see cli/xlsx/guard.ts) before exceljs sees the bytes.
 */

let dir: TempDir;
let good: Buffer;

beforeAll(async () => {
  dir = tempDir();
  good = await filledXlsx(validSubmission());
});

afterAll(() => dir?.dispose());

async function refusal(buffer: Buffer): Promise<string> {
  try {
    await readWorkbook(buffer);
  } catch (error) {
    expect(error).toBeInstanceOf(XlsxFileError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

const MB = 1024 * 1024;

describe('bad files', () => {
  it('a good workbook passes the guard', async () => {
    await expect(inspectXlsx(good)).resolves.toBeDefined();
  });

  it('not a zip, an empty file, an old .xls', async () => {
    expect(await refusal(Buffer.from('COD_ATS;ANNO_RIF\nATS-05-001;2025\n'))).toMatch(
      /^File non valido: non è un file \.xlsx/,
    );
    expect(await refusal(Buffer.alloc(0))).toBe('File non valido: il file è vuoto.');
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    expect(await refusal(xls)).toMatch(/\.xls \(Excel 97-2003\)/);
  });

  it('a truncated workbook', async () => {
    expect(await refusal(good.subarray(0, Math.floor(good.length / 2)))).toMatch(/danneggiato o incompleto/);
  });

  it('a zip that is not a workbook', async () => {
    const zip = buildZip([{ name: 'readme.txt', data: Buffer.from('ciao') }]);
    expect(await refusal(zip)).toMatch(/non una cartella di lavoro Excel/);
  });

  it('a zip bomb: an entry that inflates a thousandfold is refused from its header', async () => {
    const bomb = buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'xl/workbook.xml', data: WORKBOOK },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(40 * MB, 0x20) },
    ]);
    expect(bomb.length).toBeLessThan(MB);
    expect(await refusal(bomb)).toMatch(/zip bomb/);
  });

  it('a zip bomb that lies about its size is stopped while inflating', async () => {
    const liar = buildZip([
      { name: 'xl/workbook.xml', data: WORKBOOK },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(48 * MB, 0x20), declaredSize: 1000 },
    ]);
    expect(await refusal(liar)).toMatch(/^File non valido: archivio \.xlsx danneggiato/);
  });

  it('a huge sheet: too many rows is refused before the workbook is loaded', async () => {
    const huge = buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'xl/workbook.xml', data: WORKBOOK },
      { name: 'xl/worksheets/sheet1.xml', data: sheetXml(MAX_DATA_ROWS + 200) },
    ]);
    expect(await refusal(huge)).toContain(`più di ${(MAX_DATA_ROWS + 100).toLocaleString('it-IT')} righe`);
  });

  it('content over the size limits is refused, whatever its compression ratio', async () => {
    const big = buildZip([
      { name: 'xl/workbook.xml', data: WORKBOOK },
      { name: 'xl/worksheets/sheet1.xml', data: sheetXml(40_000) },
    ]);
    await expect(inspectXlsx(big)).resolves.toBeDefined();
    await expect(inspectXlsx(big, { ...XLSX_LIMITS, maxTotalBytes: MB })).rejects.toThrow(
      /^File non valido: contenuto decompresso troppo grande/,
    );
    await expect(inspectXlsx(big, { ...XLSX_LIMITS, maxFileBytes: 1000 })).rejects.toThrow(/troppo grande/);
  });

  it('the command line answers a bad file with exit status 2 and the reason on stderr', () => {
    const bomb = buildZip([
      { name: 'xl/workbook.xml', data: WORKBOOK },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(16 * MB, 0x20) },
    ]);
    const result = runCli(['valida', dir.file('bomba.xlsx', bomb)]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Errore: File non valido: .*zip bomb/);
    expect(result.stdout).toBe('');
    const missing = runCli(['valida', `${dir.path}/non-esiste.xlsx`]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('non trovato');
  });

  it('usage errors exit with status 2 and an Italian message', () => {
    const missing = runCli(['valida']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Errore: manca l’argomento obbligatorio');
    const unknown = runCli(['controlla', 'x.xlsx']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Errore: comando sconosciuto 'controlla'");
  });
});
