import { ruleDef } from '../checks/catalogue.ts';
import { columnRule } from '../checks/normalize.ts';
import type { Finding, Severity } from '../checks/types.ts';
import { ATS_CODE, LIMITS, PERIOD, type SubmissionCell, type SubmissionRow } from '../contract/submission.ts';
import { excelSerialToIsoDate } from '../domain/italian-format.ts';
import { findTemplate } from '../template/index.ts';
import { type ColumnDef, SHEET_IDS, type SheetDef, type SheetId, type TemplateDef } from '../template/types.ts';
import { inferAts, inferPeriod } from './envelope.ts';
import {
  EXCEL_ERRORS,
  type GridRow,
  type GridValue,
  type Marker,
  type SheetCells,
  type SheetMeta,
  type SheetSink,
  WorkbookReadError,
  type WorkbookReader,
  type WorkbookReaderInput,
} from './grid.ts';
import { columnForHeader, headerMatchCount, headerMatchThreshold } from './headers.ts';
import { columnLetter, FIRST_DATA_ROW, HEADER_ROW, isServiceSheet, MAX_DATA_ROWS } from './layout.ts';
import type { WorkbookRead } from './read-result.ts';

/**
 * The one reader of a LEPS workbook: grids of cell values in (grid.ts), a submission out, with where each value came
 * from and every problem of the workbook itself as a finding of the catalogue. Whatever the user did to the layout
 * (renamed or reordered sheets, moved or extra columns, merged cells, numbers typed as text, spaces around text)
 * gives the same result in every channel; only a workbook that is not ours is an error (WorkbookReadError).
 */

const MAX_MERGE_WARNINGS = 20;

function makeFinding(
  rule: string,
  severity: Severity,
  sheet: SheetId | null,
  row: number | null,
  column: string | null,
  message: string,
): Finding {
  return { rule, severity, sheet, row, column, message, ref: ruleDef(rule).ref };
}

/** A marker read from `_Modello!A1:B1` (or the cells its defined name points to); null when there is no id. */
export function markerFromValues(values: GridRow | undefined): Marker | null {
  const text = (value: GridValue): string =>
    value === null || value === undefined ? '' : typeof value === 'string' ? value.trim() : String(value);
  const id = text(values?.[0]);
  return id ? { id, version: text(values?.[1]) } : null;
}

/** The template a marker names: that version, or the latest of that id (the checks then say which to download). */
export function templateOfMarker(marker: Marker | null): TemplateDef {
  if (!marker) {
    throw new WorkbookReadError(
      'Cartella di lavoro non riconosciuta: manca il marcatore del modello LEPS (foglio nascosto _Modello). Creare il modello con «Nuovo modello» nella scheda LEPS, oppure scaricarlo con «npx rendiconta modello», e copiarvi i dati.',
    );
  }
  const latest = findTemplate(marker.id);
  if (!latest) throw new WorkbookReadError(`Modello "${marker.id.slice(0, 40)}" sconosciuto.`);
  return findTemplate(marker.id, marker.version) ?? latest;
}

type Converted = { readonly value: SubmissionCell } | { readonly error: string } | null;

/**
 * One cell as the submission carries it: numbers stay numbers (dates become ISO), text is trimmed and otherwise passes
 * through as typed (an Italian "1.234,56" or "31/12/2025" is for the checks to read and report, S.3), error cells are
 * errors, empty is null.
 */
export function convertCell(column: ColumnDef, value: GridValue): Converted {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { error: 'numero non valido' };
    if (column.type === 'date') return { value: excelSerialToIsoDate(value) ?? value };
    return { value };
  }
  if (typeof value === 'boolean') return { value };
  const text = value.trim();
  if (text === '') return null;
  if (EXCEL_ERRORS.has(text)) return { error: text };
  return { value: text };
}

const cellText = (value: GridValue): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value.trim() : String(value);

interface SheetState {
  readonly definition: SheetDef;
  readonly name: string;
  readonly rows: SubmissionRow[];
  readonly excelRows: number[];
  /** Column key → 1-based column number in this worksheet. */
  readonly columns: Map<string, number>;
  headerSeen: boolean;
}

export function createWorkbookReader(input: WorkbookReaderInput): WorkbookReader {
  const template = templateOfMarker(input.marker);
  const options = input.options ?? {};
  const maxRows = options.maxRows ?? MAX_DATA_ROWS;
  const findings: Finding[] = [];
  const states = new Map<SheetId, SheetState>();
  const unexpected: string[] = [];

  // Sheets found by name (case and surrounding spaces aside); the others are found by header when they come.
  const byName = new Map<string, SheetDef>();
  for (const definition of template.sheets) {
    const name = input.sheetNames.find(
      (candidate) => !byName.has(candidate) && candidate.trim().toLowerCase() === definition.name.toLowerCase(),
    );
    if (name !== undefined) byName.set(name, definition);
  }
  const unclaimed = (): SheetDef[] =>
    template.sheets.filter((definition) => !states.has(definition.id) && ![...byName.values()].includes(definition));

  function readHeader(state: SheetState, values: GridRow, firstColumn: number): void {
    const { definition, name } = state;
    values.forEach((value, index) => {
      const text = cellText(value);
      if (text === '') return;
      const number = firstColumn + index;
      const where = `${name}!${columnLetter(number)}${HEADER_ROW}`;
      const column = columnForHeader(definition, text);
      if (!column) {
        findings.push(
          makeFinding(
            'S.2',
            'warning',
            definition.id,
            null,
            null,
            `Colonna "${text.slice(0, 60)}" (${where}) non prevista dal modello ${template.id} ${template.version}: ignorata.`,
          ),
        );
      } else if (state.columns.has(column.key)) {
        findings.push(
          makeFinding(
            'S.2',
            'warning',
            definition.id,
            null,
            column.key,
            `Colonna "${column.header}" ripetuta (${where}): letta solo la prima.`,
          ),
        );
      } else {
        state.columns.set(column.key, number);
      }
    });
  }

  function closeHeader(state: SheetState): void {
    if (state.headerSeen) return;
    state.headerSeen = true;
    for (const column of state.definition.columns) {
      if (state.columns.has(column.key)) continue;
      findings.push(
        makeFinding(
          'S.2',
          column.requirement === 'required' ? 'error' : 'warning',
          state.definition.id,
          null,
          column.key,
          `Colonna "${column.header}" mancante nel foglio ${state.name}: ripristinarla dal modello ${template.id} ${template.version}.`,
        ),
      );
    }
  }

  function readRow(state: SheetState, rowNumber: number, values: GridRow, firstColumn: number): void {
    const { definition } = state;
    const row: Record<string, SubmissionCell> = {};
    const problems: Array<{ key: string; message: string }> = [];
    let hasInput = false;
    for (const column of definition.columns) {
      const at = state.columns.get(column.key);
      if (at === undefined) continue;
      const converted = convertCell(column, values[at - firstColumn]);
      if (converted === null) continue;
      if ('error' in converted) {
        // A computed cell in error is recomputed by the checks; its cause is reported on the input cell.
        if (column.computed !== undefined) continue;
        problems.push({ key: column.key, message: `${column.header}: cella in errore (${converted.error}).` });
        hasInput = true;
        continue;
      }
      let value = converted.value;
      if (typeof value === 'string' && value.length > LIMITS.maxCellLength) {
        problems.push({
          key: column.key,
          message: `${column.header}: testo troppo lungo (${value.length} caratteri), letti i primi ${LIMITS.maxCellLength}.`,
        });
        value = value.slice(0, LIMITS.maxCellLength);
      }
      row[column.key] = value;
      if (column.computed === undefined) hasInput = true;
    }
    // Prepared rows hold formulas that yield "" and empty input cells: only rows with something typed are data.
    if (!hasInput) return;
    if (state.rows.length >= maxRows) {
      throw new WorkbookReadError(
        `Il foglio ${state.name} supera ${maxRows.toLocaleString('it-IT')} righe di dati: dividere i dati o contattare la Regione.`,
      );
    }
    state.rows.push(row);
    state.excelRows.push(rowNumber);
    for (const problem of problems) {
      findings.push(
        makeFinding(columnRule(definition.id), 'error', definition.id, state.rows.length, problem.key, problem.message),
      );
    }
  }

  function sinkFor(state: SheetState, meta: SheetMeta | undefined): SheetSink {
    for (const range of (meta?.merges ?? []).slice(0, MAX_MERGE_WARNINGS)) {
      findings.push(
        makeFinding(
          'S.2',
          'warning',
          state.definition.id,
          null,
          null,
          `Celle unite ${state.name}!${range}: è letta solo la prima cella dell'intervallo; separare le celle.`,
        ),
      );
    }
    return {
      row(rowNumber, values, firstColumn = 1) {
        if (rowNumber === HEADER_ROW) {
          if (!state.headerSeen) readHeader(state, values, firstColumn);
          closeHeader(state);
          return;
        }
        closeHeader(state);
        if (rowNumber >= FIRST_DATA_ROW) readRow(state, rowNumber, values, firstColumn);
      },
      end() {
        closeHeader(state);
      },
    };
  }

  function open(definition: SheetDef, name: string, meta: SheetMeta | undefined): SheetSink {
    const state: SheetState = {
      definition,
      name,
      rows: [],
      excelRows: [],
      columns: new Map(),
      headerSeen: false,
    };
    states.set(definition.id, state);
    return sinkFor(state, meta);
  }

  /** A sheet with another name: its header row says which template sheet it is, if any. */
  function probe(name: string, meta: SheetMeta | undefined): SheetSink {
    let target: SheetSink | null = null;
    let decided = false;
    const decide = (header: GridRow): void => {
      decided = true;
      const texts = header.map(cellText).filter((text) => text !== '');
      let best: { definition: SheetDef; score: number } | undefined;
      for (const definition of unclaimed()) {
        const score = headerMatchCount(definition, texts);
        if (score >= headerMatchThreshold(definition) && (!best || score > best.score)) best = { definition, score };
      }
      if (!best) {
        unexpected.push(name);
        return;
      }
      findings.push(
        makeFinding(
          'S.2',
          'warning',
          best.definition.id,
          null,
          null,
          `Foglio "${best.definition.name}" non trovato: letto il foglio "${name.slice(0, 40)}", riconosciuto dalle intestazioni. Ripristinare il nome originale.`,
        ),
      );
      target = open(best.definition, name, meta);
    };
    return {
      row(rowNumber, values, firstColumn = 1) {
        if (!decided) decide(rowNumber === HEADER_ROW ? values : []);
        target?.row(rowNumber, values, firstColumn);
      },
      end() {
        if (!decided) decide([]);
        target?.end();
      },
    };
  }

  function finish(): WorkbookRead {
    for (const definition of template.sheets) {
      if (states.has(definition.id)) continue;
      findings.push(
        makeFinding(
          'S.2',
          'error',
          definition.id,
          null,
          null,
          `Foglio "${definition.name}" mancante: ripristinarlo dal modello ${template.id} ${template.version}.`,
        ),
      );
    }
    for (const name of unexpected) {
      findings.push(
        makeFinding(
          'S.2',
          'warning',
          null,
          null,
          null,
          `Foglio "${name.slice(0, 40)}" non previsto dal modello: ignorato.`,
        ),
      );
    }
    const sheets = {} as Record<SheetId, SubmissionRow[]>;
    const cells: Partial<Record<SheetId, SheetCells>> = {};
    for (const id of SHEET_IDS) {
      const state = states.get(id);
      sheets[id] = state?.rows ?? [];
      if (!state) continue;
      const columns: Record<string, string> = {};
      for (const [key, number] of state.columns) columns[key] = columnLetter(number);
      cells[id] = { sheetName: state.name, rows: state.excelRows, columns };
    }
    const ats = envelopeAts(sheets.T1, options.ats, findings);
    const period = envelopePeriod(sheets, options.period, findings);
    const marker = input.marker as Marker;
    return {
      template,
      submission: {
        template: marker.id,
        // An older or unknown version travels as written: the engine reports S.2 with the version to download.
        templateVersion: marker.version || '(assente)',
        ats,
        period,
        sheets,
        ...(options.comment ? { comment: options.comment } : {}),
      },
      cells,
      findings,
    };
  }

  return {
    sheet(name, meta) {
      if (isServiceSheet(name)) return null;
      const definition = byName.get(name);
      if (definition) {
        if (states.has(definition.id)) return null;
        return open(definition, name, meta);
      }
      if (unclaimed().length === 0) {
        unexpected.push(name);
        return null;
      }
      return probe(name, meta);
    },
    finish,
  };
}

/** T1's COD_ATS (or the override); '' with a T1.1 finding when there is no valid one. Never a made-up code. */
function envelopeAts(t1: readonly SubmissionRow[], override: string | undefined, findings: Finding[]): string {
  if (override !== undefined && override.trim() !== '') {
    const ats = override.trim().toUpperCase();
    if (ATS_CODE.test(ats)) return ats;
    findings.push(
      makeFinding(
        'T1.1',
        'error',
        null,
        null,
        null,
        `Codice Ambito "${override.slice(0, 20)}" non valido: atteso ATS-RR-NNN (es. ATS-16-002).`,
      ),
    );
    return '';
  }
  const ats = inferAts(t1);
  if (ats) return ats;
  findings.push(
    makeFinding(
      'T1.1',
      'error',
      'T1',
      t1.length > 0 ? 1 : null,
      'COD_ATS',
      'Codice Ambito (COD_ATS) mancante o non valido nel foglio anagrafica: atteso ATS-RR-NNN (es. ATS-16-002). Senza il codice il file non può essere controllato né inviato.',
    ),
  );
  return '';
}

/** The workbook's period (or the override); '' with an S.1 finding when it cannot be told. */
function envelopePeriod(
  sheets: Record<SheetId, SubmissionRow[]>,
  override: string | undefined,
  findings: Finding[],
): string {
  const period = override !== undefined && override.trim() !== '' ? override.trim() : inferPeriod(sheets);
  if (period && PERIOD.test(period)) return period;
  findings.push(
    makeFinding(
      'S.1',
      'error',
      null,
      null,
      null,
      override
        ? `Periodo "${override.slice(0, 20)}" non valido: atteso AAAA-12-31 (annuale) o AAAA-08-31 (intermedio).`
        : 'Periodo non determinabile: indicare l’anno in anagrafica (ANNO_RIF) e la data di riferimento (31/12 o 31/08) nei fogli finanziari.',
    ),
  );
  return '';
}
