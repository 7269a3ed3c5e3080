import { readBook } from '../../../cli/xlsx/stream-book.ts';
import { openPackage } from '../../../cli/xlsx/stream-package.ts';
import { readAttributes } from '../../../cli/xlsx/stream-xml.ts';

/**
 * The `<dataValidation>` elements of each worksheet, read from the sheet XML as written (exceljs's loader would expand
 * every range into one entry per cell): what Excel and LibreOffice apply, range by range.
 */
export interface SheetValidation {
  /** The space-separated ranges the rule applies to, as written. */
  readonly sqref: string;
  readonly attributes: ReadonlyMap<string, string>;
  /** The text of formula1 (a list's source), or '' when there is none. */
  readonly formula1: string;
}

export async function sheetValidations(buffer: Buffer): Promise<Map<string, SheetValidation[]>> {
  const pkg = await openPackage(buffer);
  try {
    const book = await readBook(pkg);
    const result = new Map<string, SheetValidation[]>();
    for (const sheet of book.sheets) {
      if (!sheet.part) continue;
      const found: SheetValidation[] = [];
      let current: { attributes: Map<string, string>; formula1: string } | null = null;
      let inFormula1 = false;
      await pkg.scan(sheet.part, {
        open(name, attributes, selfClosing) {
          const local = name.replace(/^.*:/, '');
          if (local === 'dataValidation') {
            current = { attributes: readAttributes(attributes), formula1: '' };
            if (selfClosing) {
              found.push({ sqref: current.attributes.get('sqref') ?? '', ...current });
              current = null;
            }
          } else if (local === 'formula1' && !selfClosing) inFormula1 = true;
        },
        close(name) {
          const local = name.replace(/^.*:/, '');
          if (local === 'formula1') inFormula1 = false;
          if (local === 'dataValidation' && current) {
            found.push({ sqref: current.attributes.get('sqref') ?? '', ...current });
            current = null;
          }
        },
        text(value) {
          if (inFormula1 && current) current.formula1 += value;
        },
      });
      result.set(sheet.name, found);
    }
    return result;
  } finally {
    pkg.close();
  }
}

/** Whether one sqref range ("C2:C1048576" or "C7") contains a cell given by column letters and row. */
function rangeHolds(range: string, letters: string, row: number): boolean {
  const match = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(range);
  if (!match?.[1] || !match[2]) return false;
  const number = (text: string): number => [...text].reduce((value, char) => value * 26 + char.charCodeAt(0) - 64, 0);
  const column = number(letters);
  const [first, last] = [number(match[1]), number(match[3] ?? match[1])];
  const [top, bottom] = [Number(match[2]), Number(match[4] ?? match[2])];
  return column >= first && column <= last && row >= top && row <= bottom;
}

/** The validation that applies to one cell of a sheet, as the spreadsheet finds it; undefined when none does. */
export function validationAt(
  validations: readonly SheetValidation[],
  letters: string,
  row: number,
): SheetValidation | undefined {
  return validations.find((entry) => entry.sqref.split(/\s+/).some((range) => rangeHolds(range, letters, row)));
}
