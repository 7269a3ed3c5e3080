import { describe, expect, it } from 'vitest';
import { localCheck } from '../../addin/app/checks.ts';
import { type KeyValueStorage, savedRegionParams } from '../../addin/app/region-params.ts';
import { deleteRowsCommand, newTemplateCommand, validateCommand } from '../../addin/commands/actions.ts';
import { type DialogHost, type DialogOpenResult, reportCommand } from '../../addin/commands/notify.ts';
import { type CommandOutcome, templateOutcome } from '../../addin/commands/outcome.ts';
import type { ExcelRun } from '../../addin/excel/host.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { LEPS_ATS } from '../../shared/index.ts';
import { NOW, staffRows, validSubmission, withRow } from '../support/builders.ts';
import { FakeExcelError, FakeWorkbook } from './fake-excel.ts';
import { typeSubmission } from './workbook-fixture.ts';

/**
 * The ribbon's commands in the fake host: whatever happens — success, a refusal ({ok: false}) or an exception — the
 * user gets an Italian dialog and Excel gets event.completed() exactly once.
 */

const PAGE = 'https://localhost:3000/commands.html';

interface Shown {
  readonly esito: string | null;
  readonly titolo: string;
  readonly testo: string;
}

function recordingDialogs(behaviour: 'close' | 'dismiss' | 'fail' = 'close') {
  const shown: Shown[] = [];
  const dialogs: DialogHost = {
    displayDialogAsync(url, _options, callback: (result: DialogOpenResult) => void) {
      const parsed = new URL(url);
      expect(parsed.origin + parsed.pathname).toBe('https://localhost:3000/message.html');
      shown.push({
        esito: parsed.searchParams.get('esito'),
        titolo: parsed.searchParams.get('titolo') ?? '',
        testo: parsed.searchParams.get('testo') ?? '',
      });
      if (behaviour === 'fail') {
        callback({ status: 'failed', error: { code: 12007, message: 'Una finestra è già aperta.' } });
        return;
      }
      const handlers = new Map<string, () => void>();
      callback({
        status: 'succeeded',
        value: { close: () => undefined, addEventHandler: (event, handler) => handlers.set(event, handler) },
      });
      setTimeout(() => handlers.get(behaviour === 'close' ? 'dialogMessageReceived' : 'dialogEventReceived')?.(), 0);
    },
  };
  return { dialogs, shown };
}

async function press(title: string, action: () => Promise<CommandOutcome>, behaviour?: 'close' | 'dismiss' | 'fail') {
  const { dialogs, shown } = recordingDialogs(behaviour);
  let completed = 0;
  await reportCommand(title, action, dialogs, PAGE, { completed: () => completed++ });
  expect(completed).toBe(1);
  expect(shown).toHaveLength(1);
  return shown[0] as Shown;
}

const validate = (book: FakeWorkbook, run: ExcelRun = book.run, storage?: KeyValueStorage) =>
  validateCommand({
    run,
    template: LEPS_ATS,
    features: { notes: book.supportsNotes },
    envelope: {},
    comuni: async () => loadComuni(),
    ...(storage ? { parameters: (ats: string) => savedRegionParams(ats, storage) } : {}),
    now: NOW,
  });

function mapStorage(): KeyValueStorage & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (key) => map.get(key) ?? null, setItem: (key, value) => void map.set(key, value) };
}

describe('Elimina righe', () => {
  it('says which rows went, or why none did', async () => {
    const book = new FakeWorkbook();
    await newTemplateCommand(book.run, LEPS_ATS);
    const sheet = 'T3_Personale_SS';
    book.selection = { sheet, address: '4:6' };
    const done = await press('Elimina righe', () => deleteRowsCommand(book.run, LEPS_ATS));
    expect(done).toEqual({ esito: 'ok', titolo: 'Righe eliminate', testo: expect.stringContaining('righe 4–6') });

    book.selection = { sheet, address: 'A1' };
    const refused = await press('Elimina righe', () => deleteRowsCommand(book.run, LEPS_ATS));
    expect(refused).toEqual({
      esito: 'errore',
      titolo: 'Righe non eliminate',
      testo: expect.stringContaining('riga 1'),
    });
  });
});

describe('Nuovo modello', () => {
  it('says the template is ready', async () => {
    const book = new FakeWorkbook();
    const shown = await press('Nuovo modello', () => newTemplateCommand(book.run, LEPS_ATS));
    expect(shown.esito).toBe('ok');
    expect(shown.titolo).toBe('Modello inserito');
  });

  it('says why not when the template cannot be drawn (a sheet protected with a password)', async () => {
    const book = new FakeWorkbook();
    await newTemplateCommand(book.run, LEPS_ATS);
    const first = LEPS_ATS.sheets[0]?.name ?? '';
    book.protectSheet(first, {}, 'segreta');
    const shown = await press('Nuovo modello', () => newTemplateCommand(book.run, LEPS_ATS));
    expect(shown.esito).toBe('errore');
    expect(shown.titolo).toBe('Modello non inserito');
    expect(shown.testo).toContain(first);
  });

  it('says so when an existing template was completed rather than drawn', () => {
    expect(templateOutcome({ ok: true, repaired: true })).toMatchObject({ ok: true, title: 'Modello completato' });
    expect(templateOutcome({ ok: true })).toMatchObject({ ok: true, title: 'Modello inserito' });
  });

  it('reports an exception from Excel with its code, and still completes', async () => {
    const failing: ExcelRun = async () => {
      throw new FakeExcelError('AccessDenied', 'La cartella di lavoro è protetta.');
    };
    const shown = await press('Nuovo modello', () => newTemplateCommand(failing, LEPS_ATS));
    expect(shown.esito).toBe('errore');
    expect(shown.titolo).toBe('Nuovo modello: operazione non riuscita');
    expect(shown.testo).toContain('La cartella di lavoro è protetta.');
    expect(shown.testo).toContain('Codice di Excel: AccessDenied');
  });
});

describe('Valida', () => {
  it('says there are no errors on a valid workbook', async () => {
    const book = new FakeWorkbook();
    await newTemplateCommand(book.run, LEPS_ATS);
    typeSubmission(book, validSubmission());
    const shown = await press('Valida', () => validate(book));
    expect(shown.esito).toBe('ok');
    expect(shown.testo).toMatch(/^Nessun errore/);
  });

  it('counts the errors and points to the Controlli sheet', async () => {
    const book = new FakeWorkbook();
    typeSubmission(book, validSubmission({ T3: withRow(staffRows(), 3, { ORE_SETT: 40 }) }));
    const shown = await press('Valida', () => validate(book));
    expect(shown.esito).toBe('errore');
    expect(shown.testo).toMatch(/^\d+ error[ei] da correggere/);
    expect(shown.testo).toContain('«Controlli»');
  });

  it('checks with the Region’s parameters the task pane last read, and says so; with the defaults when none were read', async () => {
    const submission = validSubmission({ T3: withRow(staffRows(), 3, { ORE_SETT: 40 }) });
    const checked = localCheck(submission, loadComuni(), NOW);
    const errorRules = [...new Set(checked.findings.filter((f) => f.severity === 'error').map((f) => f.rule))];
    expect(errorRules.length).toBeGreaterThan(0);
    const region = submission.ats.slice(4, 6);

    const empty = mapStorage();
    const book = new FakeWorkbook();
    typeSubmission(book, submission);
    const withDefaults = await press('Valida', () => validate(book, book.run, empty));
    expect(withDefaults.esito).toBe('errore');
    expect(withDefaults.testo).toContain(`Parametri dei controlli predefiniti: quelli della Regione ${region}`);

    // What the task pane keeps after a GET of the Region's parameters (addin/app/region-params.ts).
    const saved = mapStorage();
    const body = {
      region,
      version: 3,
      parameters: { severityOverrides: Object.fromEntries(errorRules.map((rule) => [rule, 'warning'])) },
      updatedAt: '2026-11-20T10:00:00.000Z',
      updatedBy: 'revisore',
      history: [],
    };
    saved.setItem(`rendiconta.parametri.${region}`, JSON.stringify({ savedAt: '2026-11-21T09:00:00.000Z', body }));
    const again = new FakeWorkbook();
    typeSubmission(again, submission);
    const withRegion = await press('Valida', () => validate(again, again.run, saved));
    expect(withRegion.esito).toBe('ok');
    expect(withRegion.testo).toMatch(/^Nessun errore/);
    expect(withRegion.testo).toContain(`Parametri dei controlli della Regione ${region}, versione 3`);
    expect(withRegion.testo).toContain('come letti dal riquadro il 21/11/2026');
  });

  it('says when the workbook has no template', async () => {
    const book = new FakeWorkbook();
    book.addSheet('Foglio1');
    const shown = await press('Valida', () => validate(book));
    expect(shown.esito).toBe('errore');
    expect(shown.titolo).toBe('Controllo non eseguito');
    expect(shown.testo).toMatch(/non contiene il modello LEPS/);
  });

  it('reports an exception of any kind in Italian', async () => {
    const book = new FakeWorkbook();
    const shown = await press('Valida', () =>
      validate(book, async () => {
        throw new Error('Rete non disponibile');
      }),
    );
    expect(shown.titolo).toBe('Valida: operazione non riuscita');
    expect(shown.testo).toContain('Rete non disponibile.');
  });

  it('reports a defect of the add-in without JavaScript’s English message', async () => {
    const book = new FakeWorkbook();
    const shown = await press('Valida', () =>
      validate(book, async () => {
        throw new TypeError('Cannot read properties of undefined (reading "values")');
      }),
    );
    expect(shown.testo).toContain('Errore interno del componente aggiuntivo.');
    expect(shown.testo).not.toContain('Cannot read');
  });
});

describe('the dialog itself', () => {
  it('completes the command when the user closes the dialog with its own button', async () => {
    const book = new FakeWorkbook();
    await press('Nuovo modello', () => newTemplateCommand(book.run, LEPS_ATS), 'dismiss');
  });

  it('completes the command when the dialog cannot open', async () => {
    const book = new FakeWorkbook();
    await press('Nuovo modello', () => newTemplateCommand(book.run, LEPS_ATS), 'fail');
  });
});
