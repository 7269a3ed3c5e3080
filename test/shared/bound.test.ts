import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundFindings, escapedFindingBytes, type FindingLimits, truncationNotes } from '../../shared/checks/bound.ts';

interface F {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly id: number;
  readonly message: string;
}

const finding = fc.record({
  rule: fc.constantFrom('T1.1', 'T2.3', 'T5.3', 'S.1', 'T6.8'),
  severity: fc.constantFrom('error' as const, 'warning' as const),
  message: fc.string({ maxLength: 40 }),
});
const list = fc.array(finding, { maxLength: 300 }).map((items) => items.map((item, id): F => ({ ...item, id })));
const limits = fc.record({
  perRule: fc.integer({ min: 0, max: 60 }),
  total: fc.integer({ min: 0, max: 200 }),
  maxBytes: fc.integer({ min: 0, max: 20_000 }),
});

describe('boundFindings', () => {
  it('never passes the caps, keeps full counts, a prefix of each rule, errors first; idempotent', () => {
    fc.assert(
      fc.property(list, limits, (findings, caps: FindingLimits) => {
        const bounded = boundFindings(findings, caps);
        const kept = bounded.findings;
        expect(kept.length).toBeLessThanOrEqual(caps.total);
        expect(kept.reduce((sum, item) => sum + escapedFindingBytes(item), 0)).toBeLessThanOrEqual(caps.maxBytes);
        const rules = new Set(findings.map((item) => item.rule));
        for (const rule of rules) {
          const ofRule = kept.filter((item) => item.rule === rule);
          expect(ofRule.length).toBeLessThanOrEqual(caps.perRule);
          // Full counts.
          expect(bounded.countsByRule[rule]).toEqual({
            errors: findings.filter((item) => item.rule === rule && item.severity === 'error').length,
            warnings: findings.filter((item) => item.rule === rule && item.severity === 'warning').length,
          });
          // Per rule and severity, the kept ones are a prefix of the input's, in its order.
          for (const severity of ['error', 'warning'] as const) {
            const all = findings.filter((item) => item.rule === rule && item.severity === severity);
            const some = ofRule.filter((item) => item.severity === severity);
            expect(some).toEqual(all.slice(0, some.length));
          }
        }
        expect(Object.keys(bounded.countsByRule).length).toBe(rules.size);
        // Errors before warnings, each in the stable (input) order.
        const firstWarning = kept.findIndex((item) => item.severity === 'warning');
        if (firstWarning >= 0) expect(kept.slice(firstWarning).every((item) => item.severity === 'warning')).toBe(true);
        const errors = kept.filter((item) => item.severity === 'error').map((item) => item.id);
        const warnings = kept.filter((item) => item.severity === 'warning').map((item) => item.id);
        expect(errors).toEqual([...errors].sort((a, b) => a - b));
        expect(warnings).toEqual([...warnings].sort((a, b) => a - b));
        // A warning is kept only when no error of its rule was left out by the rule's cap.
        expect(bounded.truncated).toBe(kept.length < findings.length);
        // Idempotent.
        const again = boundFindings(kept, caps);
        expect(again.findings).toEqual(kept);
        expect(again.truncated).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('applies the contract caps by default: 1,000 per rule, 10,000 in all', () => {
    const findings: F[] = [];
    for (let index = 0; index < 15_000; index++) {
      findings.push({
        rule: `R${index % 12}`,
        severity: index % 3 === 0 ? 'error' : 'warning',
        id: index,
        message: 'x',
      });
    }
    const bounded = boundFindings(findings);
    expect(bounded.findings.length).toBe(10_000);
    expect(bounded.truncated).toBe(true);
    expect(bounded.findings.slice(0, 4000).every((item) => item.severity === 'error')).toBe(true);
    expect(bounded.findings[4000]?.severity).toBe('warning');
    expect(Object.values(bounded.countsByRule).reduce((sum, c) => sum + c.errors + c.warnings, 0)).toBe(15_000);
  });

  it('says in Italian what was left out', () => {
    const findings: F[] = Array.from({ length: 4512 }, (_, id) => ({
      rule: 'T5.3',
      severity: 'warning' as const,
      id,
      message: 'm',
    }));
    const bounded = boundFindings(findings);
    const notes = truncationNotes(bounded.findings, bounded.countsByRule, bounded.truncated);
    expect(notes).toContain('Mostrate 1.000 di 4.512 segnalazioni per la regola T5.3.');
    expect(truncationNotes(findings.slice(0, 3), boundFindings(findings.slice(0, 3)).countsByRule, false)).toEqual([]);
  });
});
