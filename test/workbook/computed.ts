import { contributionOf, fteAsTi, num, populationTotal, staffRow, str } from '../../shared/checks/derived.ts';
import { toNormalized } from '../../shared/checks/engine.ts';
import { DEFAULT_PARAMS } from '../../shared/checks/params.ts';
import type { NormalizedRow, NormalizedSubmission } from '../../shared/checks/types.ts';
import type { Submission, SubmissionRow } from '../../shared/index.ts';
import type { ComputedKind, SheetId, TemplateDef } from '../../shared/template/types.ts';

/**
 * What each computed column of a workbook must show, by the core's TypeScript (shared/checks/derived.ts), for the
 * tests that recalculate the template's formulas (shared/workbook/formulas.ts) in LibreOffice and compare. A formula
 * yields "" where its inputs are missing; `null` stands for that here.
 */

export type ComputedValue = number | string | null;

/** The value of one computed column on one row, or null where the formula leaves the cell empty. */
function expectedValue(
  kind: ComputedKind,
  template: TemplateDef,
  submission: NormalizedSubmission,
  row: NormalizedRow,
): ComputedValue {
  const t1 = submission.sheets.T1[0] ?? {};
  const year = num(t1.ANNO_RIF);
  switch (kind) {
    case 'T1_POPOLAZIONE_TOT': {
      const anyPopulation = submission.sheets.T2.some((comune) => num(comune.POPOLAZIONE_RESIDENTE) !== null);
      return year === null || !anyPopulation ? null : populationTotal(submission);
    }
    case 'T1_FTE_AS_TI':
      return year === null ? null : fteAsTi(submission, DEFAULT_PARAMS);
    case 'T1_CONTRIBUTO_AS':
      return year === null ? null : contributionOf(submission, DEFAULT_PARAMS).contribution;
    case 'T3_GIORNI_IN_SERVIZIO':
      return staffRow(row, DEFAULT_PARAMS).days;
    case 'T3_FTE':
      return staffRow(row, DEFAULT_PARAMS).fte;
    case 'T4_IMPORTO_NON_IMPEGNATO': {
      const assigned = num(row.IMPORTO_ASSEGNATO);
      const committed = num(row.IMPORTO_IMPEGNATO);
      return assigned === null || committed === null ? null : assigned - committed;
    }
    case 'T6_UNITA': {
      const code = str(row.COD_INDICATORE);
      return template.indicators.find((indicator) => indicator.code === code)?.unit ?? null;
    }
  }
}

export interface ComputedCell {
  readonly sheet: SheetId;
  /** 1-based data row. */
  readonly row: number;
  readonly column: string;
  readonly expected: ComputedValue;
  readonly actual: ComputedValue;
}

/**
 * Every computed cell of `recalculated` (a workbook read after a spreadsheet computed its formulas) beside the value
 * the core computes from the input cells of `inputs` (the same workbook read without computed values).
 */
export function computedCells(template: TemplateDef, inputs: Submission, recalculated: Submission): ComputedCell[] {
  const normalized = toNormalized(inputs);
  if (!normalized) throw new Error('not a submission');
  const cells: ComputedCell[] = [];
  for (const sheet of template.sheets) {
    const computed = sheet.columns.filter((column) => column.computed !== undefined);
    if (computed.length === 0) continue;
    const rows: readonly SubmissionRow[] = recalculated.sheets[sheet.id] ?? [];
    normalized.sheets[sheet.id].forEach((row, index) => {
      for (const column of computed) {
        const kind = column.computed as ComputedKind;
        const actual = rows[index]?.[column.key];
        cells.push({
          sheet: sheet.id,
          row: index + 1,
          column: column.key,
          expected: expectedValue(kind, template, normalized, row),
          actual: actual === undefined || actual === null || typeof actual === 'boolean' ? null : actual,
        });
      }
    });
  }
  return cells;
}

/**
 * Whether a spreadsheet's value is the core's: text exactly, numbers to a billionth (both are IEEE doubles, but the
 * operations' order differs; LibreOffice also snaps a difference of nearly equal numbers to zero), the contribution
 * to the cent it is rounded to.
 */
export function sameComputedValue(cell: ComputedCell): boolean {
  const { expected, actual } = cell;
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tolerance = cell.column === 'CONTRIBUTO_AS_CALCOLATO' ? 0.01 : 1e-9 * Math.max(1, Math.abs(expected));
    return Math.abs(expected - actual) <= tolerance;
  }
  return expected === actual;
}

/** The submission without its computed columns: what the input cells say, whether or not formulas were computed. */
export function inputsOnly(template: TemplateDef, submission: Submission): Submission {
  const sheets: Record<string, SubmissionRow[]> = {};
  for (const [id, rows] of Object.entries(submission.sheets)) {
    const computed = new Set(
      template.sheets
        .find((sheet) => sheet.id === id)
        ?.columns.filter((column) => column.computed !== undefined)
        .map((column) => column.key),
    );
    sheets[id] = (rows ?? []).map((row) =>
      Object.fromEntries(Object.entries(row).filter(([key]) => !computed.has(key))),
    );
  }
  return { ...submission, sheets };
}
