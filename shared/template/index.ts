import type { ColumnDef, SheetDef, SheetId, TemplateDef } from './types.ts';

export { CODE_LISTS, INDICATORS, QUOTA_FONDI } from './code-lists.ts';
export { columnHelp } from './help.ts';
export { LEPS_ATS } from './leps-ats.ts';
export {
  findTemplate,
  latestTemplate,
  registerTemplate,
  supersededBy,
  TEMPLATES,
  templatesRevision,
  templateToCheck,
} from './registry.ts';
export * from './types.ts';

export function sheetDef(template: TemplateDef, sheet: SheetId): SheetDef {
  const found = template.sheets.find((candidate) => candidate.id === sheet);
  if (!found) throw new Error(`Template ${template.id} has no sheet ${sheet}`);
  return found;
}

export function columnDef(template: TemplateDef, sheet: SheetId, key: string): ColumnDef | undefined {
  return sheetDef(template, sheet).columns.find((column) => column.key === key);
}

/** Whether a code belongs to a code list of the template. */
export function isInCodeList(template: TemplateDef, column: ColumnDef, value: string): boolean {
  if (!column.codeList) return true;
  return template.codeLists[column.codeList].values.some((entry) => entry.code === value);
}
