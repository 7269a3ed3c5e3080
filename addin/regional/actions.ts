import type { CheckParams } from '../../shared/checks/params.ts';
import {
  ARTICULATION_SHEET,
  type ArticulationFinding,
  allAts,
  articulationSheet,
  buildConsolidatedWorkbook,
  type Decision,
  parseArticulation,
  planReview,
  reviewOutcomeMessage,
  STATUS_SHEET,
  safeTextValue,
} from '../../shared/consolidation/index.ts';
import { consolidatedTruncationNotes } from '../../shared/consolidation/truncation.ts';
import { STATUS_DESCRIPTIONS } from '../../shared/contract/status-labels.ts';
import type { ComuniIndex } from '../../shared/reference/comuni.ts';
import { COLORS } from '../excel/layout.ts';
import type { RegionalApi } from './api.ts';
import type { RegionalRun } from './host.ts';
import { type RenderReport, renderWorkbook } from './render.ts';

/**
 * What the Region's panel does, as host-agnostic functions: each takes its dependencies, talks to the API and to
 * Excel, and returns an Italian message. The panel (panel.ts) only wires buttons to these.
 */

export interface RegionalDeps {
  readonly api: RegionalApi;
  readonly excel: RegionalRun;
  /** The ISTAT comuni (the add-in loads them once), for the articulation. */
  readonly comuni: () => Promise<ComuniIndex>;
  readonly params?: CheckParams;
  /** Cell notes are available (ExcelApi 1.18). */
  readonly notes?: boolean;
}

export interface ActionResult {
  readonly ok: boolean;
  readonly message: string;
  /** Details the panel lists under the message (one line each). */
  readonly details?: readonly string[];
}

export interface ConsolidateResult extends ActionResult {
  readonly report?: RenderReport;
}

const STATUS_COLUMN_LETTER = 'F';
const STATUS_LAST_COLUMN_LETTER = 'L';
// The same words the consolidated Stato invii sheet draws for a decided submission.
const DECIDED_LABEL: Record<Decision, string> = {
  approve: STATUS_DESCRIPTIONS.APPROVED,
  reject: STATUS_DESCRIPTIONS.REJECTED,
};
const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/** "Consolida": pulls the period's consolidated view and draws it in the open workbook. */
export async function consolidate(deps: RegionalDeps, region: string, period: string): Promise<ConsolidateResult> {
  const response = await deps.api.consolidated(region, period);
  if (!response.ok) {
    return { ok: false, message: response.message ?? `Consolidamento non riuscito (errore ${response.status}).` };
  }
  const model = buildConsolidatedWorkbook(response.body, deps.params ? { params: deps.params } : {});
  const report = await renderWorkbook(deps.excel, model, { notes: deps.notes ?? false, activate: STATUS_SHEET });
  const entries = allAts(response.body);
  const submitted = entries.filter((entry) => entry.submitted).length;
  const missing = entries.length - submitted;
  const withErrors = entries.filter((entry) => entry.errors > 0).length;
  // Findings are bounded (contract v1.1: 1,000 per rule, 10,000 in all): the counts are the full ones, and the panel
  // says which rules' findings were left out, for the Region and for each ATS's receipt.
  const bound = response.body.findingsBound;
  const regional = bound
    ? Object.values(bound.countsByRule).reduce((sum, count) => sum + count.errors + count.warnings, 0)
    : response.body.findings.length;
  const leftOut = consolidatedTruncationNotes(response.body);
  // Findings about the whole Region (T2.6, the regional T5.7) have no ATS row to be marked on: the panel lists them.
  const regionWide = response.body.findings
    .filter((finding) => !finding.ats)
    .map((finding) => `${finding.severity === 'error' ? 'Errore' : 'Avviso'} ${finding.rule}: ${finding.message}`);
  const details = [...leftOut, ...regionWide];
  return {
    ok: true,
    report,
    ...(details.length > 0 ? { details } : {}),
    message:
      `Consolidati ${plural(entries.length, 'Ambito', 'Ambiti')} per il periodo ${period}: ` +
      `${plural(submitted, 'inviato', 'inviati')}, ${plural(missing, 'mancante', 'mancanti')}, ` +
      `${plural(withErrors, 'con errori', 'con errori')}, ${plural(regional, 'rilievo regionale', 'rilievi regionali')}.`,
  };
}

/** "Approva" / "Respingi": decides on the ATS of the selected row of "Stato invii", for the version shown there. */
export async function reviewSelected(
  deps: RegionalDeps,
  period: string,
  decision: Decision,
  comment: string,
): Promise<ActionResult> {
  const selection = await deps.excel(async (context) => {
    const selected = context.workbook.getSelectedRange();
    selected.load('rowIndex');
    selected.worksheet.load('name');
    await context.sync();
    const sheetName = selected.worksheet.name;
    if (sheetName !== STATUS_SHEET || selected.rowIndex === 0)
      return { sheetName, rowIndex: selected.rowIndex, row: undefined };
    const excelRow = selected.rowIndex + 1;
    const row = context.workbook.worksheets
      .getItem(STATUS_SHEET)
      .getRange(`A${excelRow}:${STATUS_LAST_COLUMN_LETTER}${excelRow}`);
    row.load('values');
    await context.sync();
    return { sheetName, rowIndex: selected.rowIndex, row: row.values[0] };
  });
  const plan = planReview(selection.sheetName, selection.row, decision, comment);
  if (!plan.ok) return plan;
  const answer = await deps.api.review(plan.request.ats, period, plan.request.body);
  const outcome = answer.ok
    ? reviewOutcomeMessage(plan.request, answer.status, null)
    : reviewOutcomeMessage(plan.request, answer.status, answer.message, answer.code);
  if (outcome.ok) {
    await deps.excel(async (context) => {
      const cell = context.workbook.worksheets
        .getItem(STATUS_SHEET)
        .getRange(`${STATUS_COLUMN_LETTER}${selection.rowIndex + 1}`);
      cell.numberFormat = [['@']];
      cell.values = [[safeTextValue(DECIDED_LABEL[decision])]];
      cell.format.fill.color = decision === 'approve' ? '#E2EFDA' : COLORS.error;
      await context.sync();
    });
  }
  return outcome;
}

/** "Scarica articolazione": the registered ATS as the "Articolazione" sheet, to edit and register again. */
export async function loadArticulation(deps: RegionalDeps, region: string): Promise<ActionResult> {
  const registered = await deps.api.listAts(region);
  if (!registered.ok) {
    return {
      ok: false,
      message: registered.message ?? `Lettura dell'articolazione non riuscita (errore ${registered.status}).`,
    };
  }
  const comuni = await deps.comuni();
  const sheet = articulationSheet(registered.body, comuni);
  await renderWorkbook(deps.excel, { region, period: '', sheets: [sheet] }, { activate: ARTICULATION_SHEET });
  return {
    ok: true,
    message: `Articolazione della Regione ${region}: ${plural(registered.body.length, 'Ambito registrato', 'Ambiti registrati')}.`,
  };
}

const describe = (finding: ArticulationFinding): string =>
  `${finding.severity === 'error' ? 'Errore' : 'Avviso'}: ${finding.message}`;

/** "Registra articolazione": reads "Articolazione", registers every clean ATS, marks and lists the rows in error. */
export async function registerArticulation(deps: RegionalDeps, region: string): Promise<ActionResult> {
  const values = await deps.excel(async (context) => {
    const sheet = context.workbook.worksheets.getItemOrNullObject(ARTICULATION_SHEET);
    // Loading a property makes isNullObject readable on every host, strict fakes included.
    sheet.load('name');
    await context.sync();
    if (sheet.isNullObject) return null;
    const used = sheet.getUsedRangeOrNullObject(true);
    used.load('values');
    await context.sync();
    return used.isNullObject ? [] : used.values;
  });
  if (values === null) {
    return { ok: false, message: `Foglio "${ARTICULATION_SHEET}" non trovato: usare prima "Scarica articolazione".` };
  }
  const comuni = await deps.comuni();
  const parsed = parseArticulation(values, region, comuni);
  const details = parsed.findings.map(describe);
  const failed: string[] = [];
  let registered = 0;
  // One ATS at a time: a Region has tens of ATS, and a failure must name the ATS it belongs to.
  for (const entry of parsed.entries) {
    const answer = await deps.api.putAts(region, entry.ats, entry.body);
    if (answer.ok) registered++;
    else failed.push(`Errore: Ambito ${entry.ats} non registrato: ${answer.message ?? `errore ${answer.status}`}.`);
  }
  const errorRows = parsed.findings.filter((finding) => finding.severity === 'error' && finding.row !== null);
  if (errorRows.length > 0) {
    await deps.excel(async (context) => {
      const sheet = context.workbook.worksheets.getItem(ARTICULATION_SHEET);
      for (const finding of errorRows)
        sheet.getRange(`A${finding.row}:E${finding.row}`).format.fill.color = COLORS.error;
      await context.sync();
    });
  }
  const blocked = parsed.blocked.length;
  const ok = failed.length === 0 && blocked === 0 && parsed.findings.every((finding) => finding.severity !== 'error');
  return {
    ok,
    message:
      `${plural(registered, 'Ambito registrato', 'Ambiti registrati')}` +
      (blocked > 0 ? `, ${plural(blocked, 'Ambito non inviato', 'Ambiti non inviati')} per errori nel foglio` : '') +
      (failed.length > 0 ? `, ${plural(failed.length, 'rifiutato', 'rifiutati')} dal servizio` : '') +
      '.',
    details: [...failed, ...details],
  };
}
