/** The Region's consolidated workbook as pure data, and the Region's ATS articulation: no Office.js, no I/O. */
export * from './articulation.ts';
export * from './build.ts';
export * from './cells.ts';
export * from './model.ts';
export * from './pages.ts';
export * from './review.ts';
export * from './summary.ts';
