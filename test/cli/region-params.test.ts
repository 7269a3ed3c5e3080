import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../functions/local/stack.ts';
import { type HttpClient, httpClient } from '../functions/http-client.ts';
import { ATS, validSubmission } from '../support/builders.ts';
import { runCliAsync } from './support/cli.ts';
import { filledXlsx, type TempDir, tempDir } from './support/workbooks.ts';

/**
 * `rendiconta valida` checks with the Region's parameters when given the API, so it finds what `invia` will; without
 * the API, or when it cannot be read, it checks with the defaults and says so.
 */

interface ValidaJson {
  parameters: { region: string; version: number | null; source: string; note: string } | null;
  findings: Array<{ rule: string; severity: string; cell: string | null }>;
}

let stack: LocalStack;
let client: HttpClient;
let dir: TempDir;
let operator: string;
let file: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = tempDir();
  stack = await startLocalStack({ port: 0, dataDir: join(dir.path, 'data'), seed: false, quiet: true });
  client = httpClient(stack.apiUrl, stack.caCertPath);
  operator = await stack.token({ sub: 'op-cli', groups: ['ats-operator'], ats: ATS });
  const reviewer = await stack.token({ sub: 'rev-cli', groups: ['region-reviewer'], region: '05' });
  env = { RENDICONTA_TOKEN: operator, NODE_EXTRA_CA_CERTS: stack.caCertPath };
  // The builders' Ufficio di Piano has 3.5 FTE: under the Region's 5, and the Region makes T1.5 blocking.
  const set = await client.send('/v1/regions/05/parameters', {
    method: 'PUT',
    token: reviewer,
    body: JSON.stringify({ parameters: { udpMinFte: 5, severityOverrides: { 'T1.5': 'error' } } }),
  });
  expect(set.status).toBe(201);
  file = dir.file('compilato.xlsx', await filledXlsx(validSubmission()));
}, 180_000);

afterAll(async () => {
  client?.close();
  await stack?.stop();
  dir?.dispose();
});

const t15 = (report: ValidaJson) => report.findings.filter((finding) => finding.rule === 'T1.5');

describe('rendiconta valida and the Region’s parameters', () => {
  it('checks with the Region’s parameters read from --api, and says which version', async () => {
    const result = await runCliAsync(['valida', file, '--api', stack.apiUrl, '--json'], { env });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as ValidaJson;
    expect(report.parameters).toMatchObject({ region: '05', version: 1, source: 'region' });
    expect(t15(report)).toEqual([expect.objectContaining({ severity: 'error' })]);
    expect(result.status).toBe(1);

    const text = await runCliAsync(['valida', file, '--api', stack.apiUrl], { env });
    expect(text.stdout).toContain('Parametri dei controlli della Regione 05, versione 1 del ');
    expect(text.stdout).toMatch(/T1\.5.*sotto 5 FTE/);
  });

  it('checks with the defaults without --api, and says how to use the Region’s', async () => {
    const result = await runCliAsync(['valida', file, '--json'], { env });
    const report = JSON.parse(result.stdout) as ValidaJson;
    expect(report.parameters).toMatchObject({ region: '05', version: null, source: 'defaults' });
    expect(report.parameters?.note).toMatch(/predefiniti.*indicare --api/);
    expect(t15(report)).toEqual([]);
  });

  it('falls back to the defaults when the API cannot be read, and says why', async () => {
    const unreachable = await runCliAsync(['valida', file, '--api', 'https://127.0.0.1:9', '--json'], { env });
    const offline = JSON.parse(unreachable.stdout) as ValidaJson;
    expect(offline.parameters?.source).toBe('defaults');
    expect(offline.parameters?.note).toMatch(
      /non sono disponibili \(API non raggiungibile.*l’esito sul server può differire/,
    );
    expect(t15(offline)).toEqual([]);

    const noToken = await runCliAsync(['valida', file, '--api', stack.apiUrl, '--json'], {
      env: { NODE_EXTRA_CA_CERTS: stack.caCertPath, XDG_CONFIG_HOME: dir.path, APPDATA: dir.path },
    });
    expect((JSON.parse(noToken.stdout) as ValidaJson).parameters?.note).toMatch(/Manca il token di accesso/);
  }, 120_000);
});
