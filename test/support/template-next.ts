import { LEPS_ATS } from '../../shared/template/index.ts';
import type { CodeList, ColumnDef, SheetDef, TemplateDef } from '../../shared/template/types.ts';

/**
 * A second version of LEPS-ATS that exists only in the tests, built from the published one by the three changes a
 * ministry's yearly revision makes: a new column (T5 `UTENTI_SERVITI`), a renamed header (T5 `MODALITA`, "Modalità"
 * becomes "Modalità di gestione") and a code dropped from a list (FORMA_GESTIONE loses `CM`, so T1.1 refuses it in this
 * version and not in 2025.1). Registered through registerTemplate, it is the latest version for the test that does so.
 */

export const NEXT_VERSION = '2026.1';
export const ADDED_COLUMN = 'UTENTI_SERVITI';
export const ADDED_HEADER = 'Utenti serviti';
export const RENAMED_COLUMN = 'MODALITA';
export const RENAMED_HEADER = 'Modalità di gestione';
export const DROPPED_CODE = 'CM';

const UTENTI_SERVITI: ColumnDef = {
  key: ADDED_COLUMN,
  header: ADDED_HEADER,
  type: 'integer',
  requirement: 'optional',
  min: 0,
  unit: 'persone',
  excelFormat: '0',
  width: 12,
};

function revisedSheet(sheet: SheetDef): SheetDef {
  if (sheet.id !== 'T5') return sheet;
  const columns = sheet.columns.map((column) =>
    column.key === RENAMED_COLUMN ? { ...column, header: RENAMED_HEADER } : column,
  );
  return { ...sheet, columns: [...columns, UTENTI_SERVITI] };
}

const formeGestione: CodeList = {
  ...LEPS_ATS.codeLists.FORMA_GESTIONE,
  values: LEPS_ATS.codeLists.FORMA_GESTIONE.values.filter((entry) => entry.code !== DROPPED_CODE),
};

export const LEPS_ATS_NEXT: TemplateDef = {
  ...LEPS_ATS,
  version: NEXT_VERSION,
  publishedAt: '2026-12-01',
  sheets: LEPS_ATS.sheets.map(revisedSheet),
  codeLists: { ...LEPS_ATS.codeLists, FORMA_GESTIONE: formeGestione },
};
