import { RECEIPT_TITLE, receiptFields } from '../../shared/client/receipt.ts';
import type { Receipt } from '../../shared/contract/api.ts';
import type { ExcelRun } from './host.ts';
import { type CellRef, COLORS, RECEIPT_SHEET, safeText } from './layout.ts';

/**
 * The "Ricevuta" sheet: what was stored, with the hash anyone can recompute, in the wording every channel uses
 * (shared/client/receipt.ts). Replaced on each submission.
 */
export function receiptRows(receipt: Receipt): string[][] {
  return [[RECEIPT_TITLE, ''], ...receiptFields(receipt).map((field) => [field.label, field.value])].map((row) =>
    row.map(safeText),
  );
}

export async function writeReceipt(run: ExcelRun, receipt: Receipt): Promise<void> {
  await run(async (context) => {
    const worksheets = context.workbook.worksheets.load('items/name');
    await context.sync();
    const exists = worksheets.items.some((worksheet) => worksheet.name === RECEIPT_SHEET);
    const sheet = exists ? worksheets.getItem(RECEIPT_SHEET) : worksheets.add(RECEIPT_SHEET);
    if (exists) sheet.getRange().clear('All');
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
