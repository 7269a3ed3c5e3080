import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { OfficeAddinManifest } from 'office-addin-manifest';
import { convert } from 'office-addin-manifest-converter';
import { afterAll, describe, expect, it } from 'vitest';
import { ADDIN_ID, LOCAL_ADDIN_BASE_URL, MIN_EXCEL_API, renderManifest } from '../../addin/manifest/generate.ts';

/**
 * manifest.xml is read offline by Microsoft's own office-addin-manifest (its online `validate` needs a service this
 * machine cannot reach) and validated offline by Microsoft's converter to the unified manifest plus the JSON schema
 * shipped in @microsoft/app-manifest; the committed file is exactly what the generator renders for the local stack.
 */

/**
 * The converter writes `getStartedMessages`, which the unified schema knows from v1.24 on, while labelling its output
 * 1.17 by default: pin both to 1.24 so the schema judges what the converter really produced.
 */
const UNIFIED_SCHEMA_VERSION = '1.24';
const unifiedSchemaPath = new URL(
  `../../node_modules/@microsoft/app-manifest/build/json-schemas/teams/v${UNIFIED_SCHEMA_VERSION}/MicrosoftTeams.schema.json`,
  import.meta.url,
).pathname;

async function unifiedSchemaErrors(xmlFile: string, outDir: string): Promise<string[]> {
  await convert(
    xmlFile,
    outDir,
    false,
    `https://developer.microsoft.com/json-schemas/teams/v${UNIFIED_SCHEMA_VERSION}/MicrosoftTeams.schema.json`,
    UNIFIED_SCHEMA_VERSION,
  );
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
  const schema = JSON.parse(readFileSync(unifiedSchemaPath, 'utf8'));
  return AppManifestUtils.validateAgainstSchema(manifest, schema);
}

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'leps-manifest-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('manifest.xml', () => {
  it('is the generator’s output for the local stack', () => {
    expect(readFileSync(join(root, 'manifest.xml'), 'utf8')).toBe(
      renderManifest({ addinBaseUrl: LOCAL_ADDIN_BASE_URL }),
    );
  });

  it('is read by Microsoft’s office-addin-manifest as an Excel task pane add-in', async () => {
    const info = await OfficeAddinManifest.readManifestFile(join(root, 'manifest.xml'));
    expect(info).toMatchObject({
      id: ADDIN_ID,
      displayName: 'Rendiconta LEPS',
      officeAppType: 'TaskPaneApp',
      hosts: ['Workbook'],
      defaultLocale: 'it-IT',
      permissions: 'ReadWriteDocument',
      version: '1.0.0.0',
    });
    expect(info.defaultSettings?.sourceLocation).toBe('https://localhost:3000/taskpane.html');
  });

  it('converts to a unified manifest that Microsoft’s schema accepts', async () => {
    expect(await unifiedSchemaErrors(join(root, 'manifest.xml'), join(scratch, 'unified-local'))).toEqual([]);
  });

  it('fails that schema when the manifest is broken', async () => {
    // A support URL that is not a web address: the converter copies it, the schema refuses it.
    const broken = readFileSync(join(root, 'manifest.xml'), 'utf8').replace(
      /<SupportUrl DefaultValue="[^"]+"/,
      '<SupportUrl DefaultValue="ftp://localhost/help"',
    );
    const file = join(scratch, 'broken.xml');
    writeFileSync(file, broken);
    const errors = await unifiedSchemaErrors(file, join(scratch, 'unified-broken'));
    expect(errors).toContainEqual(expect.stringContaining('/developer/websiteUrl must match pattern'));
  });

  it('passes the office-addin-manifest command line offline', async () => {
    const { stdout } = await run(join(root, 'node_modules', '.bin', 'office-addin-manifest'), [
      'info',
      join(root, 'manifest.xml'),
    ]);
    expect(stdout).toContain('Type: TaskPaneApp');
    expect(stdout).toContain('Hosts: Workbook');
  });

  it('declares the minimum ExcelApi set and the LEPS ribbon with its four buttons', () => {
    const xml = readFileSync(join(root, 'manifest.xml'), 'utf8');
    expect(xml).toContain(`<Set Name="ExcelApi" MinVersion="${MIN_EXCEL_API}"/>`);
    for (const label of ['Nuovo modello', 'Valida', 'Invia', 'Pannello'])
      expect(xml).toContain(`DefaultValue="${label}"`);
    expect(xml).toContain('<FunctionName>validateWorkbook</FunctionName>');
  });

  it('renders a deployed URL and version, escaped, and Microsoft’s reader takes it', async () => {
    const xml = renderManifest({ addinBaseUrl: 'https://d1234.cloudfront.net/', version: '2.3' });
    const file = join(scratch, 'deployed.xml');
    writeFileSync(file, xml);
    const info = await OfficeAddinManifest.readManifestFile(file);
    expect(info.version).toBe('2.3.0.0');
    expect(info.defaultSettings?.sourceLocation).toBe('https://d1234.cloudfront.net/taskpane.html');
    expect(await unifiedSchemaErrors(file, join(scratch, 'unified-deployed'))).toEqual([]);
    expect(renderManifest({ addinBaseUrl: 'https://x.example/a?b=1&c=<2>' })).toContain('a?b=1&amp;c=%3C2%3E');
    expect(() => renderManifest({ addinBaseUrl: 'http://insecure.example' })).toThrow(/HTTPS/);
  });
});
