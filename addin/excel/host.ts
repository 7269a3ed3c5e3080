/**
 * Exactly the part of the Excel JavaScript API the add-in uses, as structural types. The real `Excel.RequestContext`
 * satisfies them (checked at compile time below), and test/addin/fake-excel.ts implements them with Excel's proxy
 * semantics, so the code is tested against the same surface it runs on.
 */

export type CellScalar = string | number | boolean;

export interface HostFill {
  color: string;
  clear(): void;
}

export interface HostFont {
  bold: boolean;
  color: string;
}

export interface HostRangeFormat {
  fill: HostFill;
  font: HostFont;
  columnWidth: number;
  wrapText: boolean;
  protection: { locked: boolean };
}

export interface HostListRule {
  list?: { inCellDropDown: boolean; source: unknown };
}

export interface HostDataValidation {
  clear(): void;
  rule: HostListRule;
  errorAlert: { showAlert: boolean; style: string; title: string; message: string };
  prompt: { showPrompt: boolean; title: string; message: string };
  ignoreBlanks: boolean;
}

export interface HostConditionalFormat {
  custom: { rule: { formula: string }; format: { fill: { color: string }; font: { color: string } } };
}

export interface HostConditionalFormats {
  add(type: 'Custom'): HostConditionalFormat;
  clearAll(): void;
}

export interface HostRange {
  readonly isNullObject: boolean;
  readonly address: string;
  readonly rowIndex: number;
  readonly columnIndex: number;
  readonly rowCount: number;
  readonly columnCount: number;
  values: unknown[][];
  formulas: unknown[][];
  numberFormat: unknown[][];
  readonly format: HostRangeFormat;
  readonly dataValidation: HostDataValidation;
  readonly conditionalFormats: HostConditionalFormats;
  load(propertyNames: string | string[]): HostRange;
  clear(applyTo?: 'All' | 'Formats' | 'Contents'): void;
  select(): void;
  /** Deletes the range's cells, shifting those below up (whole rows: deleting the rows). */
  delete(shift: 'Up' | 'Left'): void;
  readonly worksheet: HostWorksheet;
}

export interface HostNotes {
  add(cellAddress: string, content: string): unknown;
  getItemOrNullObject(cellAddress: string): { delete(): void };
}

/** Excel.WorksheetProtectionOptions (ExcelApi 1.2), the options the template's protection sets. */
export interface HostProtectionOptions {
  allowAutoFilter?: boolean;
  allowDeleteColumns?: boolean;
  allowDeleteRows?: boolean;
  allowEditObjects?: boolean;
  allowFormatCells?: boolean;
  allowFormatColumns?: boolean;
  allowFormatRows?: boolean;
  allowInsertColumns?: boolean;
  allowInsertHyperlinks?: boolean;
  allowInsertRows?: boolean;
  allowPivotTables?: boolean;
  allowSort?: boolean;
}

export interface HostProtection {
  readonly protected: boolean;
  /** The current protection's options (meaningful when protected). */
  readonly options: HostProtectionOptions;
  protect(options?: HostProtectionOptions): void;
  unprotect(): void;
  load(propertyNames: string | string[]): unknown;
}

export interface HostWorksheet {
  readonly isNullObject: boolean;
  readonly name: string;
  visibility: 'Visible' | 'Hidden' | 'VeryHidden';
  tabColor: string;
  readonly protection: HostProtection;
  readonly notes: HostNotes;
  getRange(address?: string): HostRange;
  getUsedRangeOrNullObject(valuesOnly?: boolean): HostRange;
  activate(): void;
  delete(): void;
  load(propertyNames: string | string[]): HostWorksheet;
  freezePanes: { freezeRows(count?: number): void };
}

export interface HostWorksheets {
  readonly items: HostWorksheet[];
  add(name?: string): HostWorksheet;
  getItem(name: string): HostWorksheet;
  getItemOrNullObject(name: string): HostWorksheet;
  load(propertyNames: string | string[]): HostWorksheets;
}

/** A defined name, loaded only to learn whether it exists (ExcelApi 1.4). */
export interface HostNamedItem {
  readonly isNullObject: boolean;
  load(propertyNames: string | string[]): HostNamedItem;
}

/** Workbook-scoped defined names (ExcelApi 1.4). */
export interface HostNames {
  add(name: string, reference: string, comment?: string): unknown;
  getItemOrNullObject(name: string): HostNamedItem;
}

export interface HostContext {
  readonly workbook: {
    readonly worksheets: HostWorksheets;
    readonly names: HostNames;
    /** The user's current selection (ExcelApi 1.1); fails on a selection of several areas. */
    getSelectedRange(): HostRange;
  };
  sync(): Promise<unknown>;
}

/** Excel.run, or the fake's equivalent: one batch, one context. */
export type ExcelRun = <T>(batch: (context: HostContext) => Promise<T>) => Promise<T>;

/** Newer features the host may lack, detected once with Office.context.requirements.isSetSupported. */
export interface HostFeatures {
  /** Cell notes, ExcelApi 1.18. */
  readonly notes: boolean;
}

// Compile-time proof that the real API fits these types: if Office.js changes a signature we use, tsc fails here.
const fitsOffice = (context: Excel.RequestContext): HostContext => context;

/** Excel.run typed to the surface above. */
export function excelRunFromOffice(): ExcelRun {
  return <T>(batch: (context: HostContext) => Promise<T>) =>
    Excel.run((context: Excel.RequestContext) => batch(fitsOffice(context)));
}
