import type { Submission, SubmissionCell, SubmissionRow } from '../contract/submission.ts';
import { formatNumber, parseIsoDate, parseItalianDate, parseItalianNumber } from '../domain/italian-format.ts';
import type { ColumnDef, SheetDef, SheetId, TemplateDef } from '../template/types.ts';
import { SHEET_IDS } from '../template/types.ts';
import type { CellValue, FindingInput, NormalizedRow, NormalizedSubmission, Severity } from './types.ts';

/**
 * Reads every cell of a submission against its column's type. The result has typed values only (or null), and the
 * problems found while reading: missing required values, unreadable values, values out of range or not in a code
 * list, and numbers or dates typed as text (S.3), which are still read so later checks see what the user meant.
 */

/** Severity and reference are filled in by the engine from the catalogue (and the Region's overrides). */
export interface ColumnFinding extends FindingInput {
  readonly rule: string;
}

/** The rule under which a column's own problems are reported when the column names none. */
export function columnRule(sheet: SheetId): string {
  return sheet === 'T1' ? 'T1.1' : `${sheet}.0`;
}

const EMPTY = Symbol('empty');

interface ReadResult {
  readonly value: CellValue;
  readonly problems: ReadonlyArray<{ rule: string; message: string }>;
}

function describe(raw: SubmissionCell): string {
  return typeof raw === 'string' ? `"${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}"` : String(raw);
}

function readNumber(column: ColumnDef, raw: SubmissionCell, rule: string): ReadResult {
  const problems: Array<{ rule: string; message: string }> = [];
  let value: number | null = null;
  if (typeof raw === 'number') {
    value = Number.isFinite(raw) ? raw : null;
  } else if (typeof raw === 'string') {
    value = parseItalianNumber(raw);
    if (value === null) {
      return { value: null, problems: [{ rule, message: `${column.header}: ${describe(raw)} non è un numero.` }] };
    }
    problems.push({
      rule: 'S.3',
      message: `${column.header}: numero inserito come testo (${describe(raw)}), letto come ${formatNumber(value)}. Inserirlo come numero.`,
    });
  } else {
    return { value: null, problems: [{ rule, message: `${column.header}: atteso un numero.` }] };
  }
  if (value === null) return { value: null, problems: [{ rule, message: `${column.header}: numero non valido.` }] };
  if (column.type === 'integer' && !Number.isInteger(value)) {
    problems.push({ rule, message: `${column.header}: atteso un numero intero, trovato ${formatNumber(value)}.` });
  }
  if (column.min !== undefined && value < column.min) {
    problems.push({
      rule,
      message: `${column.header}: ${formatNumber(value)} è inferiore al minimo ammesso (${formatNumber(column.min)}).`,
    });
  }
  if (column.minExclusive !== undefined && value <= column.minExclusive) {
    problems.push({
      rule,
      message: `${column.header}: il valore deve essere maggiore di ${formatNumber(column.minExclusive)} (trovato ${formatNumber(value)}).`,
    });
  }
  if (column.max !== undefined && value > column.max) {
    problems.push({
      rule,
      message: `${column.header}: ${formatNumber(value)} supera il massimo ammesso (${formatNumber(column.max)}).`,
    });
  }
  return { value, problems };
}

function readDate(column: ColumnDef, raw: SubmissionCell, rule: string): ReadResult {
  if (typeof raw !== 'string') {
    return { value: null, problems: [{ rule, message: `${column.header}: attesa una data (gg/mm/aaaa).` }] };
  }
  const iso = parseIsoDate(raw.trim());
  if (iso) return { value: iso, problems: [] };
  const italian = parseItalianDate(raw);
  if (italian) {
    return {
      value: italian,
      problems: [
        {
          rule: 'S.3',
          message: `${column.header}: data inserita come testo (${describe(raw)}), letta come ${raw.trim()}. Inserirla come data.`,
        },
      ],
    };
  }
  return {
    value: null,
    problems: [{ rule, message: `${column.header}: ${describe(raw)} non è una data valida (gg/mm/aaaa).` }],
  };
}

function readText(template: TemplateDef, column: ColumnDef, raw: SubmissionCell, rule: string): ReadResult {
  const problems: Array<{ rule: string; message: string }> = [];
  let text: string;
  if (typeof raw === 'string') {
    text = raw.trim();
  } else if (typeof raw === 'number' && Number.isFinite(raw)) {
    text = String(raw);
    if (column.type === 'code') {
      problems.push({
        rule,
        message: `${column.header}: codice inserito come numero (${text}); inserirlo come testo per non perdere gli zeri iniziali.`,
      });
    }
  } else {
    return { value: null, problems: [{ rule, message: `${column.header}: atteso un testo.` }] };
  }
  if (column.codeList) {
    const entries = template.codeLists[column.codeList].values;
    const canonical = entries.find((entry) => entry.code.toUpperCase() === text.toUpperCase())?.code;
    if (!canonical) {
      problems.push({ rule, message: `${column.header}: codice non ammesso (${describe(text)}).` });
      return { value: text, problems };
    }
    return { value: canonical, problems };
  }
  if (column.pattern && !new RegExp(column.pattern).test(column.type === 'code' ? text.toUpperCase() : text)) {
    problems.push({
      rule,
      message: `${column.header}: formato non valido (${describe(text)}); atteso ${column.patternText ?? column.pattern}.`,
    });
  }
  if (column.maxLength !== undefined && text.length > column.maxLength) {
    problems.push({
      rule,
      message: `${column.header}: testo troppo lungo (${text.length} caratteri, massimo ${column.maxLength}).`,
    });
  }
  return { value: column.type === 'code' && column.pattern ? text.toUpperCase() : text, problems };
}

function readCell(
  template: TemplateDef,
  sheet: SheetId,
  column: ColumnDef,
  raw: SubmissionCell | undefined,
): ReadResult | typeof EMPTY {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return EMPTY;
  const rule = column.rule ?? columnRule(sheet);
  if (typeof raw === 'boolean') {
    return { value: null, problems: [{ rule, message: `${column.header}: valore vero/falso non ammesso.` }] };
  }
  switch (column.type) {
    case 'integer':
    case 'decimal':
    case 'money':
      return readNumber(column, raw, rule);
    case 'date':
      return readDate(column, raw, rule);
    default:
      return readText(template, column, raw, rule);
  }
}

function conditionHolds(row: NormalizedRow, column: ColumnDef): boolean {
  const requirement = column.requirement;
  if (typeof requirement === 'string') return requirement === 'required';
  const other = row[requirement.when.column];
  if ('equals' in requirement.when) return other === requirement.when.equals;
  return typeof other === 'number' && other > requirement.when.greaterThan;
}

/** The value the "required when" condition needs for computed columns such as IMPORTO_NON_IMPEGNATO. */
function withDerivedForConditions(sheet: SheetId, row: Record<string, CellValue>): Record<string, CellValue> {
  if (sheet === 'T4' && row.IMPORTO_NON_IMPEGNATO === null) {
    const assigned = row.IMPORTO_ASSEGNATO;
    const committed = row.IMPORTO_IMPEGNATO;
    if (typeof assigned === 'number' && typeof committed === 'number') {
      return { ...row, IMPORTO_NON_IMPEGNATO: assigned - committed };
    }
  }
  return row;
}

function normalizeRow(
  template: TemplateDef,
  sheetDefinition: SheetDef,
  raw: SubmissionRow,
  rowNumber: number,
  findings: ColumnFinding[],
): NormalizedRow {
  const sheet = sheetDefinition.id;
  const row: Record<string, CellValue> = {};
  const emit = (column: string | null, rule: string, message: string, severity?: Severity): void => {
    findings.push({ rule, sheet, row: rowNumber, column, message, ...(severity ? { severity } : {}) });
  };
  for (const column of sheetDefinition.columns) {
    const read = readCell(template, sheet, column, raw[column.key]);
    if (read === EMPTY) {
      row[column.key] = null;
      continue;
    }
    row[column.key] = read.value;
    for (const problem of read.problems) emit(column.key, problem.rule, problem.message);
  }
  const known = new Set(sheetDefinition.columns.map((column) => column.key));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) {
      emit(
        null,
        'S.2',
        `Colonna "${key.slice(0, 60)}" non prevista dal modello ${template.id} ${template.version}: ignorata.`,
        'warning',
      );
    }
  }
  const conditionRow = withDerivedForConditions(sheet, row);
  for (const column of sheetDefinition.columns) {
    if (row[column.key] !== null || column.requirement === 'optional' || column.requirement === 'computed') continue;
    if (!conditionHolds(conditionRow, column)) continue;
    const requirement = column.requirement;
    const rule =
      typeof requirement === 'object' && requirement.rule
        ? requirement.rule
        : sheet === 'T1'
          ? 'T1.1'
          : (column.rule ?? columnRule(sheet));
    const why = typeof requirement === 'object' ? ` (${requirement.text})` : '';
    emit(column.key, rule, `Campo obbligatorio mancante: ${column.header}${why}.`);
  }
  return row;
}

export interface NormalizeResult {
  readonly submission: NormalizedSubmission;
  readonly findings: readonly ColumnFinding[];
}

export function normalizeSubmission(template: TemplateDef, submission: Submission): NormalizeResult {
  const findings: ColumnFinding[] = [];
  const sheets = {} as Record<SheetId, NormalizedRow[]>;
  for (const sheetId of SHEET_IDS) {
    const definition = template.sheets.find((candidate) => candidate.id === sheetId);
    const rawRows = submission.sheets[sheetId] ?? [];
    if (!definition) {
      sheets[sheetId] = [];
      continue;
    }
    sheets[sheetId] = rawRows.map((raw, index) => normalizeRow(template, definition, raw, index + 1, findings));
    if (definition.singleRow && rawRows.length > 1) {
      for (let index = 1; index < rawRows.length; index++) {
        findings.push({
          rule: columnRule(sheetId),
          sheet: sheetId,
          row: index + 1,
          column: null,
          message: `Il foglio ${definition.name} ammette una sola riga: questa riga è in più.`,
        });
      }
    }
  }
  return {
    submission: {
      template,
      templateVersion: submission.templateVersion,
      ats: submission.ats,
      period: submission.period,
      comment: submission.comment ?? null,
      sheets,
    },
    findings,
  };
}
