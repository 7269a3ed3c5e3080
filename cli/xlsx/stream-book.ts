import { XlsxFileError } from './guard.ts';
import type { XlsxPackage } from './stream-package.ts';
import { attributeValue, readAttributes } from './stream-xml.ts';

/**
 * The workbook-level parts a worksheet's cells need before they can be read: the sheets in workbook order with their
 * parts, the defined names, the date system, the shared strings and which cell styles are dates.
 */

export interface BookSheet {
  readonly name: string;
  /** The worksheet's part in the package, e.g. `xl/worksheets/sheet1.xml`; null for a chart sheet or a dangling id. */
  readonly part: string | null;
  readonly hidden: boolean;
}

export interface Book {
  readonly sheets: readonly BookSheet[];
  /** Defined names (workbook-scoped) → their formula text, e.g. `'_Modello'!$A$1:$B$1`. */
  readonly definedNames: ReadonlyMap<string, string>;
  /** Dates count from 1904-01-01 (Excel for Mac's old default) rather than 1900. */
  readonly date1904: boolean;
  readonly sharedStrings: readonly string[];
  /** Cell style index (`s`) → whether its number format shows a date. */
  readonly dateStyles: ReadonlySet<number>;
}

/** `_x000D_` and friends: the escape ST_Xstring uses for characters XML cannot carry (ECMA-376 part 1, §22.9.2.19). */
export function decodeXstring(text: string): string {
  return text.includes('_x')
    ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : text;
}

/** Resolves a relationship target against the part that owns it (`worksheets/sheet1.xml` from `xl/workbook.xml`). */
function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

async function workbookPartName(pkg: XlsxPackage): Promise<string> {
  let target: string | undefined;
  if (pkg.has('_rels/.rels')) {
    await pkg.scan('_rels/.rels', {
      open(name, raw) {
        if (name !== 'Relationship' || target) return;
        const attributes = readAttributes(raw);
        if (attributes.get('Type')?.endsWith('/officeDocument')) target = attributes.get('Target');
      },
      close() {},
      text() {},
    });
  }
  return target ? resolveTarget('', target) : 'xl/workbook.xml';
}

const relsOf = (part: string): string => {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
};

async function relationships(pkg: XlsxPackage, part: string): Promise<Map<string, { type: string; target: string }>> {
  const found = new Map<string, { type: string; target: string }>();
  const rels = relsOf(part);
  if (!pkg.has(rels)) return found;
  await pkg.scan(rels, {
    open(name, raw) {
      if (name !== 'Relationship') return;
      const attributes = readAttributes(raw);
      const id = attributes.get('Id');
      const target = attributes.get('Target');
      if (!id || !target || attributes.get('TargetMode') === 'External') return;
      found.set(id, { type: attributes.get('Type') ?? '', target: resolveTarget(part, target) });
    },
    close() {},
    text() {},
  });
  return found;
}

/** Built-in number formats that show dates or times (ECMA-376 part 1, §18.8.30). */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** A format code shows a date when, outside quotes and brackets, it has date or time letters (as exceljs decides). */
function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

async function dateStylesOf(pkg: XlsxPackage, part: string | undefined): Promise<Set<number>> {
  const dates = new Set<number>();
  if (!part || !pkg.has(part)) return dates;
  const customFormats = new Map<number, string>();
  const formatOfStyle: number[] = [];
  let inCellXfs = false;
  await pkg.scan(part, {
    open(name, raw, selfClosing) {
      if (name === 'numFmt') {
        const id = Number(attributeValue(raw, 'numFmtId'));
        customFormats.set(id, attributeValue(raw, 'formatCode') ?? '');
      } else if (name === 'cellXfs') {
        inCellXfs = !selfClosing;
      } else if (name === 'xf' && inCellXfs) {
        formatOfStyle.push(Number(attributeValue(raw, 'numFmtId') ?? 0));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  formatOfStyle.forEach((format, style) => {
    const custom = customFormats.get(format);
    if (custom !== undefined ? isDateFormat(custom) : BUILT_IN_DATE_FORMATS.has(format)) dates.add(style);
  });
  return dates;
}

/** The shared string table; rich text is its runs' text, phonetic guides (`rPh`) left out, as Excel shows it. */
async function sharedStringsOf(pkg: XlsxPackage, part: string | undefined): Promise<string[]> {
  const strings: string[] = [];
  if (!part || !pkg.has(part)) return strings;
  let current: string[] | null = null;
  let inText = false;
  let inPhonetic = false;
  await pkg.scan(part, {
    open(name, _raw, selfClosing) {
      if (name === 'si') {
        if (selfClosing) strings.push('');
        else current = [];
      } else if (name === 'rPh') inPhonetic = !selfClosing;
      else if (name === 't' && !selfClosing && !inPhonetic) inText = true;
    },
    close(name) {
      if (name === 'si' && current) {
        strings.push(decodeXstring(current.join('')));
        current = null;
      } else if (name === 'rPh') inPhonetic = false;
      else if (name === 't') inText = false;
    },
    text(value) {
      if (inText && current) current.push(value);
    },
  });
  return strings;
}

export async function readBook(pkg: XlsxPackage): Promise<Book> {
  const workbookPart = await workbookPartName(pkg);
  if (!pkg.has(workbookPart)) {
    throw new XlsxFileError('File non valido: è un archivio zip ma non una cartella di lavoro Excel (.xlsx).');
  }
  const rels = await relationships(pkg, workbookPart);
  const declared: Array<{ name: string; id: string; hidden: boolean }> = [];
  const definedNames = new Map<string, string>();
  let date1904 = false;
  let definedName: { name: string; text: string[] } | null = null;
  await pkg.scan(workbookPart, {
    open(name, raw, selfClosing) {
      if (name === 'sheet') {
        const attributes = readAttributes(raw);
        declared.push({
          name: attributes.get('name') ?? '',
          id: attributes.get('id') ?? '',
          hidden: (attributes.get('state') ?? 'visible') !== 'visible',
        });
      } else if (name === 'workbookPr') {
        const value = attributeValue(raw, 'date1904');
        date1904 = value === '1' || value === 'true';
      } else if (name === 'definedName' && !selfClosing) {
        const attributes = readAttributes(raw);
        // Sheet-scoped names (localSheetId) are not the workbook's.
        definedName = attributes.has('localSheetId') ? null : { name: attributes.get('name') ?? '', text: [] };
      }
    },
    close(name) {
      if (name === 'definedName' && definedName) {
        definedNames.set(definedName.name, definedName.text.join(''));
        definedName = null;
      }
    },
    text(value) {
      definedName?.text.push(value);
    },
  });
  const partOfType = (suffix: string): string | undefined =>
    [...rels.values()].find((rel) => rel.type.endsWith(suffix))?.target;
  const sheets = declared.map((sheet) => {
    const rel = rels.get(sheet.id);
    const part = rel?.type.endsWith('/worksheet') && pkg.has(rel.target) ? rel.target : null;
    return { name: sheet.name, part, hidden: sheet.hidden };
  });
  return {
    sheets,
    definedNames,
    date1904,
    sharedStrings: await sharedStringsOf(pkg, partOfType('/sharedStrings')),
    dateStyles: await dateStylesOf(pkg, partOfType('/styles')),
  };
}
