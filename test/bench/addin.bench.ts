import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { localCheck } from '../../addin/app/checks.ts';
import { BUNDLE_BUDGET_BYTES, buildAddin, OUT_DIR, SHARED_BUNDLE } from '../../addin/build.ts';
import { insertTemplate } from '../../addin/excel/draw.ts';
import { validateWorkbook } from '../../addin/excel/validate.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { startLocalStack } from '../../functions/local/stack.ts';
import { validateSubmission } from '../../shared/checks/engine.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { FakeWorkbook } from '../addin/fake-excel.ts';
import { fakeHostScript, launchChromium } from '../addin/support.ts';
import { typeSubmission } from '../addin/workbook-fixture.ts';
import { NOW, staff, validSubmission } from '../support/builders.ts';
import { officeRequestMeter } from '../support/office-request.ts';
import { EXCEL_WEB_PAYLOAD_LIMIT } from '../support/request-meter.ts';

/**
 * The add-in's figures: task pane bundle size (target under 200 KB minified, office.js excluded), time until the
 * built task pane is interactive in Chromium against the local stack, and time to validate 10,000 rows through the
 * add-in's Excel code with the fake host (read batch, checks, write batch: two round trips), and the round trips and
 * largest request of validating 100,000 rows with 20,000 findings, measured with Microsoft's Office.js.
 */

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function bundleSize(): Promise<void> {
  const result = await buildAddin();
  for (const bundle of result.bundles) {
    const bytes = readFileSync(join(result.outDir, `${bundle.name}.js`));
    console.log(
      `${bundle.name}.js: ${(bytes.length / 1024).toFixed(1)} KB minified, ${(gzipSync(bytes).length / 1024).toFixed(1)} KB gzip`,
    );
  }
  console.log(
    `bundle target: < ${BUNDLE_BUDGET_BYTES / 1024} KB minified each (test/addin/bundle-size.test.ts); office.js not bundled. An operator's pane loads taskpane.js, then ${SHARED_BUNDLE}.js and taskpane-work.js; a Region's reviewer also taskpane-regional.js`,
  );
}

/**
 * Recorded in the page from its first script on: when #app stops being busy (the pane answers), and the first paint.
 * The wall-clock figure (goto until Playwright sees the attribute) is the one the target is set on; these say where
 * the time went.
 */
const INTERACTIVE_MARKS = `
new MutationObserver(function () {
  var app = document.getElementById('app');
  if (app && app.getAttribute('aria-busy') === 'false' && performance.getEntriesByName('leps-interactive').length === 0) {
    performance.mark('leps-interactive');
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-busy'] });
`;

interface PaneTimings {
  readonly interactive: number;
  readonly firstPaint: number;
  readonly workBeforeInteractive: boolean;
}

/**
 * What the driver itself costs: a fresh context and page, navigation to the stack over TLS with the fake host's init
 * script, Playwright waiting for the load event and then for the selector (its first selector query in a context
 * injects Playwright's own script). Measured on a page with nothing to load, already not busy, so that the pane's
 * wall clock less this is what the pane's own files and office.js take.
 */
const DRIVER_BASELINE_PAGE = 'bench-driver-baseline.html';
const DRIVER_BASELINE_HTML =
  '<!doctype html><html lang="it"><head><meta charset="utf-8"><title>.</title></head><body><main id="app" aria-busy="false">.</main></body></html>';

async function driverOnly(browser: Browser, url: string, script: string): Promise<number> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  await context.addInitScript({ content: script });
  const page = await context.newPage();
  const start = performance.now();
  await page.goto(url);
  await page.waitForSelector('#app[aria-busy="false"]');
  const elapsed = performance.now() - start;
  await context.close();
  return elapsed;
}

async function timeToInteractive(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leps-bench-'));
  const stack = await startLocalStack({ port: 0, dataDir, seed: false, quiet: true });
  const browser = await launchChromium();
  try {
    const script = `${await fakeHostScript()};${INTERACTIVE_MARKS}`;
    writeFileSync(join(OUT_DIR, DRIVER_BASELINE_PAGE), DRIVER_BASELINE_HTML);
    const times: number[] = [];
    const baseline: number[] = [];
    const inPage: PaneTimings[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      baseline.push(await driverOnly(browser, `${stack.url}/${DRIVER_BASELINE_PAGE}`, script));
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      await context.addInitScript({ content: script });
      const page = await context.newPage();
      const start = performance.now();
      await page.goto(`${stack.url}/taskpane.html`);
      await page.waitForSelector('#app[aria-busy="false"]');
      times.push(performance.now() - start);
      inPage.push(
        await page.evaluate(() => {
          const interactive = performance.getEntriesByName('leps-interactive')[0]?.startTime ?? Number.NaN;
          let workBeforeInteractive = false;
          for (const entry of performance.getEntriesByType('resource')) {
            const name = entry.name.split('/').pop() ?? '';
            if (name.startsWith('taskpane-') && name !== 'taskpane.js' && entry.startTime < interactive) {
              workBeforeInteractive = true;
            }
          }
          const firstPaint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
          return { interactive, firstPaint, workBeforeInteractive };
        }),
      );
      await context.close();
    }
    // The first load warms Chromium and the stack's file cache; the figures are over the other six.
    times.shift();
    baseline.shift();
    inPage.shift();
    const bytes = (file: string) => {
      try {
        return `${(readFileSync(join(OUT_DIR, file)).length / 1024).toFixed(1)} KB`;
      } catch {
        return 'absent';
      }
    };
    console.log(
      `task pane time to interactive in Chromium (local stack, fake Excel host), the page's own clock: #app not busy ${median(inPage.map((timing) => timing.interactive)).toFixed(0)} ms after navigation start, first contentful paint ${median(inPage.map((timing) => timing.firstPaint)).toFixed(0)} ms (medians over ${inPage.length} loads; target < 500 ms)`,
    );
    console.log(
      `  as the test driver sees it (page.goto until the selector matches, CDP round trips and Playwright's selector polling included): median ${median(times).toFixed(0)} ms`,
    );
    console.log(
      `  the driver alone, same steps on a page already interactive when parsed (${DRIVER_BASELINE_PAGE}, same stack, same init script): median ${median(baseline).toFixed(0)} ms; the pane's wall clock less that: ${(median(times) - median(baseline)).toFixed(0)} ms`,
    );
    console.log(
      `  loaded before interactive: taskpane.js (${bytes('taskpane.js')}), office.js; deferred: taskpane-shared.js (${bytes('taskpane-shared.js')}) and taskpane-work.js (${bytes('taskpane-work.js')}), any of them requested before interactive in ${inPage.filter((timing) => timing.workBeforeInteractive).length} of ${inPage.length} loads`,
    );
  } finally {
    rmSync(join(OUT_DIR, DRIVER_BASELINE_PAGE), { force: true });
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function validateTenThousand(): Promise<void> {
  const comuni = loadComuni();
  const rows = Array.from({ length: 10_000 }, (_, index) =>
    staff(`AS-${index}`, { ORE_SETT: index % 50 === 0 ? 40 : 36 }),
  );
  const times: number[] = [];
  let syncs = 0;
  let findings = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const book = new FakeWorkbook();
    await insertTemplate(book.run, LEPS_ATS);
    typeSubmission(book, validSubmission({ T3: rows }));
    book.syncCount = 0;
    const start = performance.now();
    const outcome = await validateWorkbook({
      run: book.run,
      template: LEPS_ATS,
      features: { notes: true },
      check: async (read) => localCheck(read.submission, comuni, NOW),
    });
    times.push(performance.now() - start);
    syncs = book.syncCount;
    findings = outcome.ok ? outcome.result.findings.length : 0;
  }
  console.log(
    `validate 10,000 T3 rows through addin/excel with the fake host: median ${median(times).toFixed(0)} ms, ${syncs} round trips, ${findings} findings marked`,
  );
}

/**
 * Round trips and request sizes of a large validation, every request serialised by Microsoft's Office.js
 * (test/support/office-request.ts): 100,000 T3 rows, every fifth with 40 weekly hours, so 20,000 findings, each
 * marked with a note. The checks are the shared engine's, unbounded (the add-in's own list is bounded to 10,000),
 * so that the write path carries all 20,000.
 */
async function validateHundredThousand(): Promise<void> {
  const comuni = loadComuni();
  const rows = Array.from({ length: 100_000 }, (_, index) =>
    staff(`AS-${index}`, { ORE_SETT: index % 5 === 0 ? 40 : 36 }),
  );
  const book = new FakeWorkbook({ notes: true, meter: officeRequestMeter() });
  await insertTemplate(book.run, LEPS_ATS);
  typeSubmission(book, validSubmission({ T3: rows }));
  book.syncCount = 0;
  book.meter?.requestBytes.splice(0);
  book.responseBytes.splice(0);
  let readTrips = 0;
  const start = performance.now();
  const outcome = await validateWorkbook({
    run: book.run,
    template: LEPS_ATS,
    features: { notes: true },
    check: async (read) => {
      readTrips = book.syncCount;
      const checked = validateSubmission(read.submission, { comuni, now: NOW });
      return { findings: checked.ok ? checked.findings : [], source: 'local' };
    },
  });
  const elapsed = performance.now() - start;
  if (!outcome.ok) throw new Error(outcome.message);
  const sizes = book.requestBytes;
  const largest = Math.max(...sizes);
  const answer = Math.max(...book.responseBytes);
  console.log(
    `validate 100,000 T3 rows with ${outcome.result.findings.length} findings (notes ${outcome.notesWritten ? 'written' : 'left out'}), requests as Office.js serialises them: ${book.syncCount} round trips (${readTrips} read, ${book.syncCount - readTrips} writes), largest request ${largest} bytes (${(largest / 1e6).toFixed(2)} MB; limit ${EXCEL_WEB_PAYLOAD_LIMIT / 1e6} MB), all requests ${sizes.map((bytes) => (bytes / 1e6).toFixed(2)).join(' + ')} MB; ${(elapsed / 1000).toFixed(1)} s with the fake host and the library in Node`,
  );
  console.log(
    `  largest response: ${answer} bytes of loaded values as JSON (a lower bound of Excel's answer; over ${EXCEL_WEB_PAYLOAD_LIMIT} bytes Excel on the web refuses it, as the fake host does: ${book.refusedResponses} refused, then read in blocks); answers ${book.responseBytes.map((bytes) => (bytes / 1e6).toFixed(2)).join(' + ')} MB`,
  );
}

export async function run(): Promise<void> {
  await bundleSize();
  await validateTenThousand();
  await validateHundredThousand();
  await timeToInteractive();
}
