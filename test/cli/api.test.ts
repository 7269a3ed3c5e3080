import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkbook } from '../../cli/xlsx/read.ts';
import { templateXlsx } from '../../cli/xlsx/write-template.ts';
import { type LocalStack, startLocalStack } from '../../functions/local/stack.ts';
import { canonicalJson } from '../../shared/contract/canonical.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { templateFileName } from '../../shared/workbook/index.ts';
import { type HttpClient, httpClient } from '../functions/http-client.ts';
import { ATS, funds, indicators, spendingRows, validSubmission, withRow } from '../support/builders.ts';
import { runCliAsync } from './support/cli.ts';
import { type LibreOffice, startLibreOffice } from './support/libreoffice.ts';
import { filledXlsx, type TempDir, tempDir } from './support/workbooks.ts';

/**
 * `invia` and `consolida` against the real local stack (HTTPS with its own CA, DynamoDB Local), run as a user runs
 * them: a child process with the token in RENDICONTA_TOKEN and the stack's CA in NODE_EXTRA_CA_CERTS.
 */

const PERIOD = '2025-12-31';
const BELLUNO = ['025001', '025003', '025004', '025006'];
const HOSTILE = [
  '=HYPERLINK("http://example.invalid","clic")',
  '+1+2',
  '-3+4',
  '@SUM(A1:A2)',
  '\tTAB',
  '\rCR',
  "'apice",
];

let stack: LocalStack;
let client: HttpClient;
let dir: TempDir;
let operator: string;
let reviewer: string;
let env: (token: string) => Record<string, string>;

beforeAll(async () => {
  dir = tempDir();
  stack = await startLocalStack({ port: 0, dataDir: join(dir.path, 'data'), seed: false, quiet: true });
  client = httpClient(stack.apiUrl, stack.caCertPath);
  operator = await stack.token({ sub: 'op-cli', groups: ['ats-operator'], ats: ATS });
  reviewer = await stack.token({ sub: 'rev-cli', groups: ['region-reviewer'], region: '05' });
  env = (token: string) => ({ RENDICONTA_TOKEN: token, NODE_EXTRA_CA_CERTS: stack.caCertPath });
  for (const [code, comuni] of [
    [ATS, BELLUNO],
    ['ATS-05-002', ['025005']],
  ] as const) {
    const registered = await client.send(`/v1/regions/05/ats/${code}`, {
      method: 'PUT',
      token: reviewer,
      body: JSON.stringify({ name: `Ambito ${code}`, comuni }),
    });
    expect([200, 201]).toContain(registered.status);
  }
}, 180_000);

afterAll(async () => {
  client?.close();
  await stack?.stop();
  dir?.dispose();
});

interface StoredSubmission {
  receipt: { version: number; sha256: string };
  submission: unknown;
}

describe('GET /v1/templates/{id}/{version}.xlsx', () => {
  it('serves the workbook build:templates writes, which the reader recognises', async () => {
    const built = join(dir.path, 'templates');
    mkdirSync(built);
    const bytes = await templateXlsx(LEPS_ATS);
    writeFileSync(join(built, templateFileName(LEPS_ATS)), bytes);
    process.env.TEMPLATE_XLSX_DIR = built;
    try {
      const response = await client.send(`/v1/templates/${LEPS_ATS.id}/${LEPS_ATS.version}.xlsx`, { token: operator });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('spreadsheetml');
      expect(response.body.equals(bytes)).toBe(true);
      const read = await readWorkbook(response.body);
      expect(read.submission.templateVersion).toBe(LEPS_ATS.version);
    } finally {
      delete process.env.TEMPLATE_XLSX_DIR;
    }
  });
});

describe('rendiconta invia', () => {
  it('submits a filled workbook and prints the receipt; a second run replaces it (If-Match)', async () => {
    const file = dir.file('ambito.xlsx', await filledXlsx(validSubmission()));
    const first = await runCliAsync(['invia', file, '--api', stack.apiUrl], { env: env(operator) });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Invio registrato.');
    expect(first.stdout).toContain('Versione: 1');
    const hash = /Impronta SHA-256: ([0-9a-f]{64})/.exec(first.stdout)?.[1];

    const stored = (
      await client.send(`/v1/ats/${ATS}/submissions/${PERIOD}`, { token: operator })
    ).json<StoredSubmission>();
    expect(stored.receipt.sha256).toBe(hash);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(canonicalJson(stored.submission)).digest('hex')).toBe(hash);

    const second = await runCliAsync(['invia', file, '--api', stack.apiUrl, '--commento', 'Rettifica di prova'], {
      env: env(operator),
    });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('Versione: 2');
  });

  it('prints the findings with their cells and exits 1 when the server rejects the data (422)', async () => {
    const broken = validSubmission({ T4: withRow(funds(), 1, { IMPORTO_LIQUIDATO: 450000 }) });
    const file = dir.file('errato.xlsx', await filledXlsx(broken));
    const result = await runCliAsync(['invia', file, '--api', stack.apiUrl], { env: env(operator) });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('Invio respinto');
    expect(result.stdout).toMatch(/T4_Quadro_Fondi!L2\terrore\tT4\.\d+\t/);
  });

  it('exits 2 with an Italian message without a token, with an untrusted certificate, or for another ATS', async () => {
    const file = dir.file('ambito-2.xlsx', await filledXlsx(validSubmission()));
    const noToken = await runCliAsync(['invia', file, '--api', stack.apiUrl], {
      env: { NODE_EXTRA_CA_CERTS: stack.caCertPath },
    });
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toContain('RENDICONTA_TOKEN');
    const untrusted = await runCliAsync(['invia', file, '--api', stack.apiUrl], {
      env: { RENDICONTA_TOKEN: operator },
    });
    expect(untrusted.status).toBe(2);
    expect(untrusted.stderr).toContain('NODE_EXTRA_CA_CERTS');
    // The JWT authorizer's own 401 ({"message":"Unauthorized"}, as in AWS): an Italian message from the status.
    for (const token of ['non.un.token', `${operator.slice(0, -4)}AAAA`]) {
      const refused = await runCliAsync(['invia', file, '--api', stack.apiUrl], { env: env(token) });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('Accesso non autorizzato');
      expect(refused.stderr).toContain('rendiconta accedi');
      expect(refused.stderr).not.toMatch(/Unauthorized/);
    }
    const other = await stack.token({ sub: 'op-other', groups: ['ats-operator'], ats: 'ATS-05-002' });
    const forbidden = await runCliAsync(['invia', file, '--api', stack.apiUrl], { env: env(other) });
    expect(forbidden.status).toBe(2);
    expect(forbidden.stderr).toMatch(/^Errore: /);
    expect(forbidden.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('rendiconta invia over a flaky network', () => {
  let server: Server;
  const puts: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    let failures = 1;
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.method === 'GET') {
          response.writeHead(404, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Nessun invio.' } }));
          return;
        }
        puts.push(request.headers);
        if (failures-- > 0) {
          response.writeHead(503, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'Servizio non disponibile.' } }));
          return;
        }
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            receipt: {
              ats: ATS,
              period: PERIOD,
              template: LEPS_ATS.id,
              templateVersion: LEPS_ATS.version,
              version: 1,
              sha256: 'a'.repeat(64),
              receivedAt: '2026-01-25T10:00:00.000Z',
              status: 'SUBMITTED',
              findings: [],
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('retries a 5xx with the same Idempotency-Key', async () => {
    const { port } = server.address() as AddressInfo;
    const file = dir.file('rete.xlsx', await filledXlsx(validSubmission()));
    const result = await runCliAsync(['invia', file, '--api', `http://127.0.0.1:${port}`], {
      env: { RENDICONTA_TOKEN: 'x' },
    });
    expect(result.status).toBe(0);
    expect(puts).toHaveLength(2);
    expect(puts[0]?.['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(puts[1]?.['idempotency-key']).toBe(puts[0]?.['idempotency-key']);
    expect(puts[0]?.['if-match']).toBeUndefined();
  });
});

describe('rendiconta consolida', () => {
  let lo: LibreOffice;
  afterAll(() => lo?.dispose());

  it('writes the Region’s workbook; hostile texts from a submission stay text, in exceljs and in LibreOffice', async () => {
    const hostile = validSubmission({
      T5: spendingRows().map((row, index) => ({ ...row, NOTE: HOSTILE[index] ?? null })),
      T6: indicators().map((row, index) => ({ ...row, NOTE: HOSTILE[index + 3] ?? null })),
    });
    const file = dir.file('ostile.xlsx', await filledXlsx(hostile));
    const sent = await runCliAsync(['invia', file, '--api', stack.apiUrl, '--commento', 'Note aggiornate'], {
      env: env(operator),
    });
    expect(sent.stdout + sent.stderr).toContain('Invio registrato.');
    expect(sent.status).toBe(0);

    const out = join(dir.path, 'consolidato.xlsx');
    const result = await runCliAsync(
      ['consolida', '--regione', '05', '--periodo', PERIOD, '--out', out, '--api', stack.apiUrl],
      { env: env(reviewer) },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Ambiti senza invio: ATS-05-002');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names[0]).toBe('Stato invii');
    expect(names).toEqual(expect.arrayContaining([...LEPS_ATS.sheets.map((sheet) => sheet.name), 'Sintesi']));
    const status = workbook.getWorksheet('Stato invii');
    const statusText = JSON.stringify(status?.getSheetValues());
    expect(statusText).toContain(ATS);
    expect(statusText).toContain('ATS-05-002');

    // The .xlsx reader trims text as every channel does (the workbook core), so "\tTAB" is sent as "TAB".
    const sentText = HOSTILE.map((value) => value.trim());
    const expectHostileAsText = (book: ExcelJS.Workbook) => {
      const found: string[] = [];
      for (const sheet of book.worksheets) {
        sheet.eachRow((row) =>
          row.eachCell((cell) => {
            expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
            const value = typeof cell.value === 'string' ? cell.value.replace(/\r/g, '\n') : null;
            if (value !== null && sentText.some((hostile) => hostile.replace(/\r/g, '\n') === value)) found.push(value);
          }),
        );
      }
      // XML stores a bare carriage return as a line feed (XML 1.0 §2.11): still text, still harmless.
      expect(new Set(found)).toEqual(new Set(sentText.map((value) => value.replace(/\r/g, '\n'))));
    };
    expectHostileAsText(workbook);

    lo = startLibreOffice();
    const [resaved] = await lo.convert([out]);
    const afterLo = new ExcelJS.Workbook();
    await afterLo.xlsx.load(readFileSync(resaved ?? '') as unknown as ExcelJS.Buffer);
    expectHostileAsText(afterLo);
  }, 180_000);
});
