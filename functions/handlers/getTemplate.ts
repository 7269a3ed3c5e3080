import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { submissionJsonSchema } from '../../shared/contract/submission.ts';
import { findTemplate } from '../../shared/template/index.ts';
import { callerOf } from '../lib/claims.ts';
import { badRequest, json, notFound } from '../lib/http.ts';
import { type Event, route } from '../lib/request.ts';

const SAFE_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function xlsxDirectory(): string {
  return (
    process.env.TEMPLATE_XLSX_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'templates')
  );
}

async function workbook(id: string, version: string) {
  const file = join(xlsxDirectory(), `${id}-${version}.xlsx`);
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    throw notFound(`Il file Excel del modello ${id} versione ${version} non è disponibile.`);
  }
  return {
    statusCode: 200,
    isBase64Encoded: true,
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${id}-${version}.xlsx"`,
      'cache-control': 'no-store',
    },
    body: data.toString('base64'),
  };
}

export const handler = route('getTemplate', async (event: Event) => {
  callerOf(event);
  const id = event.pathParameters?.id ?? '';
  const requested = event.pathParameters?.version ?? '';
  if (!SAFE_PART.test(id) || !SAFE_PART.test(requested)) {
    throw badRequest('Identificativo o versione del modello non validi.');
  }
  const excel = requested.endsWith('.xlsx');
  const version = excel ? requested.slice(0, -'.xlsx'.length) : requested;
  const template = findTemplate(id, version);
  if (!template) throw notFound(`Modello ${id} versione ${version} non pubblicato.`);
  if (excel) return workbook(template.id, template.version);
  return json(200, { template, jsonSchema: submissionJsonSchema(template) });
});
