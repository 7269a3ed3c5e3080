import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { italianCount } from '../../shared/checks/bound.ts';
import { MAX_DATA_ROWS } from '../../shared/workbook/index.ts';
import { spending, validSubmission } from '../support/builders.ts';
import { writeBigXlsx } from './support/big-workbook.ts';
import { runCli } from './support/cli.ts';
import { type TempDir, tempDir } from './support/workbooks.ts';

/**
 * The documented maximum is reachable: `rendiconta valida` reads a sheet of MAX_DATA_ROWS rows (100,000) from disk
 * through the streaming reader and prints its report, bounded (1,000 findings per rule, 10,000 in all, with the full
 * counts), in bounded memory: the command runs with a V8 heap capped at 256 MB, and every row breaks four rules, so
 * the findings alone would be 400,000 if they were printed. One file, written once with exceljs's streaming writer.
 */

const HEAP_MB = 256;
/** Every row: an unknown LEPS code (T5.0), liquidato over impegnato and personnel over liquidato (T5.1, T5.3). */
const brokenRow = (index: number) =>
  spending({
    ANNUALITA: 2016 + (index % 10),
    IMPEGNATO: 100 + index,
    LIQUIDATO: 200 + index,
    DI_CUI_PERSONALE: 300 + index,
    COD_LEPS: 'LEPS_X',
  });

const base = validSubmission({ T5: [] });
let dir: TempDir;
let path: string;
let unreadable: string;
/** Spending rows whose amount cell is in error: each is a reader finding, and invia stops before sending. */
const UNREADABLE_ROWS = 1_500;

beforeAll(async () => {
  dir = tempDir('rendiconta-big-');
  path = `${dir.path}/ambito-${MAX_DATA_ROWS}-righe.xlsx`;
  await writeBigXlsx(path, { base, sheet: 'T5', rows: MAX_DATA_ROWS, row: brokenRow });
  unreadable = `${dir.path}/celle-in-errore.xlsx`;
  await writeBigXlsx(unreadable, {
    base,
    sheet: 'T5',
    rows: UNREADABLE_ROWS,
    row: (index) => spending({ ANNUALITA: 2016 + (index % 10), IMPEGNATO: '#N/A' }),
  });
}, 300_000);

afterAll(() => dir?.dispose());

describe('a sheet at the documented maximum of rows', () => {
  it('the limit is at least 100,000 rows a sheet', () => {
    expect(MAX_DATA_ROWS).toBeGreaterThanOrEqual(100_000);
  });

  it('valida reads every row and prints its report, bounded, within a 256 MB heap', () => {
    const result = runCli(['valida', path], { env: { NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    const findingLines = lines.filter((line) => /^T5_Spesa_LEPS!/.test(line));
    expect(findingLines.length).toBeLessThanOrEqual(10_000);
    expect(findingLines.filter((line) => line.includes('\tT5.0\t'))).toHaveLength(1000);
    expect(result.stdout).toContain(
      `Mostrate 1.000 di ${italianCount(MAX_DATA_ROWS)} segnalazioni per la regola T5.0.`,
    );
    const otherRows = Object.values(base.sheets).reduce((total, rows) => total + (rows?.length ?? 0), 0);
    expect(lines.at(-1)).toMatch(`su ${MAX_DATA_ROWS + otherRows} righe. Il file non può essere inviato.`);
  }, 300_000);

  it('invia stops on a file the reader cannot read whole, and prints the reader’s findings bounded', () => {
    // The token is never sent: the file is refused before any request.
    const result = runCli(['invia', unreadable, '--api', 'https://127.0.0.1:9'], { env: { RENDICONTA_TOKEN: 'x' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Il file non è leggibile come modello:');
    expect(lines.filter((line) => /^T5_Spesa_LEPS!J\d+\t/.test(line))).toHaveLength(1000);
    expect(result.stdout).toContain(
      `Mostrate 1.000 di ${italianCount(UNREADABLE_ROWS)} segnalazioni per la regola T5.0.`,
    );
  }, 120_000);
});
