import { dateToExcelSerial, type GridValue } from '../../shared/workbook/grid.ts';
import { XlsxFileError } from './guard.ts';
import type { Book } from './stream-book.ts';
import { decodeXstring } from './stream-book.ts';
import type { XmlHandler } from './stream-xml.ts';
import { attributeValue } from './stream-xml.ts';

/**
 * One worksheet's rows as grid values (shared/workbook/grid.ts), row by row as the XML streams past: shared strings
 * resolved, inline and rich text as plain text, formulas as their cached result, error cells as their error text,
 * dates as 1900-system serial numbers (a 1904 workbook's date cells are shifted), booleans as booleans. Only the
 * current row is held.
 */

/** Excel's last column (XFD). */
const MAX_COLUMN = 16_384;
/** Days between the 1900 and 1904 date systems' day zero. */
const DAYS_1900_TO_1904 = 1462;

export type RowCallback = (rowNumber: number, values: GridValue[]) => void;

function unreadable(what: string): never {
  throw new XlsxFileError(`File non valido: la cartella di lavoro .xlsx non è leggibile (${what}).`);
}

/** Column number (1-based) of a cell reference such as `AB12`; 0 when the reference has no letters. */
function columnOfReference(reference: string): number {
  let column = 0;
  for (let index = 0; index < reference.length; index++) {
    const code = reference.charCodeAt(index);
    if (code >= 65 && code <= 90) column = column * 26 + (code - 64);
    else if (code >= 97 && code <= 122) column = column * 26 + (code - 96);
    else break;
  }
  return column;
}

export function sheetRowsHandler(book: Book, onRow: RowCallback): XmlHandler {
  let rowNumber = 0;
  let values: GridValue[] = [];
  let inRow = false;
  let column = 0;
  let cellType = 'n';
  let cellStyle = 0;
  let capture: 'v' | 't' | null = null;
  let inInline = false;
  let inPhonetic = false;
  let text: string[] = [];
  let hasValue = false;

  const place = (value: GridValue): void => {
    if (value === null) return;
    while (values.length < column - 1) values.push(null);
    values[column - 1] = value;
  };

  const cellValue = (): GridValue => {
    if (!hasValue) return null;
    const raw = text.length === 1 ? (text[0] as string) : text.join('');
    switch (cellType) {
      case 's': {
        const index = Number(raw);
        const shared = Number.isInteger(index) ? book.sharedStrings[index] : undefined;
        if (shared === undefined) unreadable('riferimento a un testo condiviso inesistente');
        return shared;
      }
      case 'str':
      case 'inlineStr':
        return decodeXstring(raw);
      case 'b':
        return raw.trim() === '1' || raw.trim() === 'true';
      case 'e':
        return raw.trim();
      case 'd': {
        const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(raw) ? raw : `${raw}Z`);
        return Number.isNaN(date.getTime()) ? raw : dateToExcelSerial(date);
      }
      default: {
        if (raw.trim() === '') return null;
        const number = Number(raw);
        if (Number.isNaN(number)) unreadable(`numero "${raw.slice(0, 20)}" non valido`);
        return book.date1904 && book.dateStyles.has(cellStyle) ? number + DAYS_1900_TO_1904 : number;
      }
    }
  };

  return {
    open(name, raw, selfClosing) {
      if (name === 'c') {
        if (!inRow) unreadable('cella fuori da una riga');
        const reference = attributeValue(raw, 'r');
        const next = reference ? columnOfReference(reference) : column + 1;
        if (next <= column || next > MAX_COLUMN) unreadable('celle fuori ordine o oltre l’ultima colonna');
        column = next;
        cellType = attributeValue(raw, 't') ?? 'n';
        const style = attributeValue(raw, 's');
        cellStyle = style === undefined ? 0 : Number(style);
        text = [];
        hasValue = false;
        capture = null;
        inInline = false;
        inPhonetic = false;
      } else if (name === 'v') {
        if (!selfClosing && !inInline) {
          capture = 'v';
          hasValue = true;
        }
      } else if (name === 'is') {
        inInline = !selfClosing;
        if (cellType === 'inlineStr') hasValue = true;
      } else if (name === 'rPh') {
        inPhonetic = !selfClosing;
      } else if (name === 't') {
        if (inInline && !inPhonetic && !selfClosing) capture = 't';
      } else if (name === 'row') {
        const reference = attributeValue(raw, 'r');
        const next = reference === undefined ? rowNumber + 1 : Number(reference);
        if (!Number.isInteger(next) || next <= rowNumber) unreadable('righe fuori ordine');
        rowNumber = next;
        values = [];
        column = 0;
        inRow = !selfClosing;
        if (selfClosing) onRow(rowNumber, values);
      }
    },
    close(name) {
      if (name === 'v' || name === 't') capture = null;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'is') inInline = false;
      else if (name === 'c') {
        place(cellValue());
        capture = null;
      } else if (name === 'row') {
        inRow = false;
        onRow(rowNumber, values);
      }
    },
    text(value) {
      if (capture !== null) text.push(value);
    },
  };
}
