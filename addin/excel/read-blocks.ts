import { WorkbookReadError } from '../../shared/workbook/index.ts';
import { utf8Length } from './batch.ts';
import type { HostContext } from './host.ts';
import { columnLetter } from './layout.ts';

/**
 * Reading used ranges whose values would not fit in one answer. Excel on the web refuses a response over 5 MB
 * (Microsoft, "Resource limits and performance optimization for Office Add-ins") with the error code
 * `ResponsePayloadSizeLimitExceeded` (`Excel.ErrorCodes.responsePayloadSizeLimitExceeded` in @types/office-js; the
 * library's message points to that page). A cell holds up to 32,767 characters, so no fixed bound per cell keeps blocks
 * useful: the first blocks are planned for typical data, later ones on the bytes per cell the answers so far measured,
 * and a refused answer halves its blocks and doubles the bound for the rest, until every answer fits.
 */

export const EXCEL_WEB_RESPONSE_LIMIT = 5_000_000;
export const RESPONSE_TOO_LARGE = 'ResponsePayloadSizeLimitExceeded';

export function isResponseTooLarge(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === RESPONSE_TOO_LARGE;
}

/** A used range as Office.js describes it: 0-based first row and column, and its size. */
export interface RangeShape {
  readonly sheet: string;
  readonly rowIndex: number;
  readonly columnIndex: number;
  readonly rowCount: number;
  readonly columnCount: number;
}

/** A used range's values with its 0-based position, as `Range.values` with `rowIndex` and `columnIndex`. */
export interface ValueGrid {
  readonly rowIndex: number;
  readonly columnIndex: number;
  readonly values: unknown[][];
}

/** Planned JSON bytes per cell before any answer: a short text or number with its quotes and comma. */
const TYPICAL_CELL_BYTES = 24;
/** Planned answers stay this far below the limit, since Excel wraps the values in its own result objects. */
const PLANNED_ANSWER_BYTES = 4_000_000;

interface Block {
  readonly shape: number;
  /** First row of the block, counted from the used range's first row. */
  readonly offset: number;
  readonly rows: number;
}

function split(shape: number, offset: number, rows: number, perBlock: number): Block[] {
  const blocks: Block[] = [];
  for (let start = 0; start < rows; start += perBlock) {
    blocks.push({ shape, offset: offset + start, rows: Math.min(perBlock, rows - start) });
  }
  return blocks;
}

function address(shape: RangeShape, block: Block): string {
  const top = shape.rowIndex + block.offset + 1;
  const left = columnLetter(shape.columnIndex);
  const right = columnLetter(shape.columnIndex + shape.columnCount - 1);
  return `${left}${top}:${right}${top + block.rows - 1}`;
}

/**
 * Loads the values of every shape in row blocks, several blocks (of any sheets) per round trip as long as the planned
 * answer stays under the bound, and returns one grid per shape, in order.
 */
export async function readInBlocks(context: HostContext, shapes: readonly RangeShape[]): Promise<ValueGrid[]> {
  /** Raised by refusals, so later blocks are not planned at the size just refused. */
  let floor = 0;
  /** Per range, the bytes and cells of its answers so far: a sheet's rows resemble each other more than other sheets'. */
  const answered = shapes.map(() => ({ bytes: 0, cells: 0 }));
  const cellBytes = (shape: number): number => {
    const seen = answered[shape];
    return Math.max(floor, seen && seen.cells > 0 ? seen.bytes / seen.cells : TYPICAL_CELL_BYTES, 1);
  };
  const rowsPerBlock = (shape: RangeShape, index: number): number =>
    Math.max(1, Math.floor(PLANNED_ANSWER_BYTES / (shape.columnCount * cellBytes(index))));
  const blockBytes = (block: Block): number =>
    block.rows * (shapes[block.shape]?.columnCount ?? 0) * cellBytes(block.shape);
  const grids = shapes.map((shape): unknown[][] => new Array(shape.rowCount));
  let pending = shapes.flatMap((shape, index) => split(index, 0, shape.rowCount, rowsPerBlock(shape, index)));
  while (pending.length > 0) {
    const trip: Block[] = [];
    let planned = 0;
    for (const block of pending) {
      if (trip.length > 0 && planned + blockBytes(block) > PLANNED_ANSWER_BYTES) break;
      trip.push(block);
      planned += blockBytes(block);
    }
    pending = pending.slice(trip.length);
    const ranges = trip.map((block) => {
      const shape = shapes[block.shape] as RangeShape;
      return context.workbook.worksheets.getItem(shape.sheet).getRange(address(shape, block)).load('values');
    });
    try {
      await context.sync();
    } catch (error) {
      if (!isResponseTooLarge(error)) throw error;
      const [only] = trip;
      if (trip.length === 1 && only && only.rows === 1) {
        const shape = shapes[only.shape] as RangeShape;
        throw new WorkbookReadError(
          `La riga ${shape.rowIndex + only.offset + 1} del foglio «${shape.sheet}» contiene più testo di quanto Excel sul web restituisca in una risposta (5 MB): accorciare il testo delle sue celle.`,
        );
      }
      floor = 2 * Math.max(...trip.map((block) => cellBytes(block.shape)));
      const halved = trip.flatMap((block) =>
        split(block.shape, block.offset, block.rows, Math.max(1, Math.ceil(block.rows / 2))),
      );
      pending = [...halved, ...pending];
      continue;
    }
    trip.forEach((block, index) => {
      const grid = grids[block.shape] as unknown[][];
      const values = ranges[index]?.values ?? [];
      values.forEach((line, row) => {
        grid[block.offset + row] = line;
      });
      const seen = answered[block.shape];
      if (seen) {
        seen.bytes += utf8Length(JSON.stringify(values));
        seen.cells += block.rows * (shapes[block.shape]?.columnCount ?? 0);
      }
    });
  }
  return shapes.map((shape, index) => ({
    rowIndex: shape.rowIndex,
    columnIndex: shape.columnIndex,
    values: grids[index] as unknown[][],
  }));
}
