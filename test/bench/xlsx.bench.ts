import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { validateWorkbook } from '../../cli/commands/valida.ts';
import { inspectXlsx } from '../../cli/xlsx/guard.ts';
import { readWorkbook } from '../../cli/xlsx/read.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { filledXlsx, tempDir } from '../cli/support/workbooks.ts';
import { fund, NOW, spending, staff, validSubmission } from '../support/builders.ts';

/**
 * Validating a 10,000-row .xlsx from disk (`rendiconta valida`): 2,000 staff rows, 4,000 fund rows and 4,000 spending
 * rows in the template's layout. Target: a few seconds on this 2-core machine, far below an accountant's patience.
 */

const pad = (value: number): string => String(value).padStart(5, '0');

function bigSubmission() {
  const staffRows = Array.from({ length: 2000 }, (_, index) =>
    staff(`AS-${pad(index)}`, { ORE_SETT: index % 3 === 0 ? 18 : 36 }),
  );
  const fundRows = Array.from({ length: 4000 }, (_, index) =>
    fund({ ANNUALITA: 2016 + (index % 10), ATTO_ASSEGNAZIONE: `DM ${index}`, IMPORTO_ASSEGNATO: 480000 + index }),
  );
  const spendingRows = Array.from({ length: 4000 }, (_, index) =>
    spending({
      ANNUALITA: 2016 + (index % 10),
      IMPEGNATO: 1000 + index,
      LIQUIDATO: 500 + index,
      DI_CUI_PERSONALE: null,
    }),
  );
  return validSubmission({ T3: staffRows, T4: fundRows, T5: spendingRows });
}

const ms = (from: number): string => `${Math.round(performance.now() - from)} ms`;

export async function run(): Promise<void> {
  const dir = tempDir('rendiconta-bench-');
  try {
    const path = dir.file('ambito-10000-righe.xlsx', Buffer.alloc(0));
    await writeFile(path, await filledXlsx(bigSubmission()));
    loadComuni();

    const startAll = performance.now();
    const bytes = await readFile(path);
    const startGuard = performance.now();
    await inspectXlsx(bytes);
    const guard = ms(startGuard);
    const startRead = performance.now();
    const read = await readWorkbook(bytes);
    const readTime = ms(startRead);
    const rows = Object.values(read.submission.sheets).reduce((total, sheet) => total + (sheet?.length ?? 0), 0);
    console.log(`file: ${(bytes.length / 1048576).toFixed(1)} MB, ${rows} data rows`);
    console.log(`guard (zip checks, full inflate): ${guard}`);
    console.log(`read (guard + exceljs + mapping): ${readTime}`);

    const startValidate = performance.now();
    const report = await validateWorkbook(await readFile(path), { now: NOW });
    console.log(
      `valida from disk (read + every check): ${ms(startValidate)}; ${report.errors} errors, ${report.warnings} warnings`,
    );
    console.log(
      `total this run: ${ms(startAll)}; heap used ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB, rss ${Math.round(process.memoryUsage().rss / 1048576)} MB`,
    );
  } finally {
    dir.dispose();
  }
}
