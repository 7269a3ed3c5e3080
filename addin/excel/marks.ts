import type { Finding, Severity } from '../../shared/checks/types.ts';
import type { SheetId, TemplateDef } from '../../shared/template/types.ts';
import { locateFinding as locateCell, markRange } from '../../shared/workbook/locate.ts';
import { operationBytes, type PlannedWrite, rangeWriteBytes, rowBlocks, sendWrites, utf8Length } from './batch.ts';
import { addMaskSheet, addSeverityOverlay } from './draw.ts';
import type { HostContext, HostFeatures } from './host.ts';
import {
  type CellRef,
  CHECKS_SHEET,
  COLORS,
  columnLetter,
  maskSheetName,
  qualified,
  SEVERITY_CODE,
  safeText,
  sheetById as sheetOf,
} from './layout.ts';
import type { ProtectedSheet } from './protection.ts';
import type { CellMap, WorkbookRead } from './read.ts';

/**
 * The writes of a validation. Marks never touch the user's cells: each data sheet has a conditional format that
 * colours a cell when its twin on a very hidden mask sheet holds 2 (error) or 1 (warning). Clearing the previous
 * validation is clearing the mask, so the user's own fills, fonts and formats are exactly as they were.
 */

export const NOTE_PREFIX = '[Controlli LEPS]';
const SEVERITY_LABEL: Record<Severity, string> = { error: 'Errore', warning: 'Avviso' };

/** Where a finding is in the workbook: the workbook core's locator (shared/workbook/locate.ts), as a range. */
export function locateFinding(
  template: TemplateDef,
  cells: CellMap,
  finding: Pick<Finding, 'sheet' | 'row' | 'column'>,
): CellRef | null {
  const cell = locateCell(template, cells, finding);
  return cell ? { sheetName: cell.sheetName, address: markRange(cell) } : null;
}

interface Mark {
  readonly sheet: SheetId;
  /** The worksheet's name in this workbook (a renamed sheet keeps its name). */
  readonly sheetName: string;
  readonly address: string;
  readonly width: number;
  severity: Severity;
  readonly messages: string[];
}

function collectMarks(template: TemplateDef, cells: CellMap, findings: readonly Finding[]): Map<string, Mark> {
  const marks = new Map<string, Mark>();
  for (const finding of findings) {
    if (finding.sheet === null || finding.row === null) continue;
    const cell = locateFinding(template, cells, finding);
    if (!cell) continue;
    const key = `${finding.sheet}!${cell.address}`;
    const existing = marks.get(key);
    const message = `${finding.rule}: ${finding.message}`;
    if (existing) {
      if (finding.severity === 'error') existing.severity = 'error';
      existing.messages.push(message);
      continue;
    }
    const width = cell.address.includes(':') ? sheetOf(template, finding.sheet).columns.length : 1;
    marks.set(key, {
      sheet: finding.sheet,
      sheetName: cell.sheetName,
      address: cell.address,
      width,
      severity: finding.severity,
      messages: [message],
    });
  }
  return marks;
}

/** Excel notes are limited in practice; a long list is cut and points to the Controlli sheet. */
function noteText(messages: readonly string[]): string {
  const text = `${NOTE_PREFIX}\n${messages.join('\n')}`;
  return text.length > 1000 ? `${text.slice(0, 960)}…\n(elenco completo nel foglio Controlli)` : text;
}

export const CHECKS_HEADER = ['Gravità', 'Regola', 'Foglio', 'Riga', 'Colonna', 'Messaggio', 'Riferimento', 'Cella'];

/** The rows of the Controlli sheet as formulas: text is made inert, links are HYPERLINKs we build. */
export function checksRows(template: TemplateDef, cells: CellMap, findings: readonly Finding[]): string[][] {
  return findings.map((finding) => {
    const cell = locateFinding(template, cells, finding);
    const target = cell ? qualified({ sheetName: cell.sheetName, address: cell.address.split(':')[0] ?? 'A1' }) : '';
    const link = cell ? `=HYPERLINK("#${target.replace(/"/g, '""')}","${cell.address.replace(/"/g, '""')}")` : '';
    return [
      SEVERITY_LABEL[finding.severity],
      finding.rule,
      cell ? cell.sheetName : finding.sheet ? sheetOf(template, finding.sheet).name : 'Intero invio',
      finding.row === null ? '' : String(finding.row),
      finding.column ?? '',
      safeText(finding.message),
      safeText(finding.ref),
      link,
    ].map((value, index) => (index === 7 ? value : safeText(value)));
  });
}

export interface MarkOptions {
  readonly features: HostFeatures;
  /** The ribbon's Valida has no task pane: it shows the Controlli sheet instead. */
  readonly activateChecks: boolean;
  /** Leave notes out (the retry after a host refused a note). */
  readonly withoutNotes?: boolean;
}

/**
 * Bound of one sheet's preparation (clearing or adding its mask, the overlay's two rules, lifting and restoring its
 * protection): a few hundred bytes measured with Office.js, bounded at eight kilobytes.
 */
const SHEET_PREPARATION_BYTES = 8 * 1024;
/** Bound of the Controlli sheet's own commands (add or clear, header format, freeze, activate). */
const CHECKS_SHEET_BYTES = 4 * 1024;
/** Rows of the Controlli sheet are written in blocks of about this bound, so requests pack with little waste. */
const CHECKS_BLOCK_BYTES = 256 * 1024;

type Write = PlannedWrite<HostContext>;

/** A mark's code(s) on its twin cell(s) of the mask sheet. */
function maskWrite(mark: Mark): Write {
  const sheet = maskSheetName(mark.sheet);
  const values = [Array.from({ length: mark.width }, () => SEVERITY_CODE[mark.severity])];
  return {
    bytes: operationBytes([{ indexer: [sheet] }, { method: 'GetRange', args: [mark.address] }], {
      set: 'Values',
      value: values,
    }),
    queue: (context) => {
      context.workbook.worksheets.getItem(sheet).getRange(mark.address).values = values;
    },
  };
}

/** The Controlli sheet's rows, in blocks: header row 1, findings from row 2. */
function checksWrites(rows: readonly string[][]): Write[] {
  const last = columnLetter(CHECKS_HEADER.length - 1);
  const numbered = rows.map((row, index) => ({ row, line: index + 1 }));
  const blocks = rowBlocks(numbered, (entry) => utf8Length(JSON.stringify(entry.row)) + 1, CHECKS_BLOCK_BYTES);
  return blocks.map((block) => {
    const address = `A${block[0]?.line ?? 1}:${last}${block[block.length - 1]?.line ?? 1}`;
    const formulas = block.map((entry) => entry.row);
    return {
      bytes: rangeWriteBytes(
        [{ indexer: [CHECKS_SHEET] }, { method: 'GetRange', args: [address] }],
        'Formulas',
        formulas,
      ),
      queue: (context) => {
        context.workbook.worksheets.getItem(CHECKS_SHEET).getRange(address).formulas = formulas;
      },
    };
  });
}

function noteWrites(read: WorkbookRead, marks: readonly Mark[]): Write[] {
  const { template } = read;
  const deletes = read.previousMarks.map((previous): Write => {
    const sheet = read.cells[previous.sheet]?.sheetName ?? sheetOf(template, previous.sheet).name;
    return {
      bytes: operationBytes(
        [{ indexer: [sheet] }, { property: 'Notes' }, { method: 'GetItemOrNullObject', args: [previous.address] }],
        { call: 'Delete', args: [] },
      ),
      queue: (context) => {
        context.workbook.worksheets.getItem(sheet).notes.getItemOrNullObject(previous.address).delete();
      },
    };
  });
  const adds = marks.map((mark): Write => {
    const sheet = mark.sheetName;
    const first = mark.address.split(':')[0] ?? mark.address;
    const text = noteText(mark.messages);
    return {
      bytes: operationBytes(
        [{ indexer: [sheet] }, { property: 'Notes' }, { method: 'Add', args: [first, text] }],
        null,
      ),
      queue: (context) => {
        context.workbook.worksheets.getItem(sheet).notes.add(first, text);
      },
    };
  });
  return [...deletes, ...adds];
}

const sheetNameOf = (read: WorkbookRead, sheet: SheetId): string =>
  read.cells[sheet]?.sheetName ?? sheetOf(read.template, sheet).name;

/**
 * The add-in's own output sheets (Controlli, the masks) that a user protected: the validation rewrites them, so it
 * lifts their protection before its first write and restores the same options after the last.
 */
function protectedOutputSheets(read: WorkbookRead): ProtectedSheet[] {
  const names = [CHECKS_SHEET, ...read.template.sheets.map((sheet) => maskSheetName(sheet.id))];
  return names.flatMap((sheetName) => {
    const options = read.protectionOptions.get(sheetName);
    return options && read.existingSheets.has(sheetName) ? [{ sheetName, options }] : [];
  });
}

/**
 * The protected sheets whose protection a validation lifts: data sheets still without their overlay (a workbook
 * written by the command line) and the output sheets a user protected. Checked before anything is written, so a
 * password the add-in does not know stops it cleanly.
 */
export function sheetsToLift(read: WorkbookRead): ProtectedSheet[] {
  const lifted: ProtectedSheet[] = [...protectedOutputSheets(read)];
  for (const sheet of read.template.sheets) {
    const sheetName = sheetNameOf(read, sheet.id);
    const options = read.protectionOptions.get(sheetName);
    if (options && read.existingSheets.has(sheetName) && !read.existingSheets.has(maskSheetName(sheet.id))) {
      lifted.push({ sheetName, options });
    }
  }
  return lifted;
}

/**
 * Every write of a validation, in order, each with the bound of its bytes in the request Office.js sends: the masks
 * prepared, the marks, the Controlli sheet, then the notes.
 */
export function planMarks(read: WorkbookRead, findings: readonly Finding[], options: MarkOptions): Write[] {
  const { template, cells } = read;
  const notes = options.features.notes && !options.withoutNotes;
  const writes: Write[] = [];
  const outputs = protectedOutputSheets(read);
  if (outputs.length > 0) {
    writes.push({
      bytes: SHEET_PREPARATION_BYTES,
      queue: (context) => {
        for (const sheet of outputs) context.workbook.worksheets.getItem(sheet.sheetName).protection.unprotect();
      },
    });
  }

  for (const sheet of template.sheets) {
    const sheetName = sheetNameOf(read, sheet.id);
    if (!read.existingSheets.has(sheetName)) continue;
    const maskName = maskSheetName(sheet.id);
    writes.push({
      bytes: SHEET_PREPARATION_BYTES,
      queue: (context) => {
        const worksheets = context.workbook.worksheets;
        if (read.existingSheets.has(maskName)) {
          worksheets.getItem(maskName).getRange().clear('Contents');
          return;
        }
        // A workbook written by the command line has no overlay yet: add it once, lifting protection around it.
        addMaskSheet(context, sheet);
        const worksheet = worksheets.getItem(sheetName);
        // Protection is restored with the options it had (the template's, or the user's own), never replaced.
        const options = read.protectionOptions.get(sheetName);
        if (options) worksheet.protection.unprotect();
        addSeverityOverlay(sheet, worksheet);
        if (options) worksheet.protection.protect({ ...options });
      },
    });
  }

  const marks = [...collectMarks(template, cells, findings).values()];
  writes.push(...marks.map(maskWrite));

  const hasChecks = read.existingSheets.has(CHECKS_SHEET);
  writes.push({
    bytes: CHECKS_SHEET_BYTES,
    queue: (context) => {
      const worksheets = context.workbook.worksheets;
      if (hasChecks) worksheets.getItem(CHECKS_SHEET).getRange().clear('All');
      else worksheets.add(CHECKS_SHEET);
    },
  });
  writes.push(...checksWrites([CHECKS_HEADER, ...checksRows(template, cells, findings)]));
  writes.push({
    bytes: CHECKS_SHEET_BYTES,
    queue: (context) => {
      const checks = context.workbook.worksheets.getItem(CHECKS_SHEET);
      const header = checks.getRange(`A1:${columnLetter(CHECKS_HEADER.length - 1)}1`);
      header.format.font.bold = true;
      header.format.fill.color = COLORS.header;
      checks.freezePanes.freezeRows(1);
      if (options.activateChecks) checks.activate();
    },
  });
  if (outputs.length > 0) {
    writes.push({
      bytes: SHEET_PREPARATION_BYTES,
      queue: (context) => {
        for (const sheet of outputs) {
          context.workbook.worksheets.getItem(sheet.sheetName).protection.protect({ ...sheet.options });
        }
      },
    });
  }

  // Notes last: a cell holding the user's own note refuses ours and stops the batch there, after every mark is down.
  if (notes) writes.push(...noteWrites(read, marks));
  return writes;
}

/**
 * Sends a validation's writes in as few requests as Excel's 5 MB allows (one for a usual workbook); returns the
 * number of round trips it took.
 */
export function sendMarks(
  context: HostContext,
  read: WorkbookRead,
  findings: readonly Finding[],
  options: MarkOptions,
): Promise<number> {
  return sendWrites(context, planMarks(read, findings, options));
}
