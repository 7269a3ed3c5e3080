import { describe, expect, it } from 'vitest';
import { inspectXlsx } from '../../cli/xlsx/guard.ts';
import { buildZip, WORKBOOK } from './support/zip.ts';

/**
 * The guard counts a worksheet's rows and remembers its merged areas while inflating it, on bytes and across chunk
 * edges: every row tag is counted once whatever the offset it falls at, prefixed (`<x:row>`) or not, self-closing or
 * not, and a `<rowBreaks>` is no row.
 */

function sheet(prefix: string, rows: number): Buffer {
  const parts = ['<?xml version="1.0"?><worksheet><sheetData>'];
  for (let row = 1; row <= rows; row++) {
    parts.push(
      row % 3 === 0
        ? `<${prefix}row r="${row}"/>`
        : `<${prefix}row r="${row}" spans="1:3"><${prefix}c r="A${row}"><${prefix}v>${'9'.repeat(row % 17)}</${prefix}v></${prefix}c></${prefix}row>`,
    );
  }
  parts.push(`</sheetData><${prefix}rowBreaks count="0"/><mergeCells>`);
  for (let merge = 1; merge <= 3; merge++) parts.push(`<${prefix}mergeCell ref="A${merge}:C${merge}"/>`);
  parts.push('</mergeCells></worksheet>');
  return Buffer.from(parts.join(''));
}

describe('the guard’s scan of worksheets', () => {
  it.each(['', 'x:'])('counts every row and names the merged areas (prefix "%s")', async (prefix) => {
    const zip = buildZip([
      { name: 'xl/workbook.xml', data: WORKBOOK },
      { name: 'xl/worksheets/sheet1.xml', data: sheet(prefix, 20_000) },
    ]);
    const inspection = await inspectXlsx(zip);
    expect(inspection.worksheets.get('xl/worksheets/sheet1.xml')).toEqual({
      rows: 20_000,
      merges: ['A1:C1', 'A2:C2', 'A3:C3'],
    });
  });
});
