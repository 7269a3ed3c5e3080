import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { contributionOf, DEFAULT_PARAMS, LEPS_ATS, validateSubmission } from '../../shared/index.ts';
import { check, NOW, validSubmission } from '../support/builders.ts';

/** contract.md: the example must validate with no error, and its contribution computes to 97,776.62 €. */
describe('the contract example submission', () => {
  const example = JSON.parse(readFileSync(new URL('../fixtures/example-submission.json', import.meta.url), 'utf8'));

  it('validates with no error once it names the published template version', () => {
    const outcome = validateSubmission(
      { ...example, templateVersion: LEPS_ATS.version },
      { comuni: loadComuni(), now: NOW },
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    const contribution = contributionOf(outcome.submission, DEFAULT_PARAMS);
    expect(contribution.population).toBe(42818);
    expect(contribution.fte).toBeCloseTo(9.5, 10);
    expect(contribution.contribution).toBe(97776.62);
  });

  it('is what the builders produce', () => {
    expect(check(validSubmission())).toEqual([]);
  });
});
