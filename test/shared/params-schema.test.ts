import { describe, expect, it } from 'vitest';
import { regionParametersSchema } from '../../shared/checks/params-schema.ts';

/**
 * The parameter schema's messages name the bounds the Italian way. They are built when an issue is raised, not when
 * the module loads (shared/checks/params-schema.ts: formatting at import cost each function ~20 ms of cold start), so
 * these check that the lazily built messages say what the eager ones said.
 */

function messagesOf(parameters: unknown): string[] {
  const result = regionParametersSchema.safeParse(parameters);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('region parameter messages', () => {
  it('names both bounds, with Italian digit grouping and decimal comma', () => {
    expect(messagesOf({ indicatorChangeMinCount: 2_000_000 })).toEqual([
      'Valore troppo alto: numero minimo di casi tra 0 e 1.000.000.',
    ]);
    expect(messagesOf({ populationChangeWarning: 0 })).toEqual([
      'Valore troppo basso: variazione relativa della popolazione tra 0,001 e 10.',
    ]);
    expect(messagesOf({ fullTimeHours: 'tre' })).toEqual([
      'Valore non valido: atteso un numero, ore settimanali a tempo pieno tra 1 e 48.',
    ]);
  });

  // Italian groups digits from five on (CLDR's minimum grouping digits): 2000, but 1.000.000.
  it('says how many entries a record may have', () => {
    const deadlines = Object.fromEntries(
      Array.from({ length: 101 }, (_, index) => [String(1900 + index), '2025-01-31']),
    );
    expect(messagesOf({ siossDeadlines: deadlines })).toEqual(['Troppe voci: al massimo 100.']);
    const amounts = Object.fromEntries(
      Array.from({ length: 2001 }, (_, index) => [
        `ATS-05-${String(index % 1000).padStart(3, '0')}|FNPS|Q${Math.floor(index / 1000)}|2025`,
        { amount: 1, act: 'DGR 1/2025' },
      ]),
    );
    expect(messagesOf({ ripartoAmounts: amounts })).toEqual(['Troppe voci: al massimo 2000.']);
  });

  it('accepts values within the bounds without building a message', () => {
    expect(messagesOf({ fullTimeHours: 36, indicatorChangeMinCount: 1_000_000 })).toEqual([]);
  });
});
