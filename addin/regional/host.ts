/**
 * The part of the Excel JavaScript API the regional module uses, as structural types: the same approach as
 * addin/excel/host.ts (whose fake host implements it), widened with what only the Region needs (charts, renaming a
 * sheet, the selection). The real `Excel.RequestContext` must satisfy these types; the check at the bottom makes tsc
 * fail if Office.js changes a signature used here.
 */

export interface RegionalFill {
  color: string;
}

export interface RegionalRangeFormat {
  fill: RegionalFill;
  font: { bold: boolean; color: string };
  columnWidth: number;
  wrapText: boolean;
}

export interface RegionalRange {
  readonly address: string;
  readonly rowIndex: number;
  readonly values: unknown[][];
  numberFormat: unknown[][];
  readonly format: RegionalRangeFormat;
  readonly worksheet: { readonly name: string; load(propertyNames: string | string[]): unknown };
  load(propertyNames: string | string[]): unknown;
}

/** `values` is assignable on a range; declared apart so the read side above stays `readonly` for loads. */
export type WritableRange = RegionalRange & { values: unknown[][] };

export interface RegionalChartSeries {
  chartType: string;
  setXAxisValues(sourceData: RegionalRange): void;
}

export interface RegionalChart {
  readonly title: { text: string };
  readonly series: { getItemAt(index: number): RegionalChartSeries };
  setPosition(startCell: string, endCell?: string): void;
}

export interface RegionalWorksheet {
  name: string;
  getRange(address?: string): WritableRange;
  getUsedRangeOrNullObject(valuesOnly?: boolean): WritableRange & { readonly isNullObject: boolean };
  readonly charts: {
    add(type: 'ColumnClustered' | 'BarClustered', sourceData: RegionalRange, seriesBy?: 'Columns'): RegionalChart;
  };
  readonly freezePanes: { freezeRows(count?: number): void };
  readonly notes?: { add(cellAddress: string, content: string): unknown };
  activate(): void;
  delete(): void;
}

export interface RegionalWorksheets {
  readonly items: ReadonlyArray<{ readonly name: string }>;
  load(propertyNames: string | string[]): unknown;
  add(name?: string): RegionalWorksheet;
  getItem(name: string): RegionalWorksheet;
  getItemOrNullObject(
    name: string,
  ): RegionalWorksheet & { readonly isNullObject: boolean; load(propertyNames: string | string[]): unknown };
}

export interface RegionalContext {
  readonly workbook: {
    readonly worksheets: RegionalWorksheets;
    getSelectedRange(): RegionalRange;
  };
  sync(): Promise<unknown>;
}

/** Excel.run for the regional module, or a fake's equivalent. */
export type RegionalRun = <T>(batch: (context: RegionalContext) => Promise<T>) => Promise<T>;

export const regionalRunFromOffice = (excel: typeof Excel): RegionalRun => {
  return <T>(batch: (context: RegionalContext) => Promise<T>) =>
    excel.run((context: Excel.RequestContext) => batch(context as unknown as RegionalContext));
};

// Compile-time proof that the real API fits the shapes used here.
type Assignable<T, U extends T> = U;
export type RealChartsFit = Assignable<Pick<RegionalChart, 'setPosition'>, Excel.Chart>;
export type RealSeriesFit = Assignable<Pick<RegionalChartSeries, 'setXAxisValues'>, Excel.ChartSeries>;
export type RealSheetFits = Assignable<Pick<RegionalWorksheet, 'activate' | 'delete' | 'freezePanes'>, Excel.Worksheet>;
export type RealSheetsFit = Assignable<Pick<RegionalWorksheets, 'add' | 'getItem'>, Excel.WorksheetCollection>;
