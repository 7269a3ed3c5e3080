import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OfficeAddinManifest } from 'office-addin-manifest';
import { afterAll, describe, expect, it } from 'vitest';
import { ADDIN_ID, LOCAL_ADDIN_BASE_URL, MIN_EXCEL_API, renderManifest } from '../../addin/manifest/generate.ts';

/**
 * manifest.xml is read offline by Microsoft's own office-addin-manifest (its online `validate` needs a service this
 * machine cannot reach); the committed file is exactly what the generator renders for the local stack.
 */

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
    expect(renderManifest({ addinBaseUrl: 'https://x.example/a?b=1&c=<2>' })).toContain('a?b=1&amp;c=%3C2%3E');
    expect(() => renderManifest({ addinBaseUrl: 'http://insecure.example' })).toThrow(/HTTPS/);
  });
});
