import type { Finding } from '../checks/types.ts';
import type { Submission } from '../contract/submission.ts';
import type { SheetId, TemplateDef } from '../template/types.ts';
import type { SheetCells } from './grid.ts';

export type CellMap = Readonly<Partial<Record<SheetId, SheetCells>>>;

/** What reading a workbook gives, in every channel. */
export interface WorkbookRead {
  readonly template: TemplateDef;
  /**
   * The submission as the workbook holds it. When the workbook gives no valid ATS code or period (and no override
   * does), `ats` / `period` are '' and `findings` say so (T1.1, S.1): such a submission cannot be checked or sent.
   */
  readonly submission: Submission;
  readonly cells: CellMap;
  /** Problems of the workbook itself (layout, unreadable cells, missing envelope), as findings of the catalogue. */
  readonly findings: readonly Finding[];
}
