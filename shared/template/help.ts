import { LEPS_ATS_HELP } from './leps-ats-help.ts';
import type { SheetId, TemplateDef } from './types.ts';

/** Help texts by template and version; a new version of a template brings its own. */
const HELP: Readonly<Record<string, Readonly<Record<SheetId, Readonly<Record<string, string>>>>>> = {
  'LEPS-ATS@2025.1': LEPS_ATS_HELP,
};

/**
 * The Italian help of a column, for what the workbook shows (input prompts, header notes) and the JSON Schema's
 * descriptions. Empty when the template has none for it (a column the consolidated workbook adds, say).
 */
export function columnHelp(template: Pick<TemplateDef, 'id' | 'version'>, sheet: SheetId, key: string): string {
  return HELP[`${template.id}@${template.version}`]?.[sheet]?.[key] ?? '';
}
