import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateWorkbook } from '../../cli/commands/valida.ts';
import { XlsxFileError } from '../../cli/xlsx/guard.ts';
import { readWorkbook } from '../../cli/xlsx/read.ts';
import type { Finding } from '../../shared/index.ts';
import { MARKER_NAME, MARKER_SHEET } from '../../shared/workbook/index.ts';
import { funds, NOW, validSubmission, withRow } from '../support/builders.ts';
import { filledWorkbook, toBuffer } from './support/workbooks.ts';

/**
 * Files as people really fill them in Excel or LibreOffice: every oddity becomes a finding on its cell, and the data
 * that is there is still read and checked; nothing crashes.
 */

const comparable = (findings: readonly Finding[]) =>
  findings.map(({ rule, severity, sheet, row, column, message }) => ({ rule, severity, sheet, row, column, message }));

const sheet = (workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet => {
  const found = workbook.getWorksheet(name);
  if (!found) throw new Error(`missing ${name}`);
  return found;
};

async function validate(workbook: ExcelJS.Workbook) {
  return validateWorkbook(await toBuffer(workbook), { now: NOW });
}

/** The checks' findings only, without the reader's own (layout) findings. */
async function checkFindings(workbook: ExcelJS.Workbook) {
  const report = await validate(workbook);
  const own = new Set(report.read.findings.map((finding) => finding.message));
  return { report, checks: comparable(report.findings.filter((finding) => !own.has(finding.message))) };
}

let baseline: ReturnType<typeof comparable>;

beforeAll(async () => {
  baseline = (await checkFindings(await filledWorkbook(validSubmission()))).checks;
});

describe('reading filled workbooks', () => {
  it('reports a number typed as text on its cell and still reads it', async () => {
    const workbook = await filledWorkbook(validSubmission());
    sheet(workbook, 'T4_Quadro_Fondi').getCell('I2').value = '480.000,00';
    const report = await validate(workbook);
    const s3 = report.findings.filter((finding) => finding.rule === 'S.3');
    expect(s3.map((finding) => finding.cell)).toEqual(['T4_Quadro_Fondi!I2']);
    expect(s3[0]?.message).toContain('480.000,00');
    expect(report.read.submission.sheets.T4?.[0]?.IMPORTO_ASSEGNATO).toBe('480.000,00');
  });

  it('reads a merged area as Excel and the add-in see it (the first cell only) and says so', async () => {
    const workbook = await filledWorkbook(validSubmission());
    sheet(workbook, 'T2_ATS_Comuni').mergeCells('A2:A5');
    const { report } = await checkFindings(workbook);
    expect(report.read.submission.sheets.T2?.map((row) => row.COD_ATS)).toEqual([
      'ATS-05-001',
      undefined,
      undefined,
      undefined,
    ]);
    const merged = report.findings.filter((finding) => finding.message.includes('Celle unite'));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ rule: 'S.2', severity: 'warning', cell: 'T2_ATS_Comuni' });
    expect(merged[0]?.message).toContain('T2_ATS_Comuni!A2:A5');
    // The emptied cells are reported where they are, as missing values.
    const missing = report.findings.filter((finding) => finding.sheet === 'T2' && finding.column === 'COD_ATS');
    expect(missing.map((finding) => finding.cell)).toEqual([
      'T2_ATS_Comuni!A3',
      'T2_ATS_Comuni!A4',
      'T2_ATS_Comuni!A5',
    ]);
  });

  it('ignores an extra column with one warning that names it', async () => {
    const workbook = await filledWorkbook(validSubmission());
    const t4 = sheet(workbook, 'T4_Quadro_Fondi');
    t4.getCell('AA1').value = 'Note interne';
    t4.getCell('AA2').value = 'da verificare con la ragioneria';
    const { report, checks } = await checkFindings(workbook);
    expect(checks).toEqual(baseline);
    const extra = report.findings.filter((finding) => finding.message.includes('Note interne'));
    expect(extra).toHaveLength(1);
    expect(extra[0]).toMatchObject({ rule: 'S.2', severity: 'warning' });
    expect(extra[0]?.message).toContain('T4_Quadro_Fondi!AA1');
  });

  it('finds columns by their header when they were moved, and points at the moved cells', async () => {
    const broken = validSubmission({ T4: withRow(funds(), 1, { IMPORTO_LIQUIDATO: 450000 }) });
    const inPlace = await validate(await filledWorkbook(broken));
    const workbook = await filledWorkbook(broken);
    const t4 = sheet(workbook, 'T4_Quadro_Fondi');
    // Swap "Assegnato" (I) and "Liquidato" (L), header and data.
    for (let row = 1; row <= 3; row++) {
      const left = t4.getCell(`I${row}`).value;
      t4.getCell(`I${row}`).value = t4.getCell(`L${row}`).value;
      t4.getCell(`L${row}`).value = left;
    }
    const moved = await validate(workbook);
    expect(comparable(moved.findings)).toEqual(comparable(inPlace.findings));
    const cellsOf = (findings: typeof moved.findings) =>
      findings.filter((finding) => finding.column === 'IMPORTO_LIQUIDATO').map((finding) => finding.cell);
    expect(cellsOf(inPlace.findings).every((cell) => cell.startsWith('T4_Quadro_Fondi!L'))).toBe(true);
    expect(cellsOf(moved.findings).length).toBeGreaterThan(0);
    expect(cellsOf(moved.findings).every((cell) => cell.startsWith('T4_Quadro_Fondi!I'))).toBe(true);
  });

  it('recognises renamed and reordered sheets by their headers', async () => {
    const workbook = await filledWorkbook(validSubmission());
    const comuni = sheet(workbook, 'T2_ATS_Comuni');
    comuni.name = 'Comuni';
    // Move it after the other data sheets (exceljs orders sheets by orderNo, which its typings leave out).
    (comuni as unknown as { orderNo: number }).orderNo = 99;
    const { report, checks } = await checkFindings(workbook);
    expect(checks).toEqual(baseline);
    expect(report.read.submission.sheets.T2).toHaveLength(4);
    expect(report.read.cells.T2?.sheetName).toBe('Comuni');
    const renamed = report.findings.filter((finding) => finding.message.includes('riconosciuto dalle intestazioni'));
    expect(renamed).toHaveLength(1);
    expect(renamed[0]).toMatchObject({ rule: 'S.2', severity: 'warning', sheet: 'T2', cell: 'Comuni' });
  });

  it('reports a missing sheet as an error, not a crash', async () => {
    const workbook = await filledWorkbook(validSubmission());
    workbook.removeWorksheet(sheet(workbook, 'T6_Indicatori_LEPS').id);
    const report = await validate(workbook);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        rule: 'S.2',
        severity: 'error',
        sheet: 'T6',
        message: expect.stringContaining('mancante'),
      }),
    );
    expect(report.read.submission.sheets.T6).toEqual([]);
  });

  it('reports an older template version as S.2 with the version to download', async () => {
    const workbook = await filledWorkbook(validSubmission());
    sheet(workbook, MARKER_SHEET).getCell('B1').value = '2024.1';
    const report = await validate(workbook);
    expect(report.read.submission.templateVersion).toBe('2024.1');
    const s2 = report.findings.filter((finding) => finding.rule === 'S.2');
    expect(s2).toHaveLength(1);
    expect(s2[0]).toMatchObject({ severity: 'error', cell: '(cartella)' });
    expect(s2[0]?.message).toContain('2025.1');
  });

  it('refuses a workbook without the template marker with a clear error', async () => {
    const workbook = await filledWorkbook(validSubmission());
    workbook.removeWorksheet(sheet(workbook, MARKER_SHEET).id);
    workbook.definedNames.remove(`'${MARKER_SHEET}'!$A$1`, MARKER_NAME);
    workbook.definedNames.remove(`'${MARKER_SHEET}'!$B$1`, MARKER_NAME);
    await expect(readWorkbook(await toBuffer(workbook))).rejects.toThrow(XlsxFileError);
    await expect(readWorkbook(await toBuffer(workbook))).rejects.toThrow(/marcatore del modello/);
  });

  it('reads rich text as text, a code typed as a number as a finding, an error cell as a finding', async () => {
    const workbook = await filledWorkbook(validSubmission());
    const t1 = sheet(workbook, 'T1_ATS_Anagrafica');
    t1.getCell('B2').value = { richText: [{ text: 'Ambito ' }, { font: { bold: true }, text: 'Belluno' }] };
    const t2 = sheet(workbook, 'T2_ATS_Comuni');
    t2.getCell('B2').value = 25001;
    t2.getCell('F3').value = { formula: '1/0', result: { error: '#DIV/0!' } };
    const report = await validate(workbook);
    expect(report.read.submission.sheets.T1?.[0]?.DENOMINAZIONE_ATS).toBe('Ambito Belluno');
    const onCell = (cell: string) => report.findings.filter((finding) => finding.cell === cell);
    expect(
      onCell('T2_ATS_Comuni!B2')
        .map((finding) => finding.message)
        .join(' '),
    ).toContain('codice inserito come numero');
    expect(
      onCell('T2_ATS_Comuni!F3')
        .map((finding) => finding.message)
        .join(' '),
    ).toContain('#DIV/0!');
    expect(report.errors).toBeGreaterThan(0);
  });

  it('skips empty rows but keeps each row’s own Excel row for the addresses', async () => {
    const workbook = await filledWorkbook(validSubmission({ T4: withRow(funds(), 2, { IMPORTO_LIQUIDATO: 999999 }) }));
    const t4 = sheet(workbook, 'T4_Quadro_Fondi');
    // Move the second fund row down to row 10, leaving blank rows in between.
    t4.getRow(3).eachCell((cell, column) => {
      if (!cell.formula) {
        t4.getCell(10, column).value = cell.value;
        cell.value = null;
      }
    });
    const report = await validate(workbook);
    expect(report.read.submission.sheets.T4).toHaveLength(2);
    expect(report.read.cells.T4?.rows).toEqual([2, 10]);
    const liquidato = report.findings.filter((finding) => finding.column === 'IMPORTO_LIQUIDATO' && finding.row === 2);
    expect(liquidato.length).toBeGreaterThan(0);
    expect(liquidato.every((finding) => finding.cell === 'T4_Quadro_Fondi!L10')).toBe(true);
  });
});
