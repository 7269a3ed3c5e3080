import { describe, expect, it } from 'vitest';
import {
  EXCEL_WEB_REQUEST_LIMIT,
  OFFICE_BULK_CELLS,
  operationBytes,
  REQUEST_ENVELOPE_BYTES,
  rangeWriteBytes,
} from '../../addin/excel/batch.ts';
import { insertTemplate } from '../../addin/excel/draw.ts';
import { writeReceipt } from '../../addin/excel/receipt.ts';
import { type Checker, validateWorkbook } from '../../addin/excel/validate.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { validateSubmission } from '../../shared/checks/engine.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { NOW, receiptOf, staff, validSubmission } from '../support/builders.ts';
import { officeRequestMeter, realContext } from '../support/office-request.ts';
import { EXCEL_WEB_PAYLOAD_LIMIT } from '../support/request-meter.ts';
import { FakeWorkbook } from './fake-excel.ts';
import { typeSubmission } from './workbook-fixture.ts';

/**
 * Every request the add-in sends stays within Excel on the web's 5 MB, measured with Microsoft's own Office.js
 * (test/support/office-request.ts), in as few round trips as that allows; and the add-in's own size bound
 * (addin/excel/batch.ts) is never below what the library sends, nor far above it.
 */

/** The real Excel.RequestContext, typed by @types/office-js. */
type AnyContext = Excel.RequestContext;

/**
 * Measures one operation alone with the real library: the request's bytes without the workbook root and the
 * worksheets collection every request carries (REQUEST_ENVELOPE_BYTES bounds those).
 */
async function measured(queue: (context: AnyContext) => void): Promise<number> {
  const real = realContext();
  queue(real.context);
  await real.measure();
  const body = JSON.parse(real.lastBody) as {
    Actions: Array<{ ActionType: number; ObjectPathId: number }>;
    ObjectPaths: Record<string, unknown>;
  };
  const shared = new Set([1, 3]);
  body.Actions = body.Actions.filter((action) => !(action.ActionType === 1 && shared.has(action.ObjectPathId)));
  delete body.ObjectPaths['1'];
  delete body.ObjectPaths['3'];
  return Buffer.byteLength(JSON.stringify(body), 'utf8');
}

const SHEET = 'T3_Personale_SS';
const note =
  '[Controlli LEPS]\nT3.1: Ore settimanali non valide: 40 superano le 36 ore del tempo pieno — «verificare».';
const checksRow = (row: number) => [
  'Errore',
  'T3.1',
  SHEET,
  String(row),
  'ORE_SETT',
  'Ore settimanali non valide: 40 superano le 36 ore del tempo pieno.',
  'Modello LEPS-ATS, foglio T3, colonna ORE_SETT',
  `=HYPERLINK("#'${SHEET}'!I${row + 1}","I${row + 1}")`,
];

describe('the add-in’s request size bound against Office.js', () => {
  const samples: Array<{ name: string; bound: number; queue: (context: AnyContext) => void }> = [
    {
      name: 'a mark on the mask sheet (values)',
      bound: operationBytes([{ indexer: ['~mask_T3'] }, { method: 'GetRange', args: ['I2'] }], {
        set: 'Values',
        value: [[2]],
      }),
      queue: (context) => {
        context.workbook.worksheets.getItem('~mask_T3').getRange('I2').values = [[2]];
      },
    },
    {
      name: 'a note (ExcelApi 1.18)',
      bound: operationBytes([{ indexer: [SHEET] }, { property: 'Notes' }, { method: 'Add', args: ['I2', note] }], null),
      queue: (context) => {
        context.workbook.worksheets.getItem(SHEET).notes.add('I2', note);
      },
    },
    {
      name: 'a previous note deleted',
      bound: operationBytes(
        [{ indexer: [SHEET] }, { property: 'Notes' }, { method: 'GetItemOrNullObject', args: ['I2'] }],
        { call: 'Delete', args: [] },
      ),
      queue: (context) => {
        context.workbook.worksheets.getItem(SHEET).notes.getItemOrNullObject('I2').delete();
      },
    },
    {
      name: 'a fill',
      bound: operationBytes(
        [{ indexer: [SHEET] }, { method: 'GetRange', args: ['A2:R2'] }, { property: 'Format' }, { property: 'Fill' }],
        { set: 'Color', value: '#F8CBAD' },
      ),
      queue: (context) => {
        context.workbook.worksheets.getItem(SHEET).getRange('A2:R2').format.fill.color = '#F8CBAD';
      },
    },
    {
      name: 'protection with options',
      bound: operationBytes([{ indexer: [SHEET] }, { property: 'Protection' }], {
        call: 'Protect',
        args: [{ allowAutoFilter: true, allowSort: true, allowFormatColumns: true, allowEditObjects: true }, 'x'],
      }),
      queue: (context) => {
        context.workbook.worksheets
          .getItem(SHEET)
          .protection.protect(
            { allowAutoFilter: true, allowSort: true, allowFormatColumns: true, allowEditObjects: true },
            'x',
          );
      },
    },
    {
      name: 'a sheet added',
      bound: operationBytes([{ method: 'Add', args: ['Controlli'] }], null),
      queue: (context) => {
        context.workbook.worksheets.add('Controlli');
      },
    },
    {
      name: `a small block of formulas (at most ${OFFICE_BULK_CELLS} cells, one write)`,
      bound: rangeWriteBytes(
        [{ indexer: ['Controlli'] }, { method: 'GetRange', args: ['A2:H101'] }],
        'Formulas',
        Array.from({ length: 100 }, (_, index) => checksRow(index + 1)),
      ),
      queue: (context) => {
        context.workbook.worksheets.getItem('Controlli').getRange('A2:H101').formulas = Array.from(
          { length: 100 },
          (_, index) => checksRow(index + 1),
        );
      },
    },
    {
      name: 'a large block of formulas (Office.js splits it in slices of 1,500 cells)',
      bound: rangeWriteBytes(
        [{ indexer: ['Controlli'] }, { method: 'GetRange', args: ['A2:H1001'] }],
        'Formulas',
        Array.from({ length: 1000 }, (_, index) => checksRow(index + 1)),
      ),
      queue: (context) => {
        context.workbook.worksheets.getItem('Controlli').getRange('A2:H1001').formulas = Array.from(
          { length: 1000 },
          (_, index) => checksRow(index + 1),
        );
      },
    },
  ];

  it.each(samples)('bounds $name from above, within 25 %', async ({ bound, queue }) => {
    const bytes = await measured(queue);
    expect(bound).toBeGreaterThanOrEqual(bytes);
    expect(bound).toBeLessThanOrEqual(bytes * 1.25);
  });

  it('bounds the envelope every request carries', async () => {
    const real = realContext();
    real.context.workbook.worksheets.getItem(SHEET).getRange('A1').values = [[1]];
    const bytes = await real.measure();
    const operation = operationBytes([{ indexer: [SHEET] }, { method: 'GetRange', args: ['A1'] }], {
      set: 'Values',
      value: [[1]],
    });
    expect(REQUEST_ENVELOPE_BYTES + operation).toBeGreaterThanOrEqual(bytes);
  });
});

describe('the fake host measures with Office.js', () => {
  it('refuses to reach what the real library does not have, so no part of a request goes unmeasured', async () => {
    const book = new FakeWorkbook({ meter: officeRequestMeter() });
    await book.run(async (context) => {
      expect(() => (context as unknown as { book: unknown }).book).toThrow(/Office.js non ha la proprietà book/);
    });
  });

  it('fails a request over 5 MB before anything of it is applied, as Excel refuses it', async () => {
    const book = new FakeWorkbook({ meter: officeRequestMeter() });
    book.addSheet('Dati');
    const large = Array.from({ length: 6_000 }, (_, row) => [`${'x'.repeat(1_000)}${row}`]);
    await expect(
      book.run(async (context) => {
        context.workbook.worksheets.getItem('Dati').getRange('A1').values = [['primo']];
        context.workbook.worksheets.getItem('Dati').getRange('B1:B6000').values = large;
        await context.sync();
      }),
    ).rejects.toThrow(/RequestPayloadSizeLimitExceeded/);
    expect(book.value('Dati', 'A1')).toBeUndefined();
    expect(Math.max(...book.requestBytes)).toBeGreaterThan(EXCEL_WEB_PAYLOAD_LIMIT);
  });
});

describe('every request of the add-in within 5 MB', () => {
  const allFindings: Checker = async (read) => {
    const outcome = validateSubmission(read.submission, { comuni: loadComuni(), now: NOW });
    return { findings: outcome.ok ? outcome.findings : [], source: 'local' };
  };

  it('draws the template and writes a receipt in requests under 5 MB', async () => {
    const book = new FakeWorkbook({ meter: officeRequestMeter() });
    expect(await insertTemplate(book.run, LEPS_ATS)).toEqual({ ok: true });
    const receipt = receiptOf();
    await writeReceipt(book.run, receipt);
    expect(book.requestBytes.length).toBeGreaterThan(0);
    expect(Math.max(...book.requestBytes)).toBeLessThanOrEqual(EXCEL_WEB_PAYLOAD_LIMIT);
  });

  it('puts a list and a prompt on a whole column in one small request, the size of the same on 500 rows', async () => {
    const requestFor = async (address: string): Promise<number> => {
      const book = new FakeWorkbook({ meter: officeRequestMeter() });
      book.addSheet(SHEET);
      await book.run(async (context) => {
        const validation = context.workbook.worksheets.getItem(SHEET).getRange(address).dataValidation;
        validation.rule = { list: { inCellDropDown: true, source: "='Liste'!$C$2:$C$15" } };
        validation.errorAlert = { showAlert: true, style: 'Stop', title: 'Codice non ammesso', message: 'Scegliere.' };
        validation.prompt = { showPrompt: true, title: 'Profilo', message: 'Profilo professionale.' };
        await context.sync();
      });
      expect(book.requestBytes).toHaveLength(1);
      return book.requestBytes[0] ?? Number.NaN;
    };
    const wholeColumn = await requestFor('G2:G1048576');
    const preparedRows = await requestFor('G2:G501');
    // Office.js sends the address, not the cells: four more characters in the address, nothing per row.
    expect(wholeColumn - preparedRows).toBe('1048576'.length - '501'.length);
    expect(wholeColumn).toBeLessThan(2_000);
  });

  it('marks 20,000 findings with notes in requests under 5 MB, no more of them than the bytes need', async () => {
    const book = new FakeWorkbook({ meter: officeRequestMeter() });
    await insertTemplate(book.run, LEPS_ATS);
    const rows = Array.from({ length: 20_000 }, (_, index) => staff(`AS-${index}`, { ORE_SETT: 40 }));
    typeSubmission(book, validSubmission({ T3: rows }));
    book.meter?.requestBytes.splice(0);
    book.syncCount = 0;
    const outcome = await validateWorkbook({
      run: book.run,
      template: LEPS_ATS,
      features: { notes: true },
      check: allFindings,
    });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.result.findings).toHaveLength(20_000);
    expect(outcome.notesWritten).toBe(true);
    expect(book.sheet(SHEET)?.notes.size).toBe(20_000);

    const [read, ...writes] = book.requestBytes;
    expect(read).toBeLessThan(EXCEL_WEB_PAYLOAD_LIMIT);
    expect(Math.max(...writes)).toBeLessThanOrEqual(EXCEL_WEB_PAYLOAD_LIMIT);
    const total = writes.reduce((sum, bytes) => sum + bytes, 0);
    // The fewest requests the bytes allow, or one more (the bound is an upper bound, not the exact size).
    expect(writes.length).toBeLessThanOrEqual(Math.ceil(total / EXCEL_WEB_REQUEST_LIMIT) + 1);
    expect(book.syncCount).toBe(1 + writes.length);
  }, 240_000);
});
