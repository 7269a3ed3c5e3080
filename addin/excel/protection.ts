import type { ExcelRun, HostProtectionOptions } from './host.ts';

/**
 * Lifting a sheet's protection before the add-in writes to it. A sheet the user protected with a password cannot be
 * lifted: `unprotect()` without the password fails the whole batch, and Excel keeps whatever that batch did before.
 * Whether a password is set is readable only on Excel on the web (`isPasswordProtected`, ExcelApiOnline 1.1), so the
 * add-in finds out the way every host supports: before writing anything, it lifts and at once restores each sheet's
 * protection, sheet by sheet, in a batch that writes nothing else.
 */

export interface ProtectedSheet {
  /** The worksheet's name in this workbook. */
  readonly sheetName: string;
  /** Its current protection options, restored exactly (the template's or the user's own). */
  readonly options: HostProtectionOptions;
}

/** Lifts and restores each sheet's protection in one batch; each sheet is restored before the next is touched. */
function probe(run: ExcelRun, sheets: readonly ProtectedSheet[]): Promise<void> {
  return run(async (context) => {
    for (const sheet of sheets) {
      const protection = context.workbook.worksheets.getItem(sheet.sheetName).protection;
      protection.unprotect();
      protection.protect({ ...sheet.options });
    }
    await context.sync();
  });
}

/**
 * The first of these sheets whose protection the add-in cannot lift (a password it does not know), or null. One round
 * trip when every sheet can be lifted; on a refusal, one per sheet until the refusing one is named.
 */
export async function sheetThatRefusesUnprotect(
  run: ExcelRun,
  sheets: readonly ProtectedSheet[],
): Promise<string | null> {
  if (sheets.length === 0) return null;
  try {
    await probe(run, sheets);
    return null;
  } catch (error) {
    for (const sheet of sheets) {
      try {
        await probe(run, [sheet]);
      } catch {
        return sheet.sheetName;
      }
    }
    // Every sheet lifts on its own: the refusal was something else, and it is Excel's to report.
    throw error;
  }
}

/** What the user reads: which sheet, why, and what to do. */
export function passwordMessage(sheetName: string, action: string): string {
  return (
    `Il foglio «${sheetName}» è protetto con una password che il componente aggiuntivo non conosce: ${action} non ` +
    'ha modificato nulla. Rimuovere la protezione del foglio (Revisione › Rimuovi protezione foglio), poi ripetere.'
  );
}
