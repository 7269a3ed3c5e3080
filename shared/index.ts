/** The domain, pure: templates, schemas, checks, domain functions. No I/O: the add-in, the functions and the CLI import it. */
export * from './checks/catalogue.ts';
export { contributionOf, contributionPopulation, fteAsTi, populationTotal, staffRow } from './checks/derived.ts';
export * from './checks/engine.ts';
export * from './checks/params.ts';
export type * from './checks/types.ts';
export * from './contract/submission.ts';
export * from './domain/codice-fiscale.ts';
export * from './domain/contribution.ts';
export * from './domain/cup.ts';
export * from './domain/fte.ts';
export * from './domain/italian-format.ts';
export * from './reference/comuni.ts';
export * from './template/index.ts';
