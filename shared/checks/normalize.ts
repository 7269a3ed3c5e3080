import type { Submission, SubmissionCell, SubmissionRow } from '../contract/submission.ts';
import { formatNumber, parseIsoDate, parseItalianDate, parseItalianNumber } from '../domain/italian-format.ts';
import type { ColumnDef, SheetDef, SheetId, TemplateDef } from '../template/types.ts';
import { SHEET_IDS } from '../template/types.ts';
import type { CellValue, FindingInput, NormalizedRow, NormalizedSubmission, Severity } from './types.ts';

/**
 * Reads every cell of a submission against its column's type. The result has typed values only (or null), and the
 * problems found while reading: missing required values, unreadable values, values out of range or not in a code
 * list, and numbers or dates typed as text (S.3), which are still read so later checks see what the user meant.
 *
 * A workbook has up to hundreds of thousands of cells, so each template is compiled once into per-column readers
 * (regular expressions, code-list lookups, rule IDs and messages prepared ahead), and the result of reading a text
 * value is remembered per column: codes, flags and dates repeat on almost every row.
 */

/** Severity and reference are filled in by the engine from the catalogue (and the Region's overrides). */
export interface ColumnFinding extends FindingInput {
  readonly rule: string;
}

/** The rule under which a column's own problems are reported when the column names none. */
export function columnRule(sheet: SheetId): string {
  return sheet === 'T1' ? 'T1.1' : `${sheet}.0`;
}

interface Problem {
  readonly rule: string;
  readonly message: string;
}

interface ReadResult {
  readonly value: CellValue;
  readonly problems: readonly Problem[];
}

const NO_PROBLEMS: readonly Problem[] = [];
/** Distinct text values remembered per column; beyond this a column (free text, say) is read afresh each time. */
const MEMO_LIMIT = 4096;

function describe(raw: SubmissionCell): string {
  return typeof raw === 'string' ? `"${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}"` : String(raw);
}

function readNumber(column: ColumnDef, raw: string | number, rule: string): ReadResult {
  const problems: Problem[] = [];
  let value: number | null = null;
  if (typeof raw === 'number') {
    value = Number.isFinite(raw) ? raw : null;
  } else {
    value = parseItalianNumber(raw);
    if (value === null) {
      return { value: null, problems: [{ rule, message: `${column.header}: ${describe(raw)} non è un numero.` }] };
    }
    problems.push({
      rule: 'S.3',
      message: `${column.header}: numero inserito come testo (${describe(raw)}), letto come ${formatNumber(value)}. Inserirlo come numero.`,
    });
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

function readDate(column: ColumnDef, raw: string | number, rule: string): ReadResult {
  if (typeof raw !== 'string') {
    return { value: null, problems: [{ rule, message: `${column.header}: attesa una data (gg/mm/aaaa).` }] };
  }
  const iso = parseIsoDate(raw.trim());
  if (iso) return { value: iso, problems: NO_PROBLEMS };
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

function readText(
  column: ColumnDef,
  raw: string | number,
  rule: string,
  codes: ReadonlyMap<string, string> | null,
  pattern: RegExp | null,
): ReadResult {
  const problems: Problem[] = [];
  let text: string;
  if (typeof raw === 'string') {
    text = raw.trim();
  } else if (Number.isFinite(raw)) {
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
  if (codes) {
    const canonical = codes.get(text.toUpperCase());
    if (canonical === undefined) {
      problems.push({ rule, message: `${column.header}: codice non ammesso (${describe(text)}).` });
      return { value: text, problems };
    }
    return { value: canonical, problems };
  }
  if (pattern && !pattern.test(column.type === 'code' ? text.toUpperCase() : text)) {
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

/** A column prepared for reading: its rule, its reader, and what "missing" means for it. */
interface CompiledColumn {
  readonly key: string;
  readonly definition: ColumnDef;
  /** Reads a non-empty, non-boolean value; its problems are appended to `problems`. */
  readonly read: (raw: string | number, problems: Problem[]) => CellValue;
  readonly rule: string;
  readonly booleanProblem: Problem;
  /** Set when a missing value may be a finding: the rule and message to report. */
  readonly missing: { readonly rule: string; readonly message: string } | null;
}

interface CompiledSheet {
  readonly definition: SheetDef;
  readonly columns: readonly CompiledColumn[];
  /** Columns whose emptiness may be a finding, in template order. */
  readonly requirable: readonly CompiledColumn[];
  /** The columns by key, so a row is read by walking its own cells once. */
  readonly byKey: ReadonlyMap<string, CompiledColumn>;
  /**
   * Every column set to null, in template order. Rows are spread from it so they all share one object shape with
   * every property in place, instead of growing property by property (which costs allocations on large sheets).
   */
  readonly blankRow: Readonly<Record<string, CellValue>>;
}

/** A number that needs no message: finite, whole when it must be, within the column's bounds. */
function plainNumberOk(column: ColumnDef, value: number): boolean {
  return (
    Number.isFinite(value) &&
    (column.type !== 'integer' || Number.isInteger(value)) &&
    (column.min === undefined || value >= column.min) &&
    (column.minExclusive === undefined || value > column.minExclusive) &&
    (column.max === undefined || value <= column.max)
  );
}

/**
 * A test for text that needs no message and reads as itself: a listed code as listed, or text already trimmed, in the
 * column's case, matching its pattern and within its length. Identifiers (employees, CUP, CIG) are unique on almost
 * every row, so remembering them would not pay; this answers them without building a result.
 */
function plainTextTest(
  column: ColumnDef,
  codes: ReadonlyMap<string, string> | null,
  pattern: RegExp | null,
): (raw: string) => boolean {
  if (codes) return (raw) => codes.get(raw) === raw;
  const upperCase = column.type === 'code' && pattern !== null;
  const maxLength = column.maxLength ?? Number.POSITIVE_INFINITY;
  return (raw) =>
    raw.length <= maxLength &&
    raw.trim() === raw &&
    (!upperCase || raw.toUpperCase() === raw) &&
    (pattern === null || pattern.test(raw));
}

function compileColumn(template: TemplateDef, sheet: SheetId, column: ColumnDef): CompiledColumn {
  const rule = column.rule ?? columnRule(sheet);
  const codes = column.codeList
    ? new Map(
        template.codeLists[column.codeList].values
          .slice()
          .reverse()
          .map((entry) => [entry.code.toUpperCase(), entry.code] as const),
      )
    : null;
  const pattern = column.pattern ? new RegExp(column.pattern) : null;
  let readRaw: (raw: string | number) => ReadResult;
  switch (column.type) {
    case 'integer':
    case 'decimal':
    case 'money':
      readRaw = (raw) => readNumber(column, raw, rule);
      break;
    case 'date':
      readRaw = (raw) => readDate(column, raw, rule);
      break;
    default:
      readRaw = (raw) => readText(column, raw, rule, codes, pattern);
  }
  const isNumber = column.type === 'integer' || column.type === 'decimal' || column.type === 'money';
  const plainText = column.type === 'code' || column.type === 'text' ? plainTextTest(column, codes, pattern) : null;
  const memo = new Map<string, ReadResult>();
  const read = (raw: string | number, problems: Problem[]): CellValue => {
    if (typeof raw === 'number' && isNumber && plainNumberOk(column, raw)) return raw;
    if (typeof raw === 'string' && plainText?.(raw)) return raw;
    let result = typeof raw === 'string' ? memo.get(raw) : undefined;
    if (result === undefined) {
      result = readRaw(raw);
      if (typeof raw === 'string' && memo.size < MEMO_LIMIT) memo.set(raw, result);
    }
    for (const problem of result.problems) problems.push(problem);
    return result.value;
  };
  const requirement = column.requirement;
  const missing =
    requirement === 'optional' || requirement === 'computed'
      ? null
      : {
          rule:
            typeof requirement === 'object' && requirement.rule
              ? requirement.rule
              : sheet === 'T1'
                ? 'T1.1'
                : (column.rule ?? columnRule(sheet)),
          message: `Campo obbligatorio mancante: ${column.header}${typeof requirement === 'object' ? ` (${requirement.text})` : ''}.`,
        };
  return {
    key: column.key,
    definition: column,
    read,
    rule,
    booleanProblem: { rule, message: `${column.header}: valore vero/falso non ammesso.` },
    missing,
  };
}

const compiledTemplates = new WeakMap<TemplateDef, Map<SheetId, CompiledSheet>>();

function compiledSheet(template: TemplateDef, definition: SheetDef): CompiledSheet {
  let sheets = compiledTemplates.get(template);
  if (!sheets) {
    sheets = new Map();
    compiledTemplates.set(template, sheets);
  }
  const cached = sheets.get(definition.id);
  if (cached && cached.definition === definition) return cached;
  const columns = definition.columns.map((column) => compileColumn(template, definition.id, column));
  const compiled: CompiledSheet = {
    definition,
    columns,
    requirable: columns.filter((column) => column.missing !== null),
    byKey: new Map(columns.map((column) => [column.key, column])),
    blankRow: Object.fromEntries(definition.columns.map((column) => [column.key, null])),
  };
  sheets.set(definition.id, compiled);
  return compiled;
}

/**
 * The value a "required when" condition looks at. IMPORTO_NON_IMPEGNATO is computed: when the row leaves it empty,
 * the condition sees assegnato − impegnato.
 */
function conditionValue(sheet: SheetId, row: NormalizedRow, key: string): CellValue | undefined {
  if (sheet === 'T4' && key === 'IMPORTO_NON_IMPEGNATO' && row.IMPORTO_NON_IMPEGNATO == null) {
    const assigned = row.IMPORTO_ASSEGNATO;
    const committed = row.IMPORTO_IMPEGNATO;
    if (typeof assigned === 'number' && typeof committed === 'number') return assigned - committed;
  }
  return row[key];
}

function conditionHolds(sheet: SheetId, row: NormalizedRow, column: ColumnDef): boolean {
  const requirement = column.requirement;
  if (typeof requirement === 'string') return requirement === 'required';
  const other = conditionValue(sheet, row, requirement.when.column);
  if ('equals' in requirement.when) return other === requirement.when.equals;
  return typeof other === 'number' && other > requirement.when.greaterThan;
}

/** Where column findings go: an array, or the engine's bounded collector (anything with push). */
export interface ColumnFindingSink {
  push(finding: ColumnFinding): unknown;
}

function emit(
  findings: ColumnFindingSink,
  sheet: SheetId,
  rowNumber: number,
  column: string | null,
  rule: string,
  message: string,
  severity?: Severity,
): void {
  findings.push({ rule, sheet, row: rowNumber, column, message, ...(severity ? { severity } : {}) });
}

/**
 * Whether for…in over objects whose prototype is Object.prototype (or null) lists only their own keys: true unless
 * something added an enumerable property to Object.prototype. Asked once per submission, it lets the walks over
 * cells skip a hasOwn test per cell, a seventh of a large validation.
 */
export function plainObjectsListOwnKeysOnly(): boolean {
  return Object.keys(Object.prototype).length === 0;
}

/** Whether for…in over `row` lists only its own keys, given the answer of plainObjectsListOwnKeysOnly. */
function listsOwnKeysOnly(row: object, plainObjectsOwnOnly: boolean): boolean {
  const prototype: unknown = Object.getPrototypeOf(row);
  return prototype === null || (prototype === Object.prototype && plainObjectsOwnOnly);
}

/** Scratch list for one cell's problems: most cells have none, so nothing is allocated for them. */
const cellProblems: Problem[] = [];

/** The typed value of a present cell: null for an empty or true/false cell, else what the column reads. */
function typedValue(column: CompiledColumn, value: SubmissionCell | undefined, problems: Problem[]): CellValue {
  if (value === undefined || value === null || typeof value === 'boolean') return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  return column.read(value, problems);
}

/**
 * The row as typed values. A row whose cells already hold their typed values (the common case: numbers as numbers,
 * codes as listed, ISO dates, no stray columns) is used as it is instead of being copied: rows are never changed
 * afterwards, and copying 100,000 rows was most of a large validation's garbage and made it grow faster than its
 * rows. Columns such a row leaves out read as undefined (NormalizedRow). Any other row is copied onto the sheet's
 * blank row with its typed values.
 */
function normalizeRow(
  template: TemplateDef,
  compiled: CompiledSheet,
  raw: SubmissionRow,
  rowNumber: number,
  findings: ColumnFindingSink,
  plainObjectsOwnOnly: boolean,
): NormalizedRow {
  const sheet = compiled.definition.id;
  const ownOnly = listsOwnKeysOnly(raw, plainObjectsOwnOnly);
  let typedAlready = true;
  // One walk over the row's own cells reads the known columns and finds the unknown ones, without listing the keys.
  for (const key in raw) {
    if (!ownOnly && !Object.hasOwn(raw, key)) continue;
    const column = compiled.byKey.get(key);
    if (column === undefined) {
      typedAlready = false;
      emit(
        findings,
        sheet,
        rowNumber,
        null,
        'S.2',
        `Colonna "${key.slice(0, 60)}" non prevista dal modello ${template.id} ${template.version}: ignorata.`,
        'warning',
      );
      continue;
    }
    const value = raw[key];
    if (typeof value === 'boolean') {
      typedAlready = false;
      emit(findings, sheet, rowNumber, key, column.booleanProblem.rule, column.booleanProblem.message);
      continue;
    }
    if (typedValue(column, value, cellProblems) !== value) typedAlready = false;
    if (cellProblems.length > 0) {
      for (const problem of cellProblems) emit(findings, sheet, rowNumber, key, problem.rule, problem.message);
      cellProblems.length = 0;
    }
  }
  const row = typedAlready ? (raw as NormalizedRow) : copyTyped(compiled, raw, ownOnly);
  for (const column of compiled.requirable) {
    if (row[column.key] != null || column.missing === null) continue;
    if (!conditionHolds(sheet, row, column.definition)) continue;
    emit(findings, sheet, rowNumber, column.key, column.missing.rule, column.missing.message);
  }
  return row;
}

/** Scratch list for the second reading of a copied row, whose problems were already reported. */
const reportedProblems: Problem[] = [];

function copyTyped(compiled: CompiledSheet, raw: SubmissionRow, ownOnly: boolean): NormalizedRow {
  const row: Record<string, CellValue> = { ...compiled.blankRow };
  for (const key in raw) {
    if (!ownOnly && !Object.hasOwn(raw, key)) continue;
    const column = compiled.byKey.get(key);
    if (column === undefined) continue;
    // Strings are read from the column's memo, so reading a cell again costs a lookup.
    row[key] = typedValue(column, raw[key], reportedProblems);
    reportedProblems.length = 0;
  }
  return row;
}

export interface NormalizeResult {
  readonly submission: NormalizedSubmission;
  readonly findings: readonly ColumnFinding[];
}

/**
 * Reads a submission's cells. Its findings are returned, or given to `sink` when there is one (then `findings` is
 * empty): the engine passes its bounded collector, so a body of 400,000 rows each missing every required value never
 * holds millions of findings at once.
 */
export function normalizeSubmission(
  template: TemplateDef,
  submission: Submission,
  sink?: ColumnFindingSink,
): NormalizeResult {
  const collected: ColumnFinding[] = [];
  const findings: ColumnFindingSink = sink ?? collected;
  const sheets = {} as Record<SheetId, NormalizedRow[]>;
  const plainObjectsOwnOnly = plainObjectsListOwnKeysOnly();
  for (const sheetId of SHEET_IDS) {
    const definition = template.sheets.find((candidate) => candidate.id === sheetId);
    const rawRows = submission.sheets[sheetId] ?? [];
    if (!definition) {
      sheets[sheetId] = [];
      continue;
    }
    const compiled = compiledSheet(template, definition);
    const rows: NormalizedRow[] = new Array(rawRows.length);
    for (let index = 0; index < rawRows.length; index++) {
      const raw = rawRows[index];
      if (raw !== undefined)
        rows[index] = normalizeRow(template, compiled, raw, index + 1, findings, plainObjectsOwnOnly);
    }
    sheets[sheetId] = rows;
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
    findings: collected,
  };
}
