import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { boundFindings, FINDING_LIMITS } from '../../shared/checks/bound.ts';
import { validateSubmission } from '../../shared/checks/engine.ts';
import { NOW, validSubmission } from '../support/builders.ts';

/**
 * keepPerRule (shared/checks/collector.ts): the engine keeps only what the bound can take from each rule, counting
 * everything. Bounding what it kept must give exactly what bounding the full list gives, with the same counts.
 */

const comuni = loadComuni();

/** A valid submission with empty and half-filled rows added: many findings of a few rules, in several sheets. */
const noisySubmission = fc
  .record({
    t3: fc.array(fc.constantFrom({}, { PROFILO: 'AS' }, { ORE_SETT: -1 }, { COD_ATS: 'X' }), { maxLength: 40 }),
    t5: fc.array(fc.constantFrom({}, { IMPEGNATO: 'dieci' }, { FONDO: 'FNPS' }), { maxLength: 40 }),
    t2: fc.array(fc.constantFrom({}, { COD_ISTAT_COMUNE: '099999' }), { maxLength: 10 }),
  })
  .map(({ t3, t5, t2 }) => {
    const base = validSubmission();
    return {
      ...base,
      sheets: {
        ...base.sheets,
        T2: [...(base.sheets.T2 ?? []), ...t2],
        T3: [...(base.sheets.T3 ?? []), ...t3],
        T5: [...(base.sheets.T5 ?? []), ...t5],
      },
    };
  });

describe('keepPerRule', () => {
  it('gives the bound of the full list, and the full counts', () => {
    fc.assert(
      fc.property(
        noisySubmission,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 80 }),
        (submission, perRule, total) => {
          const limits = { ...FINDING_LIMITS, perRule, total };
          const full = validateSubmission(submission, { comuni, now: NOW });
          const kept = validateSubmission(submission, { comuni, now: NOW, keepPerRule: perRule });
          if (!full.ok || !kept.ok) throw new Error('schema error');
          const fromFull = boundFindings(full.findings, limits);
          const fromKept = boundFindings(kept.findings, limits);
          expect(fromKept.findings).toEqual(fromFull.findings);
          expect(kept.countsByRule).toEqual(fromFull.countsByRule);
          expect(full.countsByRule).toEqual(fromFull.countsByRule);
          expect(kept.summary).toEqual(full.summary);
          for (const rule of Object.keys(kept.countsByRule)) {
            const ofRule = kept.findings.filter((finding) => finding.rule === rule);
            expect(ofRule.filter((finding) => finding.severity === 'error').length).toBeLessThanOrEqual(perRule);
            expect(ofRule.filter((finding) => finding.severity === 'warning').length).toBeLessThanOrEqual(perRule);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('holds 400,000 empty rows in memory bounded by the rules: 4.8 million findings counted, a few thousand kept', () => {
    const rows = Array.from({ length: 200_000 }, () => ({}));
    const outcome = validateSubmission(
      { ...validSubmission(), sheets: { T3: rows, T5: rows } },
      { comuni, now: NOW, keepPerRule: 1000 },
    );
    if (!outcome.ok) throw new Error('schema error');
    const counted = outcome.summary.errors + outcome.summary.warnings;
    expect(counted).toBeGreaterThan(2_000_000);
    expect(outcome.findings.length).toBeLessThanOrEqual(2 * 1000 * Object.keys(outcome.countsByRule).length);
  });
});
