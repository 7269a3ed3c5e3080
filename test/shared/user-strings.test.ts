import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { receiptRows } from '../../addin/excel/receipt.ts';
import { receiptLines } from '../../cli/format.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { SUBMISSION_STATUSES } from '../../shared/contract/api.ts';
import { STATUS_DESCRIPTIONS, STATUS_LABELS, statusLabel } from '../../shared/contract/status-labels.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { DEMO_PERIOD } from '../../shared/demo/generate.ts';
import { badVariant, demoCase, VARIANT_RULES, variantValidateOptions } from '../../shared/demo/variants.ts';
import { LEPS_ATS, RULES, validateSubmission } from '../../shared/index.ts';
import { columnHelp } from '../../shared/template/help.ts';

/**
 * Everything a user reads is Italian and cites only public sources: no internal document or source file name
 * ("domain.md §4", "spec/…", "main.ts") and no English status code ("SUBMITTED") in any message, reference, help
 * text, page or string literal of the code that runs for users.
 */

const ROOT = join(import.meta.dirname, '..', '..');

/** A file name of this repository's own kinds, or the spec folder: never something a user can open. */
const INTERNAL_FILE = /(?:[\w-]+\.(?:md|ts|tsx|mts|cts|java)\b|\bspec\/|\bdocs\/)/;
/** Status and severity codes of the wire contract and of the code, which users must see in Italian. */
const ENGLISH_STATUS = /\b(?:SUBMITTED|APPROVED|REJECTED|PENDING|DRAFT|FAILED|SUCCEEDED|ERROR|WARNING)\b/;
const BARE_CODE = /^[A-Z_]+$/;

function problems(text: string): string[] {
  const found: string[] = [];
  const file = INTERNAL_FILE.exec(text);
  if (file) found.push(`nome di file interno «${file[0]}»`);
  // A bare code ('SUBMITTED' compared or stored) is data, not text; inside a sentence it would be shown.
  const status = BARE_CODE.test(text.trim()) ? null : ENGLISH_STATUS.exec(text);
  if (status) found.push(`stato in inglese «${status[0]}»`);
  return found;
}

function expectClean(texts: Iterable<readonly [where: string, text: string]>): void {
  const bad: string[] = [];
  for (const [where, text] of texts)
    for (const problem of problems(text)) bad.push(`${where}: ${problem} in «${text}»`);
  expect(bad).toEqual([]);
}

describe('the checks', () => {
  it('titles and references of every rule', () => {
    expectClean(
      RULES.flatMap((rule) => [[`${rule.id} titolo`, rule.title] as const, [`${rule.id} rif.`, rule.ref] as const]),
    );
  });

  it('references into the template name sheets and columns it has', () => {
    const headers = new Map(LEPS_ATS.sheets.map((sheet) => [sheet.name, sheet.columns.map((column) => column.header)]));
    const everyHeader = new Set([...headers.values()].flat());
    for (const rule of RULES) {
      for (const part of rule.ref.split(';')) {
        const sheet = /foglio (\w+)/.exec(part)?.[1];
        if (sheet !== undefined) expect(headers.has(sheet), `${rule.id}: ${sheet}`).toBe(true);
        for (const [, column] of part.matchAll(/«([^»]+)»/g)) {
          const known = sheet === undefined ? everyHeader : new Set(headers.get(sheet));
          expect(known.has(column ?? ''), `${rule.id}: «${column}» nel foglio ${sheet ?? '(tutti)'}`).toBe(true);
        }
      }
    }
  });

  it('messages and references of the findings of every rule, on a synthetic Ambito', () => {
    const comuni = loadComuni();
    const ats = syntheticRegion('05', comuni)[0];
    if (!ats) throw new Error('no synthetic Ambito');
    const base = demoCase({ ats, regionCode: '05', comuni, period: DEMO_PERIOD, seed: 1 });
    const texts: [string, string][] = [];
    for (const rule of VARIANT_RULES) {
      const variant = badVariant(rule, base);
      const outcome = validateSubmission(variant.submission, { comuni, ...variantValidateOptions(variant, comuni) });
      if (!outcome.ok) throw new Error(`${rule}: schema error`);
      for (const finding of outcome.findings) {
        texts.push([`${finding.rule} messaggio`, finding.message], [`${finding.rule} rif.`, finding.ref]);
      }
    }
    expect(texts.length).toBeGreaterThan(VARIANT_RULES.length);
    expectClean(texts);
  });
});

describe('the template', () => {
  it('sheet names, headers and the help of every column', () => {
    expectClean(
      LEPS_ATS.sheets.flatMap((sheet) => [
        [sheet.id, sheet.name] as const,
        ...sheet.columns.flatMap((column) => [
          [`${sheet.id}.${column.key}`, column.header] as const,
          [`${sheet.id}.${column.key} aiuto`, columnHelp(LEPS_ATS, sheet.id, column.key)] as const,
        ]),
      ]),
    );
  });
});

describe('statuses', () => {
  it('every status of the contract has an Italian label and description', () => {
    for (const status of SUBMISSION_STATUSES) {
      expect(problems(STATUS_LABELS[status])).toEqual([]);
      expect(problems(STATUS_DESCRIPTIONS[status])).toEqual([]);
      expect(statusLabel(status)).not.toBe(status);
    }
    expect(SUBMISSION_STATUSES.map(statusLabel)).toEqual(['Inviata', 'Approvata', 'Respinta']);
    expect(statusLabel('ARCHIVED')).toBe('Stato non riconosciuto');
  });

  it('the command line prints the status of a receipt in Italian', () => {
    const lines = receiptLines({
      ats: 'ATS-05-001',
      period: '2025-12-31',
      version: 2,
      sha256: 'a'.repeat(64),
      receivedAt: '2026-01-25T10:00:00.000Z',
      status: 'APPROVED',
    });
    expect(lines).toContain('Stato: Approvata');
    expectClean(lines.map((line) => ['ricevuta', line] as const));
  });

  it('the Ricevuta sheet of the add-in shows the status in Italian', () => {
    const rows = receiptRows({
      ats: 'ATS-05-001',
      period: '2025-12-31',
      template: LEPS_ATS.id,
      templateVersion: LEPS_ATS.version,
      version: 1,
      sha256: 'a'.repeat(64),
      receivedAt: '2026-01-25T10:00:00.000Z',
      status: 'SUBMITTED',
      findings: [],
    });
    expect(rows).toContainEqual(['Stato', 'Inviata']);
    expectClean(rows.map((row) => ['Ricevuta', row.join(' ')] as const));
  });
});

/** Source folders whose string literals reach users: the add-in, the command line, the API's messages, shared/. */
const USER_FACING_SOURCES = ['addin', 'cli', 'functions', 'shared'];
/** Build and development tooling inside them, which no user runs: its literals are file paths by nature. */
const TOOLING = [
  /^addin\/build(\.ts|\/)/,
  /^addin\/manifest\/write\.ts$/,
  /^cli\/build-templates\.ts$/,
  /^functions\/local\//,
];

function files(folder: string, extensions: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) out.push(...files(path, extensions));
    else if (extensions.some((extension) => name.endsWith(extension))) out.push(path);
  }
  return out;
}

/** Every string and template literal of a TypeScript file, except module specifiers and markup comments. */
function literals(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isImportTypeNode(node)) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) return;
    // An XML or HTML comment (the manifest's "generated by") is never displayed.
    const shown = (text: string) => text.replace(/<!--[\s\S]*?-->/g, '');
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(shown(node.text));
    else if (ts.isTemplateExpression(node)) {
      found.push(shown([node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('…')));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the code that runs for users', () => {
  const sources = USER_FACING_SOURCES.flatMap((folder) => files(join(ROOT, folder), ['.ts']))
    .map((path) => relative(ROOT, path))
    .filter((path) => !TOOLING.some((pattern) => pattern.test(path)));

  it('has no internal file name or English status in a string literal', () => {
    expect(sources.length).toBeGreaterThan(50);
    expectClean(sources.flatMap((path) => literals(join(ROOT, path)).map((text) => [path, text] as const)));
  });

  it('pages show no internal file name or English status', () => {
    const pages = files(join(ROOT, 'addin'), ['.html']);
    expect(pages.length).toBeGreaterThanOrEqual(5);
    expectClean(
      pages.map((path) => {
        const html = readFileSync(path, 'utf8')
          .replace(/<!--[\s\S]*?-->/g, '')
          .replace(/<script[\s\S]*?<\/script>/g, '')
          .replace(/<style[\s\S]*?<\/style>/g, '');
        return [relative(ROOT, path), html] as const;
      }),
    );
  });
});
