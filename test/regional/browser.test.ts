import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { type LocalStack, REPO_ROOT, startLocalStack } from '../../functions/local/stack.ts';
import { getSubmissionResponseSchema, putSubmissionResponseSchema } from '../../shared/contract/api.ts';
import { API_CORS } from '../../shared/contract/cors.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { generateSubmission } from '../../shared/demo/generate.ts';
import { launchChromium } from '../addin/support.ts';
import { type HttpClient, httpClient } from '../functions/http-client.ts';
import { submissionFor } from '../functions/support.ts';

/**
 * The Region's flow in a real Chromium against the real local stack (DynamoDB Local, the real handlers): the reviewer
 * registers three ATS from the "Articolazione" sheet, two ATS submit (one whose comune belongs to another ATS, an
 * error at Region level), one never does; the reviewer consolidates, sees the three states, meets a stale version,
 * rejects one and approves the other. Excel itself cannot run here: the panel draws into the regional fake host.
 */

const PERIOD = '2025-12-31';
const REGION = '05';
const COMUNI = loadComuni();
/** A: a synthetic ATS of Verona that submits a clean return. */
const A = syntheticRegion(REGION, COMUNI)[0];
/** B: registered with three Belluno comuni, submits four: Arsiè (025004) is C's. */
const B = 'ATS-05-101';
/** C: registered with Arsiè, never submits. */
const C = 'ATS-05-102';

let stack: LocalStack;
let client: HttpClient;
let dataDir: string;
let browser: Browser;
let page: Page;
let script: string;
const tokens: Record<string, string> = {};

async function submit(ats: string, submission: Submission, ifMatch?: number): Promise<number> {
  const response = await client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, {
    method: 'PUT',
    token: tokens[ats],
    headers: {
      'Idempotency-Key': `regional-${ats}-${ifMatch ?? 0}-${Date.now()}`,
      ...(ifMatch === undefined ? {} : { 'If-Match': String(ifMatch) }),
    },
    body: JSON.stringify(submission),
  });
  if (response.status !== 201) throw new Error(`${ats}: ${response.status} ${response.text.slice(0, 2000)}`);
  return putSubmissionResponseSchema.parse(response.json()).receipt.version;
}

async function current(ats: string) {
  const response = await client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, { token: tokens.reviewer });
  return getSubmissionResponseSchema.parse(response.json());
}

async function click(name: string, expected: RegExp): Promise<string> {
  await page.getByRole('button', { name, exact: true }).click();
  const status = page.locator('#regional-status');
  await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 20_000 }).toMatch(expected);
  return (await status.textContent()) ?? '';
}

const read = (sheet: string, address: string) =>
  page.evaluate(([name, range]) => window.regionalTest.book.read(name, range), [sheet, address] as const);

const select = (sheet: string, address: string) =>
  page.evaluate(
    ([name, range]) => {
      window.regionalTest.book.selection = { sheet: name, address: range };
    },
    [sheet, address] as const,
  );

const requestedHeaders: string[] = [];
const preflightMethods = new Set<string>();
const crossOrigin = new Set<string>();

beforeAll(async () => {
  if (!A) throw new Error('no synthetic ATS for Region 05');
  dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-regional-'));
  stack = await startLocalStack({
    port: 0,
    dataDir,
    seed: false,
    quiet: true,
    // The API origin records what Chromium sent it: its preflights are invisible to the page.
    observeApi: ({ method, headers }) => {
      if (method === 'OPTIONS') {
        const requested = String(headers['access-control-request-headers'] ?? '');
        requestedHeaders.push(
          ...requested
            .split(',')
            .map((name) => name.trim().toLowerCase())
            .filter(Boolean),
        );
        preflightMethods.add(String(headers['access-control-request-method'] ?? ''));
      } else if (headers.origin) crossOrigin.add(String(headers.origin));
    },
  });
  client = httpClient(stack.apiUrl, stack.caCertPath);
  tokens.reviewer = await stack.token({ sub: 'revisore-05', groups: ['region-reviewer'], region: REGION });
  for (const ats of [A.ats, B, C]) {
    tokens[ats] = await stack.token({ sub: `operatore-${ats}`, groups: ['ats-operator'], ats });
  }
  const bundle = await build({
    entryPoints: [join(REPO_ROOT, 'test/regional/page/entry.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  });
  script = bundle.outputFiles[0]?.text ?? '';
  browser = await launchChromium();
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await context.newPage();
  const config = JSON.stringify({ region: REGION, period: PERIOD, token: tokens.reviewer }).replace(/</g, '\\u003c');
  // The ISTAT list goes into the page itself: no page.route, because while Playwright intercepts requests it answers
  // CORS preflights itself, and the test is there to see the API's own answers.
  const csv = readFileSync(join(REPO_ROOT, 'shared/reference/data/comuni_italia_2025.csv'), 'utf8');
  const html = `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Regione — test</title></head>
<body><main id="app"></main><script type="application/json" id="config">${config}</script>
<script type="text/plain" id="comuni">${csv.replace(/<\/script/gi, '')}</script>
<script>${script.replace(/<\/script/gi, '<\\/script')}</script></body></html>`;
  // The page is written into a document the add-in origin really served: Chromium then counts it as loopback, as the
  // deployed task pane counts as its CloudFront origin, and lets it call the API's origin (a page fulfilled by the
  // test would be a public one, which Local Network Access keeps from calling localhost).
  await page.goto(`${stack.url}/`);
  await page.setContent(html);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  client?.close();
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the Region in the browser, against the local stack', () => {
  it('registers the articulation from the sheet', async () => {
    await click('Scarica articolazione', /Articolazione della Regione 05: 0 Ambiti registrati\./);
    expect(await read('Articolazione', 'A1:E1')).toEqual([
      ['COD_ATS', 'DENOMINAZIONE_ATS', 'COD_ISTAT_COMUNE', 'DENOMINAZIONE_COMUNE', 'ENTE_GESTORE_CF'],
    ]);
    const rows: string[][] = [
      ...(A?.comuni ?? []).map((code) => [A?.ats ?? '', A?.name ?? '', code, '', A?.enteGestoreCf ?? '']),
      [B, 'Ambito di prova Belluno', '025001', '', ''],
      [B, 'Ambito di prova Belluno', '025003', '', ''],
      [B, 'Ambito di prova Belluno', '025006', '', ''],
      [C, 'Ambito di prova Arsiè', '025004', '', ''],
    ];
    // What the reviewer types in the sheet.
    await page.evaluate((values) => {
      const sheet = window.regionalTest.book.sheet('Articolazione');
      values.forEach((row, r) => {
        row.forEach((value, c) => {
          sheet.cells.set(`${r + 1},${c}`, { value, format: '@', formula: null, fill: null });
        });
      });
    }, rows);
    const message = await click('Registra articolazione', /Ambiti registrati/);
    expect(message).toBe('3 Ambiti registrati.');
    const listed = await client.send(`/v1/regions/${REGION}/ats`, { token: tokens.reviewer });
    expect((listed.json() as { ats: Array<{ ats: string }> }).ats.map((entry) => entry.ats)).toEqual([A?.ats, B, C]);
  });

  it('consolidates: one clean, one with a Region-level error, one missing', async () => {
    if (!A) throw new Error('no A');
    expect(
      await submit(A.ats, generateSubmission({ ats: A, regionCode: REGION, comuni: COMUNI, period: PERIOD, seed: 7 })),
    ).toBe(1);
    expect(await submit(B, submissionFor(B))).toBe(1);

    const message = await click('Consolida', /^Consolidati/);
    expect(message).toMatch(
      /^Consolidati 3 Ambiti per il periodo 2025-12-31: 2 inviati, 1 mancante, 0 con errori, \d+ rilievi regionali\.$/,
    );
    const status = await read('Stato invii', 'A1:I4');
    expect(status.map((row) => [row[0], row[3], row[4], row[5]])).toEqual([
      ['COD_ATS', 'Inviato', 'Versione', 'Stato'],
      [A.ats, 'Sì', 1, 'Inviata, in attesa di esame della Regione'],
      [B, 'Sì', 1, 'Inviata, in attesa di esame della Regione'],
      [C, 'NO — mancante', '', 'Nessun invio'],
    ]);
    // A has no regional finding; B has T2.5 (Arsiè is C's) and its own T2.7 warning.
    expect(status[1]?.[8]).toBe(0);
    expect(Number(status[2]?.[8])).toBeGreaterThan(0);
    expect(Number(status[2]?.[7])).toBeGreaterThan(0);
    // Where the error is: B's Arsiè row on the consolidated T2 sheet, marked red.
    const t2 = await read('T2_ATS_Comuni', 'A1:B40');
    const arsie = t2.findIndex((row) => row[0] === B && row[1] === '025004');
    expect(arsie).toBeGreaterThan(0);
    const fill = await page.evaluate(
      (row) => window.regionalTest.book.cell('T2_ATS_Comuni', `B${row}`)?.fill ?? null,
      arsie + 1,
    );
    expect(fill).toBe('#FDE7E9');
    const findings = (await read('Rilievi', 'A1:I30')).filter((row) => row[6] === 'T2.5');
    expect(findings.some((row) => row[1] === B && String(row[8]).includes('025004'))).toBe(true);
  });

  it('refuses a decision on a version that was replaced, then approves the current one', async () => {
    if (!A) throw new Error('no A');
    // A sends a correction after the reviewer consolidated.
    const v1 = generateSubmission({ ats: A, regionCode: REGION, comuni: COMUNI, period: PERIOD, seed: 7 });
    expect(await submit(A.ats, { ...v1, comment: 'Correzione del quadro finanziario.' }, 1)).toBe(2);

    await select('Stato invii', 'B2');
    const stale = await click('Approva', /versione/i);
    expect(stale).toBe(
      `La versione 1 dell'Ambito ${A.ats} non è più quella corrente: l'Ambito ha inviato una versione più recente. Nessuna decisione è stata registrata: consolidare di nuovo ed esaminare la versione corrente.`,
    );
    expect((await current(A.ats)).status).toBe('SUBMITTED');

    await click('Consolida', /^Consolidati/);
    expect((await read('Stato invii', 'E2'))[0]).toEqual([2]);
    await select('Stato invii', 'A2');
    expect(await click('Approva', /approvata|non/)).toBe(`Versione 2 dell'Ambito ${A.ats} approvata.`);
    expect(await read('Stato invii', 'F2')).toEqual([['Approvata dalla Regione']]);
    const approved = await current(A.ats);
    expect([approved.status, approved.receipt.version, approved.review?.decision]).toEqual(['APPROVED', 2, 'approve']);
  });

  it('reads the Region’s check parameters, refuses a bad value in Italian, saves a good one with If-Match', async () => {
    expect(await click('Leggi parametri', /predefiniti|versione/)).toMatch(/usa i valori predefiniti/);
    const edit = page.getByLabel('Parametri della Regione (JSON)');
    await edit.fill('{"udpMinFte": -1}');
    expect(await click('Salva parametri', /non validi|salvati/)).toBe(
      'Parametri dei controlli non validi: correggere i valori indicati.',
    );
    expect(await page.locator('#regional-details').textContent()).toContain('udpMinFte: Valore troppo basso');
    await edit.fill('{"udpMinFte": 2}');
    expect(await click('Salva parametri', /salvati|non/)).toMatch(
      /^Parametri salvati\. Parametri della Regione 05, versione 1 del \d{2}\/\d{2}\/\d{4} \(utente revisore-05\)\.$/,
    );
    expect(await page.locator('#regional-parameters-table tr[data-key="udpMinFte"] td').allTextContents()).toEqual([
      '1',
      '2',
    ]);
    const stored = await client.send(`/v1/regions/${REGION}/parameters`, { token: tokens.reviewer });
    expect(stored.json()).toMatchObject({ version: 1, parameters: { udpMinFte: 2 }, updatedBy: 'revisore-05' });
    // Back to the defaults (version 2), so the later steps check as before.
    await edit.fill('{}');
    expect(await click('Salva parametri', /versione 2|non /)).toMatch(/^Parametri salvati\. .*versione 2/);
  });

  it('rejects the ATS with the error, with the comment, and the panel is accessible', async () => {
    await select('Stato invii', 'C3');
    expect(await click('Respingi', /commento|respinta/)).toBe(
      'Per respingere un invio scrivere un commento con il motivo.',
    );
    await page.getByLabel('Commento').fill("Il comune 025004 Arsiè è dell'Ambito ATS-05-102.");
    expect(await click('Respingi', /respinta|non/)).toBe(`Versione 1 dell'Ambito ${B} respinta.`);
    const rejected = await current(B);
    expect([rejected.status, rejected.review?.comment]).toEqual([
      'REJECTED',
      "Il comune 025004 Arsiè è dell'Ambito ATS-05-102.",
    ]);
    expect(await read('Stato invii', 'F3')).toEqual([['Respinta dalla Regione']]);

    const axe = await new AxeBuilder({ page }).include('#app').analyze();
    expect(axe.violations.map((violation) => violation.id)).toEqual([]);
  });

  it('called the API on its own origin through real preflights the shared CORS definition allows', () => {
    expect(new URL(stack.apiUrl).origin).not.toBe(new URL(stack.url).origin);
    expect([...crossOrigin]).toEqual([stack.url]);
    expect([...preflightMethods]).toEqual(expect.arrayContaining(['POST', 'PUT']));
    expect(requestedHeaders).toEqual(expect.arrayContaining(['authorization', 'x-client-version']));
    expect(requestedHeaders.filter((name) => !API_CORS.allowHeaders.includes(name))).toEqual([]);
  });
});
