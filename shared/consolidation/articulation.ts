import type { Severity } from '../checks/types.ts';
import { type RegionAtsBody, regionAtsBodySchema } from '../contract/region-ats-body.ts';
import { ATS_CODE } from '../contract/submission.ts';
import type { ComuniIndex } from '../reference/comuni.ts';
import { type Cell, empty, TEXT_FORMAT, text } from './cells.ts';
import type { SheetModel } from './model.ts';

/**
 * The Region's ATS articulation, kept in a sheet "Articolazione" (one row per comune: COD_ATS, DENOMINAZIONE_ATS,
 * COD_ISTAT_COMUNE, ENTE_GESTORE_CF optional) and turned into the bodies of PUT /v1/regions/{region}/ats/{ats}: the
 * reference for T2.5–T2.7. An ATS with any error in its rows is not sent at all: half a composition would make the
 * regional checks report comuni that are only missing because of a typo.
 */

export const ARTICULATION_SHEET = 'Articolazione';

export const ARTICULATION_COLUMNS = [
  'COD_ATS',
  'DENOMINAZIONE_ATS',
  'COD_ISTAT_COMUNE',
  'DENOMINAZIONE_COMUNE',
  'ENTE_GESTORE_CF',
] as const;
const REQUIRED = ['COD_ATS', 'DENOMINAZIONE_ATS', 'COD_ISTAT_COMUNE'] as const;

export interface ArticulationFinding {
  readonly severity: Severity;
  /** 1-based sheet row (the header is row 1), or null for the sheet as a whole. */
  readonly row: number | null;
  readonly column: string | null;
  readonly message: string;
}

export interface ArticulationEntry {
  readonly ats: string;
  readonly body: RegionAtsBody;
  /** Sheet rows (1-based) the ATS was read from. */
  readonly rows: readonly number[];
}

export interface ArticulationResult {
  readonly entries: readonly ArticulationEntry[];
  readonly findings: readonly ArticulationFinding[];
  /** ATS left out because of errors in their rows. */
  readonly blocked: readonly string[];
}

/** A code read from a cell: text as typed, or a whole number Excel stripped of its leading zeros. */
function codeCell(value: unknown, digits: number): string | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value).padStart(digits, '0');
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  return null;
}

function textCell(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

const isBlank = (row: readonly unknown[]): boolean =>
  row.every((value) => value === null || value === undefined || (typeof value === 'string' && value.trim() === ''));

/** Shows a user's text in a message without letting a long paste swamp it. */
const quoted = (value: string): string => `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;

interface Draft {
  name: string;
  nameRow: number;
  cf: string | null;
  cfRow: number;
  comuni: string[];
  rows: number[];
}

export function parseArticulation(
  values: readonly (readonly unknown[])[],
  region: string,
  comuni: ComuniIndex,
): ArticulationResult {
  const findings: ArticulationFinding[] = [];
  const blocked = new Set<string>();
  const error = (row: number | null, column: string | null, message: string, ats?: string): void => {
    findings.push({ severity: 'error', row, column, message });
    if (ats) blocked.add(ats);
  };

  const headerRow = values[0] ?? [];
  const position = new Map<string, number>();
  headerRow.forEach((value, index) => {
    if (typeof value === 'string') position.set(value.trim().toUpperCase(), index);
  });
  const missing = REQUIRED.filter((column) => !position.has(column));
  if (missing.length > 0) {
    error(1, null, `Nel foglio "${ARTICULATION_SHEET}" mancano le colonne: ${missing.join(', ')}.`);
    return { entries: [], findings, blocked: [] };
  }
  const cell = (row: readonly unknown[], column: string): unknown => {
    const index = position.get(column);
    return index === undefined ? null : row[index];
  };

  const drafts = new Map<string, Draft>();
  const owner = new Map<string, { ats: string; row: number }>();
  values.slice(1).forEach((row, offset) => {
    const rowNumber = offset + 2;
    if (isBlank(row)) return;

    const ats = codeCell(cell(row, 'COD_ATS'), 0);
    if (ats === null) {
      error(rowNumber, 'COD_ATS', `Riga ${rowNumber}: indicare il codice Ambito (ATS-RR-NNN).`);
      return;
    }
    if (!ATS_CODE.test(ats)) {
      error(rowNumber, 'COD_ATS', `Riga ${rowNumber}: codice Ambito ${quoted(ats)} non valido, atteso ATS-RR-NNN.`);
      return;
    }
    if (ats.slice(4, 6) !== region) {
      error(
        rowNumber,
        'COD_ATS',
        `Riga ${rowNumber}: l'Ambito ${ats} non appartiene alla Regione ${region} (il codice indica la Regione ${ats.slice(4, 6)}).`,
        ats,
      );
      return;
    }
    const draft = drafts.get(ats) ?? { name: '', nameRow: 0, cf: null, cfRow: 0, comuni: [], rows: [] };
    drafts.set(ats, draft);
    draft.rows.push(rowNumber);

    const name = textCell(cell(row, 'DENOMINAZIONE_ATS'));
    if (name === null) {
      error(rowNumber, 'DENOMINAZIONE_ATS', `Riga ${rowNumber}: indicare la denominazione dell'Ambito ${ats}.`, ats);
    } else if (draft.name === '') {
      draft.name = name;
      draft.nameRow = rowNumber;
    } else if (draft.name !== name) {
      error(
        rowNumber,
        'DENOMINAZIONE_ATS',
        `Riga ${rowNumber}: denominazione dell'Ambito ${ats} diversa da quella della riga ${draft.nameRow}.`,
        ats,
      );
    }

    const cf = codeCell(cell(row, 'ENTE_GESTORE_CF'), 11);
    if (cf !== null) {
      if (!/^\d{11}$/.test(cf)) {
        error(
          rowNumber,
          'ENTE_GESTORE_CF',
          `Riga ${rowNumber}: codice fiscale dell'ente gestore ${quoted(cf)} non valido, attese 11 cifre.`,
          ats,
        );
      } else if (draft.cf === null) {
        draft.cf = cf;
        draft.cfRow = rowNumber;
      } else if (draft.cf !== cf) {
        error(
          rowNumber,
          'ENTE_GESTORE_CF',
          `Riga ${rowNumber}: codice fiscale dell'ente gestore diverso da quello della riga ${draft.cfRow}.`,
          ats,
        );
      }
    }

    const comuneCode = codeCell(cell(row, 'COD_ISTAT_COMUNE'), 6);
    if (comuneCode === null) {
      error(rowNumber, 'COD_ISTAT_COMUNE', `Riga ${rowNumber}: indicare il codice ISTAT del comune.`, ats);
      return;
    }
    if (!/^\d{6}$/.test(comuneCode)) {
      error(
        rowNumber,
        'COD_ISTAT_COMUNE',
        `Riga ${rowNumber}: codice ISTAT ${quoted(comuneCode)} non valido, attese 6 cifre.`,
        ats,
      );
      return;
    }
    const comune = comuni.get(comuneCode);
    if (!comune) {
      error(
        rowNumber,
        'COD_ISTAT_COMUNE',
        `Riga ${rowNumber}: comune ${comuneCode} non presente nell'elenco ISTAT dei comuni.`,
        ats,
      );
      return;
    }
    if (comune.regionCode !== region) {
      error(
        rowNumber,
        'COD_ISTAT_COMUNE',
        `Riga ${rowNumber}: il comune ${comuneCode} ${comune.name} è in ${comune.regionName} (${comune.regionCode}), non nella Regione ${region}.`,
        ats,
      );
      return;
    }
    const first = owner.get(comuneCode);
    if (first && first.ats !== ats) {
      error(
        rowNumber,
        'COD_ISTAT_COMUNE',
        `Riga ${rowNumber}: il comune ${comuneCode} ${comune.name} risulta assegnato a più Ambiti: ${first.ats} (riga ${first.row}) e ${ats}.`,
        ats,
      );
      blocked.add(first.ats);
      return;
    }
    if (first) {
      findings.push({
        severity: 'warning',
        row: rowNumber,
        column: 'COD_ISTAT_COMUNE',
        message: `Riga ${rowNumber}: il comune ${comuneCode} ${comune.name} è già indicato alla riga ${first.row} per lo stesso Ambito.`,
      });
      return;
    }
    owner.set(comuneCode, { ats, row: rowNumber });
    draft.comuni.push(comuneCode);
  });

  const uncovered = comuni.byRegion(region).filter((comune) => !owner.has(comune.code));
  if (drafts.size > 0 && uncovered.length > 0) {
    const listed = uncovered.slice(0, 20).map((comune) => `${comune.code} ${comune.name}`);
    const more = uncovered.length > listed.length ? ` e altri ${uncovered.length - listed.length}` : '';
    findings.push({
      severity: 'warning',
      row: null,
      column: null,
      message: `Comuni della Regione non assegnati ad alcun Ambito (${uncovered.length}): ${listed.join(', ')}${more}.`,
    });
  }

  const entries: ArticulationEntry[] = [];
  for (const [ats, draft] of [...drafts.entries()].sort(([left], [right]) => left.localeCompare(right))) {
    if (blocked.has(ats)) continue;
    const body: RegionAtsBody = {
      name: draft.name,
      comuni: draft.comuni,
      ...(draft.cf === null ? {} : { enteGestoreCf: draft.cf }),
    };
    // The API's own schema is the last word: a body it would refuse is reported here, not sent.
    const checked = regionAtsBodySchema.safeParse(body);
    if (!checked.success) {
      const reasons = checked.error.issues.map((issue) => issue.message).join(' ');
      error(draft.rows[0] ?? null, null, `Ambito ${ats} non registrabile: ${reasons}`, ats);
      continue;
    }
    entries.push({ ats, body: checked.data, rows: draft.rows });
  }
  return { entries, findings, blocked: [...blocked].sort() };
}

/** The registered articulation written back as a sheet, so the Region edits what is on record. */
export function articulationSheet(
  registered: ReadonlyArray<{
    readonly ats: string;
    readonly name: string;
    readonly comuni: readonly string[];
    readonly enteGestoreCf?: string;
  }>,
  comuni?: ComuniIndex,
): SheetModel {
  const rows: Cell[][] = [ARTICULATION_COLUMNS.map((column) => text(column, 'header'))];
  const sorted = [...registered].sort((left, right) => left.ats.localeCompare(right.ats));
  for (const entry of sorted) {
    for (const code of entry.comuni) {
      const comuneName = comuni?.get(code)?.name;
      rows.push([
        text(entry.ats),
        text(entry.name),
        text(code),
        comuneName ? text(comuneName) : empty(TEXT_FORMAT),
        entry.enteGestoreCf ? text(entry.enteGestoreCf) : empty(TEXT_FORMAT),
      ]);
    }
  }
  return {
    name: ARTICULATION_SHEET,
    role: 'articulation',
    columns: [{ width: 14 }, { width: 36 }, { width: 12 }, { width: 28 }, { width: 14 }],
    rows,
    marks: [],
    charts: [],
    freezeRows: 1,
  };
}
