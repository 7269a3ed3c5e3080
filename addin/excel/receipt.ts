import { RECEIPT_TITLE, receiptFields } from '../../shared/client/receipt.ts';
import type { Receipt } from '../../shared/contract/api.ts';
import type { ExcelRun } from './host.ts';
import { type CellRef, COLORS, RECEIPT_SHEET, safeText } from './layout.ts';
import { sheetThatRefusesUnprotect } from './protection.ts';

/**
 * The "Ricevuta" sheet: what was stored, with the hash anyone can recompute, in the wording every channel uses
 * (shared/client/receipt.ts). Replaced on each submission.
 */
export function receiptRows(receipt: Receipt): string[][] {
  return [[RECEIPT_TITLE, ''], ...receiptFields(receipt).map((field) => [field.label, field.value])].map((row) =>
    row.map(safeText),
  );
}

/** Raised before anything is written when the Ricevuta sheet is protected with a password the add-in does not know. */
export class ReceiptSheetLocked extends Error {
  override readonly name = 'ReceiptSheetLocked';
}

/**
 * Writes the receipt on its own sheet. A Ricevuta sheet the user protected is lifted and protected again with the
 * same options; one protected with a password stops the write before anything is written, with a message naming it.
 */
export async function writeReceipt(run: ExcelRun, receipt: Receipt): Promise<void> {
  const existing = await run(async (context) => {
    const sheet = context.workbook.worksheets.getItemOrNullObject(RECEIPT_SHEET).load('name');
    sheet.protection.load(['protected', 'options']);
    await context.sync();
    if (sheet.isNullObject) return null;
    return sheet.protection.protected ? { sheetName: RECEIPT_SHEET, options: sheet.protection.options } : undefined;
  });
  if (existing && (await sheetThatRefusesUnprotect(run, [existing]))) {
    throw new ReceiptSheetLocked(
      `Il foglio «${RECEIPT_SHEET}» è protetto con una password che il componente aggiuntivo non conosce: la ricevuta ` +
        'non vi è stata scritta (è nel riquadro) e il foglio non è stato modificato. Rimuovere la protezione del foglio ' +
        '(Revisione › Rimuovi protezione foglio) per averla anche lì al prossimo invio.',
    );
  }
  await run(async (context) => {
    const worksheets = context.workbook.worksheets;
    const sheet = existing === null ? worksheets.add(RECEIPT_SHEET) : worksheets.getItem(RECEIPT_SHEET);
    if (existing) sheet.protection.unprotect();
    if (existing !== null) sheet.getRange().clear('All');
    const rows = receiptRows(receipt);
    const range = sheet.getRange(`A1:B${rows.length}`);
    // Text format first: the hash and the version must stay exactly as received.
    range.numberFormat = rows.map(() => ['@', '@']);
    range.values = rows;
    const title = sheet.getRange('A1:B1');
    title.format.font.bold = true;
    title.format.fill.color = COLORS.header;
    sheet.getRange('A1:A20').format.columnWidth = 90;
    sheet.getRange('B1:B20').format.columnWidth = 460;
    if (existing) sheet.protection.protect({ ...existing.options });
    await context.sync();
  });
}

/** Brings a finding's cell into view and selects it (one round trip). */
export async function selectCell(run: ExcelRun, cell: CellRef): Promise<void> {
  await run(async (context) => {
    const sheet = context.workbook.worksheets.getItem(cell.sheetName);
    sheet.activate();
    sheet.getRange(cell.address).select();
    await context.sync();
  });
}
