import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnLetter as addinColumnLetter } from '../../addin/excel/layout.ts';
import { templateXlsx, xlsxProtection } from '../../cli/xlsx/write-template.ts';
import { columnHelp, LEPS_ATS } from '../../shared/index.ts';
import {
  columnForHeader,
  columnLetter,
  computedFormula,
  EXCEL_LAST_ROW,
  FIRST_DATA_ROW,
  FORMULA_ROWS,
  findingAddress,
  headerMatchCount,
  headerMatchThreshold,
  inferAts,
  inferPeriod,
  LISTS_SHEET,
  listColumns,
  locateFinding,
  MARKER_NAME,
  MARKER_SHEET,
  SHEET_PROTECTION,
  templateFileName,
} from '../../shared/workbook/index.ts';
import { runCli } from './support/cli.ts';
import { type SheetValidation, sheetValidations, validationAt } from './support/sheet-validations.ts';
import { type TempDir, tempDir } from './support/workbooks.ts';

/** The blank template drawn from the definition: what the add-in draws, as a file. */

let workbook: ExcelJS.Workbook;
let validationsBySheet: Map<string, SheetValidation[]>;
let dir: TempDir;

/** exceljs without the data validations, which it would expand to a million entries per column: read from the XML. */
const skipValidations = { ignoreNodes: ['dataValidations'] } as never;

beforeAll(async () => {
  const bytes = await templateXlsx(LEPS_ATS);
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer, skipValidations);
  validationsBySheet = await sheetValidations(bytes);
  dir = tempDir();
});

afterAll(() => dir?.dispose());

const sheetOf = (name: string): ExcelJS.Worksheet => {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`missing sheet ${name}`);
  return sheet;
};

describe('blank template', () => {
  it('has one sheet per template sheet, in order, then the hidden lists and the version marker', () => {
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      ...LEPS_ATS.sheets.map((sheet) => sheet.name),
      LISTS_SHEET,
      MARKER_SHEET,
    ]);
    expect(sheetOf(LISTS_SHEET).state).toBe('hidden');
    expect(sheetOf(MARKER_SHEET).state).toBe('veryHidden');
    expect(sheetOf(MARKER_SHEET).getCell('A1').value).toBe(LEPS_ATS.id);
    expect(sheetOf(MARKER_SHEET).getCell('B1').value).toBe(LEPS_ATS.version);
    expect(workbook.definedNames.model).toContainEqual({ name: MARKER_NAME, ranges: [`'${MARKER_SHEET}'!$A$1:$B$1`] });
  });

  it.each(LEPS_ATS.sheets.map((sheet) => [sheet.id, sheet] as const))(
    '%s: headers with help notes, formats, lists, locked formulas and protection',
    (_id, definition) => {
      const sheet = sheetOf(definition.name);
      // exceljs reads back the "allowed" flags as true and leaves the others out.
      const allowed = Object.entries(xlsxProtection(SHEET_PROTECTION)).filter(
        ([key, value]) => value === true && !['selectLockedCells', 'selectUnlockedCells', 'objects'].includes(key),
      );
      const protection = (sheet as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
      expect(Object.entries(protection).filter(([, value]) => value === true)).toEqual(
        expect.arrayContaining([['sheet', true], ...allowed]),
      );
      expect(Object.entries(protection).filter(([, value]) => value === true)).toHaveLength(allowed.length + 1);
      expect(protection.objects).toBeUndefined();
      // No password: Revisione › Rimuovi protezione foglio lifts it without asking (e.g. to delete rows).
      expect([protection.password, protection.hashValue, protection.algorithmName]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      const validations = validationsBySheet.get(definition.name) ?? [];
      const lastRow = FIRST_DATA_ROW + (definition.singleRow ? 1 : FORMULA_ROWS) - 1;
      definition.columns.forEach((column, index) => {
        const header = sheet.getCell(1, index + 1);
        expect(header.value).toBe(column.header);
        expect(JSON.stringify(header.note)).toContain(
          columnHelp(LEPS_ATS, definition.id, column.key).slice(0, 20).replace(/"/g, '\\"'),
        );
        // The list and the prompt reach every row the column unlocks: the first, the last prepared, far below, the last.
        for (const row of [FIRST_DATA_ROW, lastRow, 100_000, EXCEL_LAST_ROW]) {
          const validation = validationAt(validations, columnLetter(index + 1), row);
          const help = columnHelp(LEPS_ATS, definition.id, column.key);
          if (column.codeList && !column.computed) {
            const list = listColumns(LEPS_ATS).find((entry) => entry.list === column.codeList);
            expect(validation?.attributes.get('type')).toBe('list');
            expect(validation?.formula1).toBe(list?.range);
            expect(validation?.attributes.get('showErrorMessage')).toBe('1');
          } else if (!column.computed && help !== '') {
            expect(validation?.attributes.get('type')).toBeUndefined();
            expect(validation?.attributes.get('showInputMessage')).toBe('1');
          } else {
            expect(validation).toBeUndefined();
          }
        }
        expect(validationAt(validations, columnLetter(index + 1), 1)).toBeUndefined();
        for (const row of [FIRST_DATA_ROW, lastRow]) {
          const cell = sheet.getCell(row, index + 1);
          expect(cell.numFmt).toBe(column.excelFormat);
          if (column.computed) {
            expect(cell.formula).toBe(computedFormula(LEPS_ATS, definition, column, row));
            // Locked is the spreadsheet default: written as "no protection override".
            expect(cell.protection?.locked ?? true).toBe(true);
          } else {
            expect(cell.type).toBe(ExcelJS.ValueType.Null);
            expect(cell.protection?.locked).toBe(false);
          }
        }
      });
      expect(sheet.getCell(lastRow + 1, 1).formula).toBeUndefined();
      // Input columns stay unlocked and formatted far below the prepared rows: an accountant types any number of rows.
      definition.columns.forEach((column, index) => {
        const far = sheet.getCell(60_000, index + 1);
        expect(far.protection?.locked ?? true).toBe(column.computed !== undefined);
        expect(far.numFmt).toBe(column.excelFormat);
        expect(sheet.getCell(1, index + 1).protection?.locked ?? true).toBe(true);
      });
    },
  );

  it('keeps codes as text and lists every code of every list on the hidden sheet', () => {
    const lists = sheetOf(LISTS_SHEET);
    for (const entry of listColumns(LEPS_ATS)) {
      const values = lists.getColumn(entry.column).values.slice(2);
      expect(values).toEqual(entry.codes);
    }
    const istat = LEPS_ATS.sheets[1]?.columns.find((column) => column.key === 'COD_ISTAT_COMUNE');
    expect(istat?.excelFormat).toBe('@');
  });

  it('gives every finding an A1 address in the blank layout', () => {
    const at = (sheet: 'T1' | 'T2' | 'T3' | 'T4' | null, row: number | null, column: string | null) =>
      findingAddress(locateFinding(LEPS_ATS, {}, { sheet, row, column }));
    expect(at('T4', 2, 'IMPORTO_ASSEGNATO')).toBe('T4_Quadro_Fondi!I3');
    expect(at('T1', 1, 'POPOLAZIONE_TOT')).toBe('T1_ATS_Anagrafica!AI2');
    expect(at('T2', 4, null)).toBe('T2_ATS_Comuni!5:5');
    expect(at('T3', null, null)).toBe('T3_Personale_SS');
    expect(at(null, null, null)).toBe('(cartella)');
  });
});

describe('reading rules of the layout (shared with the add-in)', () => {
  it('names columns the spreadsheet way, 1-based here and 0-based in the add-in and the Region workbook', () => {
    const letters = [1, 26, 27, 52, 702, 703, 16384].map(columnLetter);
    expect(letters).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA', 'XFD']);
    expect([0, 25, 26, 51, 701, 702, 16383].map(addinColumnLetter)).toEqual(letters);
  });
  const t4 = LEPS_ATS.sheets[3];
  it('matches headers by text or key, whatever the case and spacing', () => {
    if (!t4) throw new Error('no T4');
    expect(columnForHeader(t4, '  ASSEGNATO ')?.key).toBe('IMPORTO_ASSEGNATO');
    expect(columnForHeader(t4, 'importo_liquidato')?.key).toBe('IMPORTO_LIQUIDATO');
    expect(columnForHeader(t4, 'Note interne')).toBeUndefined();
    expect(headerMatchCount(t4, ['Fondo', 'fondo', 'Quota', 'Annualità', 'boh'])).toBe(3);
    expect(headerMatchThreshold(t4)).toBe(Math.ceil(t4.columns.length / 2));
  });

  it('infers ATS and period the user does not type', () => {
    expect(inferAts([{ COD_ATS: ' ats-05-001 ' }])).toBe('ATS-05-001');
    expect(inferAts([{ COD_ATS: 'Belluno' }])).toBeUndefined();
    const t1 = [{ ANNO_RIF: 2025 }];
    expect(inferPeriod({ T1: t1, T4: [{ DATA_RIF: '2025-08-31' }], T5: [] })).toBe('2025-08-31');
    expect(inferPeriod({ T1: t1, T4: [{ DATA_RIF: '30/06/2025' }], T5: [{ DATA_RIF: '31/12/2025' }] })).toBe(
      '2025-12-31',
    );
    expect(inferPeriod({ T1: t1, T4: [], T5: [] })).toBe('2025-12-31');
    // A 31/08 date of another year, or one beside a 31/12 of the year, does not make the return interim.
    expect(inferPeriod({ T1: t1, T4: [{ DATA_RIF: '2024-08-31' }], T5: [] })).toBe('2025-12-31');
    expect(inferPeriod({ T1: t1, T4: [{ DATA_RIF: '2025-08-31' }], T5: [{ DATA_RIF: '2025-12-31' }] })).toBe(
      '2025-12-31',
    );
    expect(inferPeriod({ T1: [], T4: [{ DATA_RIF: '2025-08-31' }], T5: [] })).toBe('2025-08-31');
    expect(inferPeriod({ T1: [], T4: [], T5: [] })).toBeUndefined();
  });
});

describe('writing the template', () => {
  it('rendiconta modello writes LEPS-ATS-<version>.xlsx by default, or the file named', async () => {
    const byDefault = runCli(['modello'], { cwd: dir.path });
    expect(byDefault.status).toBe(0);
    expect(byDefault.stdout).toContain(`versione ${LEPS_ATS.version}`);
    const written = join(dir.path, templateFileName(LEPS_ATS));
    expect(readFileSync(written).subarray(0, 2).toString()).toBe('PK');

    const named = runCli(['modello', join(dir.path, 'mio.xlsx')]);
    expect(named.status).toBe(0);
    const reread = new ExcelJS.Workbook();
    await reread.xlsx.readFile(join(dir.path, 'mio.xlsx'), skipValidations);
    expect(reread.getWorksheet(MARKER_SHEET)?.getCell('B1').value).toBe(LEPS_ATS.version);
  });

  it('rendiconta modello refuses an unpublished version with exit status 2', () => {
    const result = runCli(['modello', join(dir.path, 'x.xlsx'), '--versione', '1999.1']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('non pubblicato');
    expect(existsSync(join(dir.path, 'x.xlsx'))).toBe(false);
  });

  it('build:templates writes one file per published template for the backend to serve', () => {
    const out = join(dir.path, 'dist');
    const result = runCli(['--out', out], { script: 'cli/build-templates.ts' });
    expect(result.status).toBe(0);
    expect(existsSync(join(out, templateFileName(LEPS_ATS)))).toBe(true);
  });
});
