/** The workbook core: layout, formulas, reading and locating, shared by the add-in and the command line. */
export * from './check.ts';
export * from './envelope.ts';
export * from './formulas.ts';
export * from './grid.ts';
export * from './headers.ts';
export * from './layout.ts';
export * from './locate.ts';
export * from './reader.ts';
export * from './template-spec.ts';
