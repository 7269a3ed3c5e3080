/**
 * The shape of a template definition. A template is data: one definition draws the Excel sheets, reads them back,
 * yields the zod schemas and the JSON Schema, drives the checks, writes the .xlsx and the documentation.
 */

export const SHEET_IDS = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6'] as const;
export type SheetId = (typeof SHEET_IDS)[number];

/**
 * - code: a value from a code list or a formatted identifier, always text (leading zeros survive)
 * - text: free text
 * - integer / decimal / money: JSON numbers (money has two decimals)
 * - date: ISO `YYYY-MM-DD` on the wire, `gg/mm/aaaa` in Excel
 * - flag: "S" or "N"
 */
export type ColumnType = 'code' | 'text' | 'integer' | 'decimal' | 'money' | 'date' | 'flag';

/** A condition on the same row that makes a column required. Evaluated on normalised values. */
export type RequiredWhen =
  | { readonly column: string; readonly equals: string | number }
  | { readonly column: string; readonly greaterThan: number };

/**
 * `rule` names the check that reports a missing conditional value (T1.4 for the Ufficio di Piano, T4.5 for the
 * non-committed sums, …); without it the column's own rule does.
 */
export type Requirement =
  | 'required'
  | 'optional'
  | 'computed'
  | { readonly when: RequiredWhen; readonly text: string; readonly rule?: string };

/** How the template computes a column. Excel formulas are built from this by the add-in and the .xlsx writer. */
export type ComputedKind =
  | 'T1_POPOLAZIONE_TOT'
  | 'T1_FTE_AS_TI'
  | 'T1_CONTRIBUTO_AS'
  | 'T3_GIORNI_IN_SERVIZIO'
  | 'T3_FTE'
  | 'T4_IMPORTO_NON_IMPEGNATO'
  | 'T6_UNITA';

export interface ColumnDef {
  readonly key: string;
  /** Italian header shown in Excel. */
  readonly header: string;
  readonly type: ColumnType;
  readonly requirement: Requirement;
  readonly codeList?: CodeListId;
  readonly unit?: string;
  /** Set for computed columns: the product fills them; a typed value is checked against the recomputation. */
  readonly computed?: ComputedKind;
  readonly min?: number;
  /** Exclusive lower bound, for "> 0". */
  readonly minExclusive?: number;
  readonly max?: number;
  readonly maxLength?: number;
  /** Regular expression source the (trimmed) text must match. */
  readonly pattern?: string;
  /** Italian description of the pattern, for messages. */
  readonly patternText?: string;
  /**
   * The rule under which problems of this column's own value (missing, type, range, pattern, code list) are reported.
   * Defaults to the sheet's column rule: T1.1 for T1, `Tn.0` ("definizione del modello") for the others.
   */
  readonly rule?: string;
  /** Excel number format (codes are "@", text). */
  readonly excelFormat: string;
  /** Excel column width in characters. */
  readonly width: number;
}

export interface SheetDef {
  readonly id: SheetId;
  /** The Excel sheet name (at most 31 characters). */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** The domain.md section, for references. */
  readonly specSection: string;
  /** At most one row (T1). */
  readonly singleRow: boolean;
  readonly columns: readonly ColumnDef[];
}

export interface CodeValue {
  readonly code: string;
  readonly label: string;
}

export type CodeListId =
  | 'FONDO'
  | 'QUOTA'
  | 'LEPS'
  | 'INTERVENTO'
  | 'AREA'
  | 'MODALITA'
  | 'COD_REGIONE'
  | 'FORMA_GESTIONE'
  | 'COINCIDENZA_DISTRETTO'
  | 'TIPO_DATO'
  | 'ENTE_DATORE_TIPO'
  | 'PROFILO'
  | 'TIPO_RAPPORTO'
  | 'FONTE_COSTO'
  | 'MOTIVAZIONE_NON_IMPEGNATO'
  | 'LINEA_PNRR'
  | 'INDICATORE'
  | 'FONTE_INDICATORE'
  | 'SN';

export interface CodeList {
  readonly id: CodeListId;
  readonly title: string;
  readonly values: readonly CodeValue[];
}

export interface IndicatorDef {
  readonly code: string;
  readonly leps: string;
  readonly label: string;
  readonly unit: string;
  /** Counts must be whole numbers (T6.1). */
  readonly integer: boolean;
  readonly max?: number;
  /** Filled by the product from T3 (T6.5); a typed value is checked. */
  readonly computed?: boolean;
}

export interface TemplateDef {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly publishedAt: string;
  readonly sheets: readonly SheetDef[];
  readonly codeLists: Readonly<Record<CodeListId, CodeList>>;
  readonly indicators: readonly IndicatorDef[];
}
