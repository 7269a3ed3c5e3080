import { TEMPLATES } from '../../shared/template/index.ts';
import { callerOf } from '../lib/claims.ts';
import { json } from '../lib/http.ts';
import { route } from '../lib/request.ts';

export const handler = route('listTemplates', async (event) => {
  callerOf(event);
  return json(200, {
    templates: TEMPLATES.map((template) => ({
      id: template.id,
      version: template.version,
      title: template.title,
      sheets: template.sheets.map((sheet) => ({ id: sheet.id, name: sheet.name, title: sheet.title })),
    })),
  });
});
