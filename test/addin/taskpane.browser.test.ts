import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAddin } from '../../addin/build.ts';
import { type LocalStack, startLocalStack } from '../../functions/local/stack.ts';
import { API_CORS } from '../../shared/contract/cors.ts';
import { COMPRESS_REQUEST_ABOVE_BYTES } from '../../shared/contract/limits.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { columnLetterOf, sheetById } from '../../shared/workbook/index.ts';
import { largeSubmission } from '../functions/support.ts';
import { comuni, staffRows, validSubmission, withRow } from '../support/builders.ts';
import { fakeHostScript, launchChromium } from './support.ts';

/**
 * The built task pane in headless Chromium against the real local stack (HTTPS, DynamoDB Local), with Excel faked
 * inside the page: sign in through the sign-in page, validate, select a cell, submit, and survive the API going away.
 */

const screenshots = process.env.LEPS_SCREENSHOTS === '1';

let stack: LocalStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dataDir: string;
/** What the browser sent to the API's origin: the preflights' requested headers, and each cross-origin request. */
const preflights: { method: string; headers: string[] }[] = [];
const apiRequests: { method: string; origin: string; encoding: string | undefined }[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'leps-addin-'));
  await buildAddin();
  stack = await startLocalStack({
    port: 0,
    dataDir,
    seed: true,
    quiet: true,
    // Recorded by the API origin itself: Chromium does not show its preflights to the page or to Playwright.
    observeApi: ({ method, headers }) => {
      const origin = typeof headers.origin === 'string' ? headers.origin : undefined;
      if (method === 'OPTIONS') {
        const requested = String(headers['access-control-request-headers'] ?? '');
        preflights.push({
          method: String(headers['access-control-request-method'] ?? ''),
          headers: requested
            .split(',')
            .map((name) => name.trim().toLowerCase())
            .filter((name) => name !== ''),
        });
      } else if (origin) apiRequests.push({ method, origin, encoding: headers['content-encoding'] });
    },
  });
  browser = await launchChromium();
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 420, height: 900 } });
  await context.addInitScript({ content: `${await fakeHostScript()};${INTERACTIVE_MARK}` });
  page = await context.newPage();
  await page.goto(`${stack.url}/taskpane.html`);
  await page.waitForSelector('#app[aria-busy="false"]');
}, 180_000);

/** Marks the moment #app stops being busy, from the page's first script on (the bench reads the same mark). */
const INTERACTIVE_MARK = `
new MutationObserver(function () {
  var app = document.getElementById('app');
  if (app && app.getAttribute('aria-busy') === 'false' && performance.getEntriesByName('leps-interactive').length === 0) {
    performance.mark('leps-interactive');
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-busy'] });
`;

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const typeIntoWorkbook = (submission: unknown) =>
  page.evaluate((value) => window.lepsFake?.type(value as never), submission);

async function apiGet(
  path: string,
): Promise<{ status: number; body: { currentVersion?: number; receipt?: { sha256: string } } }> {
  const token = await stack.token({ sub: 'verifica', groups: ['ats-operator'], ats: 'ATS-05-001' });
  const response = await page.request.get(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status(), body: await response.json() };
}

describe('the task pane in Chromium', () => {
  it('is served by the add-in origin and calls the API on its own origin, as CloudFront and API Gateway are', () => {
    expect(new URL(stack.apiUrl).origin).not.toBe(new URL(stack.url).origin);
  });

  it('is interactive before the deferred part (checks, template, Excel code) is even requested, which loads after', async () => {
    const timings = await page.evaluate(() => ({
      interactive: performance.getEntriesByName('leps-interactive')[0]?.startTime ?? null,
      work: performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/taskpane-work.js'))
        ?.startTime,
    }));
    expect(timings.interactive).not.toBeNull();
    if (timings.work !== undefined) expect(timings.work).toBeGreaterThan(timings.interactive ?? 0);
    await page.waitForFunction(() => window.rendicontaLepsWork !== undefined);
  });

  it('signs in through the local sign-in page in the dialog', async () => {
    const [dialog] = await Promise.all([context.waitForEvent('page'), page.click('#sign-in')]);
    await dialog.locator('#login-scope').fill('ATS-05-001');
    await dialog.locator('button[type="submit"]').click();
    await expect.poll(() => page.textContent('#user')).toContain('ATS-05-001');
    expect(await page.inputValue('#ats')).toBe('ATS-05-001');
  });

  it('validates: findings listed by sheet, and a click selects the cell', async () => {
    await page.selectOption('#period', '2025-12-31');
    await typeIntoWorkbook(
      validSubmission({
        T2: withRow(comuni(), 2, { POPOLAZIONE_RESIDENTE: -5 }),
        T3: withRow(staffRows(), 3, { ORE_SETT: 40 }),
      }),
    );
    const before = await page.evaluate(() => window.lepsFake?.syncs() ?? 0);
    await page.click('#validate');
    await page.waitForSelector('#findings .finding');
    expect((await page.evaluate(() => window.lepsFake?.syncs() ?? 0)) - before).toBe(2);
    const headings = await page.locator('#findings h3').allTextContents();
    expect(headings.some((heading) => heading.startsWith('T2'))).toBe(true);
    expect(await page.textContent('#summary')).toContain('controlli del servizio');
    const finding = page.locator('#findings .finding', { hasText: 'cella F3' }).first();
    await finding.click();
    await expect
      .poll(() => page.evaluate(() => window.lepsFake?.selection()))
      .toEqual({
        sheet: 'T2_ATS_Comuni',
        address: 'F3',
      });
    await page.check('input[name="severity"][value="warning"]');
    expect(await page.locator('#findings .finding.error').count()).toBe(0);
    await page.check('input[name="severity"][value="all"]');
    if (screenshots) await page.screenshot({ path: 'docs/screenshots/taskpane-controlli.png', fullPage: true });
  });

  it('deletes the selected rows of a template sheet with Elimina righe, as the ribbon’s button does', async () => {
    const t3 = sheetById(LEPS_ATS, 'T3');
    const idAt = (row: number) =>
      page.evaluate(
        ([sheet, address]) => window.lepsFake?.sheetValue(sheet ?? '', address ?? ''),
        [t3.name, `${columnLetterOf(t3, 'ID_DIPENDENTE')}${row}`],
      );
    const [third, fourth] = [await idAt(3), await idAt(4)];
    expect(third).not.toBe(fourth);
    await page.evaluate((sheet) => {
      if (window.lepsFake) window.lepsFake.book.selection = { sheet, address: '3:3' };
    }, t3.name);
    await page.click('#delete-rows');
    await expect.poll(() => page.textContent('#status')).toContain(`Eliminata la riga 3 del foglio «${t3.name}»`);
    expect(await idAt(3)).toBe(fourth);
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    const results = await new AxeBuilder({ page }).analyze();
    const blocking = results.violations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? ''));
    expect(blocking.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
  });

  it('submits: progress, the receipt in the pane and on the Ricevuta sheet, the version stored', async () => {
    await typeIntoWorkbook(validSubmission());
    await page.click('#submit');
    await page.waitForSelector('#receipt-section:not([hidden])');
    const version = await page.textContent('#receipt dd[data-field="Versione"]');
    const sha = await page.textContent('#receipt dd[data-field="Impronta SHA-256"]');
    expect(version).toBe('1');
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    // One wording with the Ricevuta sheet and the command line (shared/client/receipt.ts): the status in Italian.
    expect(await page.textContent('#receipt dd[data-field="Stato"]')).toBe('Inviata');
    expect(await page.textContent('#receipt dd[data-field="Periodo"]')).toBe('31/12/2025');
    await expect.poll(() => page.evaluate(() => window.lepsFake?.sheetValue('Ricevuta', 'B6'))).toBe(sha);
    const stored = await apiGet('/v1/ats/ATS-05-001/submissions/2025-12-31');
    expect(stored.status).toBe(200);
    expect(stored.body.currentVersion).toBe(1);
    expect(stored.body.receipt?.sha256).toBe(sha);
    if (screenshots) await page.screenshot({ path: 'docs/screenshots/taskpane-ricevuta.png', fullPage: true });
  });

  it('validates a large workbook gzipped by CompressionStream, cross-origin', async () => {
    // Before any page.route: while Playwright intercepts requests it answers preflights itself.
    const large = largeSubmission(300_000);
    expect(JSON.stringify(large).length).toBeGreaterThan(COMPRESS_REQUEST_ABOVE_BYTES);
    await typeIntoWorkbook(large);
    await page.click('#validate');
    await expect.poll(() => page.textContent('#summary'), { timeout: 20_000 }).toContain('controlli del servizio');
    // Chromium sent it gzipped without a new preflight: the one cached for this URL allowed Content-Encoding already.
    expect(apiRequests.some((request) => request.method === 'POST' && request.encoding === 'gzip')).toBe(true);
  });

  it('with the API down: local checks, the submission waits in the outbox, and is sent when the API is back', async () => {
    await page.route('**/v1/**', (route) => route.abort('connectionrefused'));
    await typeIntoWorkbook(validSubmission({ T3: withRow(staffRows(), 1, { COSTO_ANNUO: 39000 }) }));
    await page.fill('#comment', 'Rettifica del costo annuo di AS-001.');
    await page.click('#validate');
    await expect.poll(() => page.textContent('#summary')).toContain('solo sul computer');
    await page.click('#submit');
    await expect.poll(() => page.textContent('#status')).toContain('in coda');
    await page.waitForSelector('#outbox-section:not([hidden]) .outbox-entry');
    expect(await page.textContent('#outbox')).toContain('In attesa');
    if (screenshots) await page.screenshot({ path: 'docs/screenshots/taskpane-coda.png', fullPage: true });

    await page.unroute('**/v1/**');
    await page.click('#retry');
    await expect.poll(() => page.textContent('#receipt dd[data-field="Versione"]'), { timeout: 20_000 }).toBe('2');
    expect(await page.isHidden('#outbox-section')).toBe(true);
    const stored = await apiGet('/v1/ats/ATS-05-001/submissions/2025-12-31');
    expect(stored.body.currentVersion).toBe(2);
  });

  it('shows a Region’s reviewer the Region’s panel, from taskpane-regional.js loaded for reviewers only', async () => {
    const loaded = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((entry) => entry.name.split('/').pop())
          .filter((name) => name?.startsWith('taskpane-')),
      );
    // The operator's session so far loaded the shared and work bundles, never the panel's.
    expect(await loaded()).toEqual(expect.arrayContaining(['taskpane-shared.js', 'taskpane-work.js']));
    expect(await loaded()).not.toContain('taskpane-regional.js');

    await page.click('#sign-out');
    const [dialog] = await Promise.all([context.waitForEvent('page'), page.click('#sign-in')]);
    await dialog.locator('#login-role').selectOption('region-reviewer');
    await dialog.locator('#login-scope').fill('05');
    await dialog.locator('button[type="submit"]').click();
    await page.waitForSelector('#regional-section:not([hidden]) #regional-consolidate');
    expect(await page.textContent('#regional-title')).toContain('Regione 05');
    expect(await loaded()).toContain('taskpane-regional.js');

    await page.click('#sign-out');
    expect(await page.isHidden('#regional-section')).toBe(true);
  });

  it('went through real CORS preflights, every requested header allowed by the shared definition', () => {
    // Sign-in (POST /dev/token), Valida (POST) and Invia (GET, PUT with Idempotency-Key): all cross-origin.
    expect(apiRequests.length).toBeGreaterThan(3);
    expect(new Set(apiRequests.map((request) => request.origin))).toEqual(new Set([stack.url]));
    expect(preflights.map((preflight) => preflight.method)).toEqual(expect.arrayContaining(['POST', 'PUT']));
    const requested = new Set(preflights.flatMap((preflight) => preflight.headers));
    expect([...requested]).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    expect([...requested].filter((name) => !API_CORS.allowHeaders.includes(name))).toEqual([]);
  });
});
