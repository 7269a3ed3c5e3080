import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TEMPLATES } from '../shared/template/index.ts';
import { templateFileName } from '../shared/workbook/index.ts';
import { templateXlsx } from './xlsx/write-template.ts';

/**
 * `npm run build:templates [-- --out DIR]`: writes dist/templates/<id>-<version>.xlsx for every published template,
 * the files GET /v1/templates/{id}/{version}.xlsx serves.
 */
const index = process.argv.indexOf('--out');
const outDir = resolve(index >= 0 ? (process.argv[index + 1] ?? 'dist/templates') : 'dist/templates');
await mkdir(outDir, { recursive: true });
for (const template of TEMPLATES) {
  const file = join(outDir, templateFileName(template));
  await writeFile(file, await templateXlsx(template));
  console.log(`${file}`);
}
