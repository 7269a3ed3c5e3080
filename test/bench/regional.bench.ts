import type { RegionalRun } from '../../addin/regional/host.ts';
import { EXCEL_WEB_REQUEST_LIMIT, renderWorkbook } from '../../addin/regional/render.ts';
import { buildConsolidatedWorkbook } from '../../shared/consolidation/index.ts';
import { FakeWorkbook as AddinFakeWorkbook } from '../addin/fake-excel.ts';
import { FakeWorkbook } from '../regional/fake-host.ts';
import { demoRegion } from '../regional/support.ts';
import { officeRequestMeter } from '../support/office-request.ts';

/**
 * The Region's "Consolida" at 100 and 600 ATS (synthetic Italy, the demo generator's valid annual submissions):
 * time to build the workbook model, time to draw it on the fake hosts, round trips, and request sizes against Excel on
 * the web's 5 MB limit. Target: at most 3 round trips for 100 ATS, no request over 5 MB at any size.
 */

/** Decimal megabytes: Excel on the web’s "5MB" is taken as 5,000,000 bytes (addin/excel/batch.ts). */
const MB = 1_000_000;
const ms = (start: number): string => `${(performance.now() - start).toFixed(0)} ms`;

export async function run(): Promise<void> {
  for (const count of [100, 600]) {
    let start = performance.now();
    const response = demoRegion(count);
    const rows = Object.values(response.rows).reduce((total, list) => total + list.length, 0);
    console.log(`\n${count} ATS, ${rows} rows: synthetic data generated in ${ms(start)}`);

    start = performance.now();
    const model = buildConsolidatedWorkbook(response);
    const cells = model.sheets.reduce((total, sheet) => total + sheet.rows.length * sheet.columns.length, 0);
    console.log(`  model built in ${ms(start)} (${model.sheets.length} sheets, ${cells} cells)`);

    // Every request measured as Microsoft's Office.js serialises it (test/support/office-request.ts).
    const book = new FakeWorkbook(['Foglio1'], { meter: officeRequestMeter() });
    start = performance.now();
    const report = await renderWorkbook(book.run, model);
    const measured = book.requestBytes.slice(1);
    const total = measured.reduce((sum, bytes) => sum + bytes, 0);
    console.log(
      `  drawn on the regional fake host in ${ms(start)}: ${book.syncs} round trips` +
        ` (target ≤ 3 for 100 ATS), ${measured.length} write requests of ${measured.map((bytes) => (bytes / MB).toFixed(2)).join(', ')} MB` +
        ` as Office.js serialises them (${(total / MB).toFixed(2)} MB in all; largest bound ${(Math.max(...report.requestBytes) / MB).toFixed(2)} MB,` +
        ` limit ${(EXCEL_WEB_REQUEST_LIMIT / MB).toFixed(2)} MB)`,
    );

    // The add-in's own fake host: same rendering without charts (it has none).
    const addinBook = new AddinFakeWorkbook({ notes: false });
    addinBook.addSheet('Foglio1');
    start = performance.now();
    await renderWorkbook(addinBook.run as unknown as RegionalRun, {
      ...model,
      sheets: model.sheets.map((sheet) => ({ ...sheet, charts: [] })),
    });
    console.log(`  drawn on the add-in's fake host (no charts) in ${ms(start)}: ${addinBook.syncCount} round trips`);
  }
}
