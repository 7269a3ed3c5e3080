import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'acorn';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savedRegionParams } from '../../addin/app/region-params.ts';
import { BUNDLE_ECMA_VERSION, BUNDLES, buildAddin } from '../../addin/build.ts';
import { validateCommand } from '../../addin/commands/actions.ts';
import { CHECKS_SHEET } from '../../addin/excel/layout.ts';
import { encodeUtf8 } from '../../addin/polyfills/utf8.ts';
import { parseComuniCsv } from '../../shared/reference/comuni.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { staffRows, validSubmission, withRow } from '../support/builders.ts';
import { FakeWorkbook } from './fake-excel.ts';
import {
  builtinsMissingFromEdge18,
  missingBuiltinsReferenced,
  referencesOf,
  webGlobalsMissingFromEdge18,
} from './webview-gaps.ts';
import { EDGE18_USER_AGENT, edge18Realm, IE11_USER_AGENT } from './webview-realm.ts';
import { typeSubmission } from './workbook-fixture.ts';

/**
 * The webviews of perpetual Excel, checked on the built files: EdgeHTML 18 (retail Excel 2019) must parse and run
 * every bundle; Internet Explorer 11 (volume-licensed Office 2019) must get an ES5 page that says what to use instead.
 * What Edge 18 lacks comes from MDN's browser-compat-data, not from a hand-written list.
 */

let built: string;
let bare: string;

beforeAll(async () => {
  built = mkdtempSync(join(tmpdir(), 'leps-webview-'));
  bare = mkdtempSync(join(tmpdir(), 'leps-webview-bare-'));
  await Promise.all([buildAddin({ outDir: built }), buildAddin({ outDir: bare, polyfills: false })]);
}, 60_000);

afterAll(() => {
  rmSync(built, { recursive: true, force: true });
  rmSync(bare, { recursive: true, force: true });
});

const ROOT = join(import.meta.dirname, '..', '..');
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
/** The scripts a built page loads, in order, office.js aside (the realm's Office is a recorder). */
const pageScripts = (dir: string, page: string): string[] =>
  [...read(dir, page).matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)]
    .map((match) => match[1] ?? '')
    .filter((src) => !src.endsWith('office.js'));
/** Runs a built page's scripts in the realm in the order the page loads them. */
const runPage = (realm: { run(code: string, filename: string): unknown }, dir: string, page: string) => {
  for (const src of pageScripts(dir, page)) realm.run(read(dir, src), src);
};
const program = (code: string, ecmaVersion: 5 | 2017) =>
  parse(code, { ecmaVersion, sourceType: 'script' }) as unknown as Parameters<typeof referencesOf>[0];

describe('EdgeHTML 18', () => {
  it('the manifest has no <Runtimes>, which would send Edge 18 users to Internet Explorer instead', () => {
    // Microsoft, "Browsers and webview controls used by Office Add-ins": an XML manifest with <Runtimes> never gets
    // EdgeHTML; without WebView2 such an add-in opens in Trident.
    expect(read(built, 'manifest.xml')).not.toContain('<Runtimes');
  });

  it('MDN lists the built-ins this test relies on as missing from Edge 18', () => {
    const features = builtinsMissingFromEdge18().map((builtin) => builtin.feature);
    expect(features).toEqual(
      expect.arrayContaining(['globalThis', 'Object.fromEntries', 'Array.flatMap', 'String.replaceAll']),
    );
    expect(features).toEqual(expect.arrayContaining(['Promise.allSettled', 'Object.hasOwn']));
    expect(webGlobalsMissingFromEdge18()).toEqual(expect.arrayContaining(['TextEncoder', 'structuredClone']));
  });

  /** Every missing built-in or web global the bundle built without polyfills names without testing for it. */
  const needs = (name: string): string[] => {
    const references = referencesOf(program(read(bare, `${name}.js`), BUNDLE_ECMA_VERSION));
    const builtins = missingBuiltinsReferenced(references, builtinsMissingFromEdge18())
      .filter((builtin) => !references.detected.has(builtin.name))
      .map((builtin) => builtin.feature);
    const webGlobals = webGlobalsMissingFromEdge18().filter(
      (name) => references.identifiers.has(name) && !references.detected.has(name),
    );
    return [...builtins, ...webGlobals];
  };
  const polyfillsOf = (name: string): readonly string[] =>
    BUNDLES.find((bundle) => bundle.name === name)?.polyfills ?? [];

  for (const bundle of BUNDLES) {
    it(`${bundle.name}.js parses as ECMAScript ${BUNDLE_ECMA_VERSION}`, () => {
      expect(() => program(read(built, `${bundle.name}.js`), BUNDLE_ECMA_VERSION)).not.toThrow();
    });

    it(`${bundle.name}.js gets exactly the polyfills it needs`, () => {
      // A bundle that reads the shared one runs after it in the same page: what that one installs, it needs not carry.
      const readers = BUNDLES.filter((reader) => reader.sharedFrom === bundle.name);
      const needed = new Set([bundle, ...readers].flatMap((each) => needs(each.name)));
      const installed = new Set(bundle.sharedFrom ? polyfillsOf(bundle.sharedFrom) : []);
      expect([...bundle.polyfills].sort()).toEqual([...needed].filter((feature) => !installed.has(feature)).sort());
    });
  }

  it('the realm really lacks what Edge 18 lacks: the bare ribbon page fails at load', () => {
    const realm = edge18Realm({ page: 'commands', href: 'https://localhost:3000/commands.html' });
    // Only well-known symbols resist deletion (non-configurable); the bundles never name them (checked above).
    expect(realm.kept.every((builtin) => builtin.owner === 'Symbol')).toBe(true);
    for (const expression of [
      'globalThis',
      'Object.fromEntries',
      '[].flatMap',
      "''.replaceAll",
      'Promise.allSettled',
      'TextEncoder',
      'new Blob([]).text',
      'crypto.randomUUID',
      'URL.canParse',
      'Response.json',
    ]) {
      expect(realm.evaluate(`typeof ${expression}`)).toBe('undefined');
    }
    expect(() => runPage(realm, bare, 'commands.html')).toThrow(/globalThis is not defined/);
    expect(realm.office.associated.size).toBe(0);
  });

  it('commands.html loads taskpane-shared.js, then commands.js, which runs on what the shared bundle exports', () => {
    expect(pageScripts(built, 'commands.html')).toEqual(['trident.js', 'taskpane-shared.js', 'commands.js']);
  });

  it('commands.js loads, registers every command and draws the template through the fake Excel', async () => {
    const book = new FakeWorkbook({ notes: false });
    const realm = edge18Realm({
      page: 'commands',
      href: 'https://localhost:3000/commands.html',
      globals: { Excel: { run: book.run } },
    });
    runPage(realm, built, 'commands.html');
    expect(
      realm.evaluate('typeof window.insertTemplate + typeof window.validateWorkbook + typeof window.deleteRows'),
    ).toBe('functionfunctionfunction');
    for (const callback of realm.office.readyCallbacks) callback({ host: 'Excel', platform: 'PC' });
    expect([...realm.office.associated.keys()].sort()).toEqual(['deleteRows', 'insertTemplate', 'validateWorkbook']);

    let completed = 0;
    await realm.office.associated.get('insertTemplate')?.({ completed: () => completed++ });
    expect(completed).toBe(1);
    for (const sheet of LEPS_ATS.sheets) expect(book.sheet(sheet.name)).toBeDefined();
    const dialog = new URL(realm.office.dialogs[0] ?? '');
    expect(dialog.pathname).toBe('/message.html');
    expect(dialog.searchParams.get('esito')).toBe('ok');
  });

  it('commands.js validates a workbook in that realm exactly as in Node: checks, zod and marks run without the gaps', async () => {
    const typed = () => {
      const book = new FakeWorkbook({ notes: false });
      typeSubmission(book, validSubmission({ T3: withRow(staffRows(), 3, { ORE_SETT: 40 }) }));
      return book;
    };
    const csv = readFileSync(join(ROOT, 'shared', 'reference', 'data', 'comuni_italia_2025.csv'), 'utf8');
    const inRealm = typed();
    const realm = edge18Realm({
      page: 'commands',
      href: 'https://localhost:3000/commands.html',
      globals: { Excel: { run: inRealm.run } },
      fetch: async () => new Response(csv, { status: 200 }),
    });
    runPage(realm, built, 'commands.html');
    let completed = 0;
    await (realm.evaluate('window.validateWorkbook') as (event: { completed(): void }) => Promise<void>)({
      completed: () => completed++,
    });
    expect(completed).toBe(1);
    const shown = new URL(realm.office.dialogs[0] ?? '').searchParams;

    const inNode = typed();
    const expected = await validateCommand({
      run: inNode.run,
      template: LEPS_ATS,
      features: { notes: false },
      envelope: {},
      comuni: async () => parseComuniCsv(csv),
      // The realm keeps no Region parameters read by the pane: the defaults, said in the dialog as the ribbon says it.
      parameters: (ats) => savedRegionParams(ats, { getItem: () => null, setItem: () => {} }),
    });
    expect(shown.get('titolo')).toBe(expected.title);
    expect(shown.get('testo')).toBe(expected.text);
    expect(expected.ok).toBe(false);
    expect(inRealm.value(CHECKS_SHEET, 'A2')).toBe(inNode.value(CHECKS_SHEET, 'A2'));
  });

  it('taskpane.js loads and reaches Office.onReady', () => {
    const realm = edge18Realm({ elementIds: ['app', 'host-status'] });
    realm.run(read(built, 'taskpane.js'), 'taskpane.js');
    expect(realm.office.readyCallbacks.length).toBeGreaterThan(0);
    for (const callback of realm.office.readyCallbacks) callback({ host: null, platform: null });
    expect(realm.elements.get('host-status')?.textContent).toMatch(/Excel/);
  });

  for (const bundle of BUNDLES) {
    it(`${bundle.name}.js loads in that realm and leaves every polyfilled feature in place`, () => {
      const realm = edge18Realm({ elementIds: ['app', 'host-status', 'status'] });
      // As the task pane loads it: the shared bundle it reads first (addin/taskpane/load-work.ts).
      const before = bundle.sharedFrom ? [bundle.sharedFrom] : [];
      for (const name of [...before, bundle.name]) realm.run(read(built, `${name}.js`), `${name}.js`);
      const builtins = new Map(builtinsMissingFromEdge18().map((builtin) => [builtin.feature, builtin]));
      for (const feature of [...before.flatMap(polyfillsOf), ...bundle.polyfills]) {
        const builtin = builtins.get(feature);
        const probe = builtin
          ? builtin.owner === 'globalThis'
            ? `typeof ${builtin.name}`
            : `typeof ${builtin.owner}[${JSON.stringify(builtin.name)}]`
          : `typeof ${feature}`;
        expect(realm.evaluate(probe), feature).not.toBe('undefined');
      }
    });
  }

  it('auth/login.js loads and reaches Office.onReady', () => {
    const realm = edge18Realm({ href: 'https://localhost:3000/auth/login.html', elementIds: ['status'] });
    realm.run(read(built, 'auth/login.js'), 'login.js');
    expect(realm.office.readyCallbacks.length).toBe(1);
  });

  it('the TextEncoder polyfill encodes as the standard one does, lone surrogates included', () => {
    const native = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect([...encodeUtf8(text)]).toEqual([...native.encode(text)]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Internet Explorer 11', () => {
  const IE_PAGES = ['trident.js', 'message.js'];

  for (const file of IE_PAGES) {
    it(`${file} parses as ES5`, () => {
      expect(() => program(read(built, file), 5)).not.toThrow();
    });
  }

  it('the task pane and the ribbon load trident.js before their bundle', () => {
    const pages: [string, string][] = [
      ['taskpane.html', 'taskpane.js'],
      ['commands.html', 'commands.js'],
    ];
    for (const [page, bundle] of pages) {
      const html = read(built, page);
      expect(html.indexOf('src="trident.js"')).toBeGreaterThan(0);
      expect(html.indexOf('src="trident.js"')).toBeLessThan(html.indexOf(`src="${bundle}"`));
    }
  });

  it('the task pane shows, in Italian, what to use instead', () => {
    const realm = edge18Realm({ userAgent: IE11_USER_AGENT, elementIds: ['app'] });
    realm.run(read(built, 'trident.js'), 'trident.js');
    const text = realm.elements.get('app')?.textContent ?? '';
    expect(text).toContain('Internet Explorer 11');
    expect(text).toContain('Excel 2021');
    expect(text).toContain('Microsoft 365');
    expect(text).toContain('rendiconta valida');
  });

  it('the ribbon commands open the same message in a dialog and complete', async () => {
    const realm = edge18Realm({
      userAgent: IE11_USER_AGENT,
      page: 'commands',
      href: 'https://localhost:3000/commands.html',
    });
    realm.run(read(built, 'trident.js'), 'trident.js');
    // Every function a ribbon button of the manifest calls, so no button is left doing nothing on Trident.
    const names = [...read(built, 'manifest.xml').matchAll(/<FunctionName>([^<]+)<\/FunctionName>/g)].map(
      (match) => match[1] ?? '',
    );
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const name of names) {
      let completed = false;
      (realm.evaluate(`window.${name}`) as (event: { completed(): void }) => void)({
        completed: () => {
          completed = true;
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(completed).toBe(true);
    }
    expect(realm.office.dialogs).toHaveLength(names.length);
    const url = new URL(realm.office.dialogs[0] ?? '');
    expect(url.pathname).toBe('/message.html');
    expect(url.searchParams.get('testo')).toContain('Excel 2021');
  });

  it('elsewhere trident.js does nothing', () => {
    const realm = edge18Realm({ userAgent: EDGE18_USER_AGENT, elementIds: ['app'], page: 'commands' });
    realm.run(read(built, 'trident.js'), 'trident.js');
    expect(realm.evaluate('typeof window.insertTemplate')).toBe('undefined');
    expect(realm.elements.get('app')?.textContent).toBe('');
  });

  it('the message page shows the text it is given, as text', () => {
    const realm = edge18Realm({
      userAgent: IE11_USER_AGENT,
      href: 'https://localhost:3000/message.html?esito=errore&titolo=Titolo&testo=%3Cb%3EDue%20errori%3C%2Fb%3E',
      elementIds: ['message-title', 'message-text', 'message-close'],
    });
    realm.run(read(built, 'message.js'), 'message.js');
    expect(realm.elements.get('message-title')?.textContent).toBe('Titolo');
    expect(realm.elements.get('message-text')?.textContent).toBe('<b>Due errori</b>');
  });
});
