import { formatNumber } from '../../domain/italian-format.ts';
import { QUOTA_FONDI } from '../../template/code-lists.ts';
import type { SheetId } from '../../template/types.ts';
import { num, perSheet, str } from '../derived.ts';
import type { CheckContext, FindingInput, NormalizedRow, NormalizedSubmission } from '../types.ts';

/**
 * Helpers shared by the checks of T4 (Quadro_Finanziario_Fondi), T5 (Spesa_LEPS_Interventi) and T6 (Indicatori_LEPS):
 * row keys, sums, the PNRR line of a row and the fixed lists the spec names. Pure functions of normalised rows.
 */

/**
 * Amounts carry two decimals: two amounts that differ by less than half a cent are equal. Not a business tolerance
 * (those are in params), only protection against binary floating point (0.1 + 0.2 ≠ 0.3).
 */
export const HALF_CENT = 0.005;
/** "±0.01" of the lead's interpretation for T4.0 and T4.8: one cent, plus the floating-point margin. */
export const CENT = 0.01 + 1e-9;

/** An Italian message when the row's QUOTA does not belong to its FONDO (QUOTA_FONDI), else null. */
export function quotaFundMismatch(row: NormalizedRow): string | null {
  const fund = str(row.FONDO);
  const quota = str(row.QUOTA);
  if (fund === null || quota === null) return null;
  const funds = QUOTA_FONDI[quota];
  if (funds === undefined || funds.includes(fund)) return null;
  return `Quota ${quota} non ammessa per il fondo ${fund} (ammessa per: ${funds.join(', ')}).`;
}

/** The finding locator and the rows of one sheet, so each sheet's module names its sheet once. */
export function sheetAccess(sheet: SheetId): {
  at: (row: number | null, column: string | null, message: string) => FindingInput;
  rowsOf: (context: CheckContext) => readonly NumberedRow[];
  /**
   * Visits every row with its 1-based number. An indexed loop, not for…of over numbered rows: a check runs once per
   * validation, mostly before the optimiser steps in, and each for…of step then allocates an iterator result (tens of
   * megabytes of garbage over a dozen checks of 50,000 rows).
   */
  each: (context: CheckContext, visit: (row: NormalizedRow, number: number) => void) => void;
} {
  return {
    at: (row, column, message) => ({ sheet, row, column, message }),
    rowsOf: (context) => numbered(context.submission.sheets[sheet]),
    each: (context, visit) => {
      const rows = context.submission.sheets[sheet];
      for (let index = 0; index < rows.length; index++) visit(rows[index] as NormalizedRow, index + 1);
    },
  };
}

export const amount = (row: NormalizedRow, column: string): number | null => num(row[column]);
/** An optional amount left empty counts as zero in sums. */
export const amountOrZero = (row: NormalizedRow, column: string): number => num(row[column]) ?? 0;

/** `left` is greater than `right` by at least a cent. */
export const exceeds = (left: number, right: number): boolean => left - right > HALF_CENT;

type KeyPart = string | number;

/** The map under `key`, made empty on first use. */
function level<V>(parent: Map<KeyPart, Map<KeyPart, V>>, key: KeyPart): Map<KeyPart, V> {
  let child = parent.get(key);
  if (child === undefined) {
    child = new Map();
    parent.set(key, child);
  }
  return child;
}

/**
 * The key of a tuple of four parts, built once per distinct tuple: a sheet of 50,000 rows has a few hundred distinct
 * (FONDO, QUOTA, ANNUALITA, …) tuples, and joining the parts anew on every row was garbage that grew with the rows.
 */
function tupleKeys(): (first: KeyPart, second: KeyPart, third: KeyPart, fourth: KeyPart) => string {
  const root = new Map<KeyPart, Map<KeyPart, Map<KeyPart, Map<KeyPart, string>>>>();
  // Plain lookups, no helper taking a "create" callback: a closure per row and level was itself the garbage.
  return (first, second, third, fourth) => {
    const leaves = level(level(level(root, first), second), third);
    let key = leaves.get(fourth);
    if (key === undefined) {
      key = `${first}|${second}|${third}|${fourth}`;
      leaves.set(fourth, key);
    }
    return key;
  };
}

const fundKeysPerSheet = perSheet((rows, _none: undefined) => {
  const key = tupleKeys();
  return rows.map((row) =>
    key(str(row.FONDO) ?? '', str(row.QUOTA) ?? '', num(row.ANNUALITA) ?? '', str(row.CUP) ?? ''),
  );
});

/** Each T4 row's identity across periods, (FONDO, QUOTA, ANNUALITA, CUP), indexed like the rows. */
export const fundKeysOf = (rows: readonly NormalizedRow[]): readonly string[] => fundKeysPerSheet(rows, undefined);

/**
 * The group each row of a T4 or T5 sheet sums into for T5.2, (FONDO, QUOTA, ANNUALITA, DATA_RIF or else the period),
 * indexed like the rows.
 */
export const sumKeysOf = perSheet((rows, period: string) => {
  const key = tupleKeys();
  return rows.map((row) =>
    key(str(row.FONDO) ?? '', str(row.QUOTA) ?? '', num(row.ANNUALITA) ?? '', str(row.DATA_RIF) ?? period),
  );
});

/** One T5 group of T5.2: its first row (to name and locate it) and its totals, summed in sheet order. */
export interface SpendingGroup {
  readonly first: NumberedRow;
  committed: number;
  paidOut: number;
}

const spendingPerSheet = perSheet((rows, period: string): ReadonlyMap<string, Readonly<SpendingGroup>> => {
  const keys = sumKeysOf(rows, period);
  const groups = new Map<string, SpendingGroup>();
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index] as NormalizedRow;
    const key = keys[index] as string;
    let group = groups.get(key);
    if (group === undefined) {
      group = { first: { row, number: index + 1 }, committed: 0, paidOut: 0 };
      groups.set(key, group);
    }
    group.committed += amountOrZero(row, 'IMPEGNATO');
    group.paidOut += amountOrZero(row, 'LIQUIDATO');
  }
  return groups;
});

/** T5 grouped by sumKeysOf with IMPEGNATO and LIQUIDATO totals: built once, read by T5.2 and T5.8. */
export function spendingBySumKey(submission: NormalizedSubmission): ReadonlyMap<string, Readonly<SpendingGroup>> {
  return spendingPerSheet(submission.sheets.T5, submission.period);
}

/** "FP QSFP 2024" (and the CUP when there is one), to name a T4 row in a message. */
export function describeFund(row: NormalizedRow): string {
  const parts = [str(row.FONDO) ?? '?', str(row.QUOTA) ?? '?', String(num(row.ANNUALITA) ?? '?')];
  const cup = str(row.CUP);
  return cup ? `${parts.join(' ')} (CUP ${cup})` : parts.join(' ');
}

/** The reference date of a row: its own DATA_RIF, else the submission's period. */
export const rowDate = (row: NormalizedRow, period: string): string => str(row.DATA_RIF) ?? period;

/** The year of the submission's reference date (N in T4.12–T4.14). */
export const periodYear = (submission: NormalizedSubmission): number => Number(submission.period.slice(0, 4));

/** Rows with their 1-based row number, as findings count them. */
export interface NumberedRow {
  readonly row: NormalizedRow;
  readonly number: number;
}

/**
 * Built once per sheet and shared by every check of the validation (rows are immutable): a dozen checks per sheet each
 * numbering 50,000 rows again was garbage that made large validations grow faster than their rows.
 */
const numberedPerSheet = perSheet((rows, _none: undefined): readonly NumberedRow[] =>
  rows.map((row, index) => ({ row, number: index + 1 })),
);

export const numbered = (rows: readonly NormalizedRow[]): readonly NumberedRow[] => numberedPerSheet(rows, undefined);

/** Groups rows by a key, keeping the sheet order inside each group and the order of first appearance. */
export function groupBy(
  rows: readonly NumberedRow[],
  key: (row: NormalizedRow, number: number) => string,
): Map<string, NumberedRow[]> {
  const groups = new Map<string, NumberedRow[]>();
  for (const entry of rows) {
    const name = key(entry.row, entry.number);
    const group = groups.get(name);
    if (group) group.push(entry);
    else groups.set(name, [entry]);
  }
  return groups;
}

export function sum(rows: readonly NumberedRow[], column: string): number {
  return rows.reduce((total, entry) => total + amountOrZero(entry.row, column), 0);
}

/** 0.5 → "50%", 0.755 → "75,5%". */
export const formatShare = (share: number): string => `${formatNumber(Math.round(share * 1000) / 10)}%`;

/**
 * The PNRR M5C2 line of a row: LINEA_PNRR when given, else the line named by the QUOTA code (M5C2_1.1.1 → 1.1.1).
 * Null when neither says it.
 */
export function pnrrLine(row: NormalizedRow): string | null {
  const line = str(row.LINEA_PNRR);
  if (line) return line;
  const quota = str(row.QUOTA);
  return quota?.startsWith('M5C2_') ? quota.slice('M5C2_'.length) : null;
}

/** T5.3: interventions of art. 7 c. 1 lett. a–h D.Lgs. 147/2017, the only ones the Quota Servizi finances. */
export const isArt7Intervention = (code: string): boolean => /^INT_147_[a-h]$/.test(code);

/** T5.4: LEPS the Quota Povertà Estrema may finance (NON_LEPS stands for grave emarginazione). */
export const QPE_LEPS: readonly string[] = ['LEPS_PIS', 'LEPS_RES', 'NON_LEPS'];

/** T5.5: LEPS of non autosufficienza (PNNA 2022-24: domiciliari, sollievo, supporto; PUA–UVM–PAI). */
export const FNA_LEPS: readonly string[] = ['LEPS_NA_DOM', 'LEPS_NA_SOL', 'LEPS_NA_SUP', 'LEPS_PUA'];

/** T5.6: LEPS consistent with each PNRR M5C2 line (1.1.2 → the non-autosufficienza LEPS is [inferred]). */
export const PNRR_LINE_LEPS: Readonly<Record<string, readonly string[]>> = {
  '1.1.1': ['LEPS_PIPPI'],
  '1.1.2': FNA_LEPS,
  '1.1.3': ['LEPS_DIM'],
  '1.1.4': ['LEPS_SUP'],
  '1.2': ['LEPS_DDN'],
  '1.3.1': ['LEPS_RES', 'NON_LEPS'],
  '1.3.2': ['LEPS_RES', 'NON_LEPS'],
};

/** T5.8: earmarked FNPS quotas and the LEPS each finances. */
export const FNPS_EARMARKED: Readonly<Record<string, string>> = {
  FNPS_PIPPI: 'LEPS_PIPPI',
  FNPS_SUP: 'LEPS_SUP',
  FNPS_DIM: 'LEPS_DIM',
};

/** The LEPS's Italian label for messages, e.g. "LEPS_PIPPI (Prevenzione allontanamento familiare (P.I.P.P.I.))". */
export function lepsLabel(submission: NormalizedSubmission, code: string): string {
  const label = submission.template.codeLists.LEPS.values.find((entry) => entry.code === code)?.label;
  return label ? `${code} – ${label}` : code;
}
