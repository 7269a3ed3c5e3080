import type { TemplateDef } from '../../shared/template/types.ts';
import { FIRST_DATA_ROW, maskSheetName, SHEET_PROTECTION } from '../../shared/workbook/index.ts';
import type { ExcelRun } from './host.ts';
import { type ProtectedSheet, passwordMessage, sheetThatRefusesUnprotect } from './protection.ts';

/**
 * "Elimina righe selezionate": on a protected sheet Excel deletes a row only when every cell of it, to column XFD, is
 * unlocked, and the template's computed columns are locked, so an accountant cannot delete a data row by hand without
 * lifting the protection. This command does it for them on a template data sheet: it lifts the protection (the
 * template's, without password), deletes the whole rows of the selection (never the header row), deletes the same
 * rows of the sheet's mask so the validation's marks stay on their cells, and protects the sheet again with the one
 * protection definition (SHEET_PROTECTION). Two round trips, three with a protected sheet (the password probe).
 */

export type DeleteRowsResult =
  | {
      readonly ok: true;
      readonly sheetName: string;
      /** 1-based sheet rows deleted, first and last. */
      readonly firstRow: number;
      readonly lastRow: number;
    }
  | { readonly ok: false; readonly message: string };

interface Selection {
  readonly sheetName: string;
  readonly firstRow: number;
  readonly lastRow: number;
  readonly protection: ProtectedSheet | null;
  readonly maskExists: boolean;
}

const ACTION = '«Elimina righe»';

async function readSelection(run: ExcelRun, template: TemplateDef): Promise<Selection> {
  return run(async (context) => {
    const range = context.workbook.getSelectedRange().load(['rowIndex', 'rowCount']);
    const worksheet = range.worksheet.load('name');
    worksheet.protection.load(['protected', 'options']);
    const masks = template.sheets.map((sheet) => ({
      sheet,
      mask: context.workbook.worksheets.getItemOrNullObject(maskSheetName(sheet.id)).load('name'),
    }));
    await context.sync();
    const sheetName = worksheet.name;
    const mask = masks.find((entry) => entry.sheet.name === sheetName)?.mask;
    return {
      sheetName,
      firstRow: range.rowIndex + 1,
      lastRow: range.rowIndex + range.rowCount,
      protection: worksheet.protection.protected ? { sheetName, options: worksheet.protection.options } : null,
      maskExists: mask !== undefined && !mask.isNullObject,
    };
  });
}

/** Why these rows may not be deleted by the command, or null. */
function refusal(template: TemplateDef, selection: Selection): string | null {
  const sheet = template.sheets.find((candidate) => candidate.name === selection.sheetName);
  if (!sheet) {
    return (
      `Il foglio «${selection.sheetName}» non è un foglio dati del modello LEPS: ${ACTION} elimina righe solo nei ` +
      'fogli T1–T6. Negli altri fogli usare Home › Elimina › Elimina righe foglio.'
    );
  }
  if (sheet.singleRow) {
    return (
      `Il foglio «${sheet.name}» ha una sola riga di dati, che non si elimina: cancellarne i valori se non ` +
      'servono.'
    );
  }
  if (selection.firstRow < FIRST_DATA_ROW) {
    return (
      `La selezione comprende la riga 1 del foglio «${sheet.name}», con le intestazioni del modello, che non si ` +
      `elimina: selezionare solo righe di dati (dalla riga ${FIRST_DATA_ROW}), poi ripetere.`
    );
  }
  return null;
}

export async function deleteSelectedRows(run: ExcelRun, template: TemplateDef): Promise<DeleteRowsResult> {
  const selection = await readSelection(run, template);
  const refused = refusal(template, selection);
  if (refused) return { ok: false, message: refused };
  const { sheetName, firstRow, lastRow, protection } = selection;
  if (protection && (await sheetThatRefusesUnprotect(run, [protection]))) {
    return { ok: false, message: passwordMessage(sheetName, ACTION) };
  }
  const sheet = template.sheets.find((candidate) => candidate.name === sheetName);
  try {
    await run(async (context) => {
      const worksheets = context.workbook.worksheets;
      const worksheet = worksheets.getItem(sheetName);
      if (protection) worksheet.protection.unprotect();
      worksheet.getRange(`${firstRow}:${lastRow}`).delete('Up');
      // The mask's twin rows go too, so each mark stays on the cell it names.
      if (sheet && selection.maskExists)
        worksheets.getItem(maskSheetName(sheet.id)).getRange(`${firstRow}:${lastRow}`).delete('Up');
      if (protection) worksheet.protection.protect({ ...SHEET_PROTECTION });
      await context.sync();
    });
  } catch (error) {
    // Excel applies a batch's operations up to the one that fails: the protection lifted above would stay lifted.
    if (protection) await protectAgain(run, sheetName).catch(() => undefined);
    throw error;
  }
  return { ok: true, sheetName, firstRow, lastRow };
}

/** The template's protection back on a sheet a failed batch left unprotected. */
async function protectAgain(run: ExcelRun, sheetName: string): Promise<void> {
  await run(async (context) => {
    const worksheet = context.workbook.worksheets.getItem(sheetName);
    worksheet.protection.load('protected');
    await context.sync();
    if (worksheet.protection.protected) return;
    worksheet.protection.protect({ ...SHEET_PROTECTION });
    await context.sync();
  });
}

/** What the user reads after the command. */
export function deletedRowsText(result: Extract<DeleteRowsResult, { ok: true }>): string {
  const count = result.lastRow - result.firstRow + 1;
  const rows =
    count === 1 ? `la riga ${result.firstRow}` : `le righe ${result.firstRow}–${result.lastRow} (${count} righe)`;
  return (
    `Eliminat${count === 1 ? 'a' : 'e'} ${rows} del foglio «${result.sheetName}»; le righe sotto sono salite e il ` +
    'foglio è di nuovo protetto come nel modello.'
  );
}
