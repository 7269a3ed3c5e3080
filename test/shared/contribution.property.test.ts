import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, LAW_178_2020, socialWorkerContribution } from '../../shared/index.ts';

/**
 * The social-worker contribution of L. 178/2020 c. 797 (domain.md §2.3, verify.md R-AS-1) as properties over any
 * population and FTE, plus the worked examples of the spec and the contract.
 */

const contribution = (population: number, fte: number): number =>
  socialWorkerContribution(population, fte).contribution;

/** P × (40000·(1/5000 − 1/6500) + 20000·(1/4000 − 1/5000)) ≈ P × 2.84615: the spec's rounded factor is an upper bound. */
const MAX_EURO_PER_RESIDENT = 2.8462;
const HALF_CENT = 0.005;

const population = fc.integer({ min: 1, max: 5_000_000 });
const share = fc.double({ min: 0, max: 1, noNaN: true });
const fte = fc.double({ min: 0, max: 2_000, noNaN: true });

describe('the contribution, for any population and FTE', () => {
  it('is zero at or below 1 AS per 6,500 residents (N ≤ P/6500)', () => {
    fc.assert(
      fc.property(population, share, (p, s) => {
        expect(contribution(p, (s * p) / 6500)).toBe(0);
      }),
    );
  });

  it('is never above P × 2.8462 €', () => {
    fc.assert(
      fc.property(population, fte, (p, n) => {
        expect(contribution(p, n)).toBeLessThanOrEqual(p * MAX_EURO_PER_RESIDENT + HALF_CENT);
      }),
    );
  });

  it('never decreases when FTE grow', () => {
    fc.assert(
      fc.property(population, fte, fte, (p, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(contribution(p, low)).toBeLessThanOrEqual(contribution(p, high));
      }),
    );
  });

  it('stops growing at 1 AS per 4,000 residents (N ≥ P/4000)', () => {
    fc.assert(
      fc.property(population, fc.double({ min: 0, max: 10, noNaN: true }), (p, extra) => {
        const cap = contribution(p, p / 4000);
        expect(contribution(p, p / 4000 + extra)).toBe(cap);
      }),
    );
  });

  it('pays 40,000 € per FTE between 1:6,500 and 1:5,000, and 20,000 € per FTE between 1:5,000 and 1:4,000', () => {
    fc.assert(
      fc.property(population, share, (p, s) => {
        const inBand1 = p / 6500 + s * (p / 5000 - p / 6500);
        expect(contribution(p, inBand1)).toBeCloseTo(40000 * (inBand1 - p / 6500), 2);
        const inBand2 = p / 5000 + s * (p / 4000 - p / 5000);
        const band1Full = 40000 * (p / 5000 - p / 6500);
        expect(contribution(p, inBand2)).toBeCloseTo(band1Full + 20000 * (inBand2 - p / 5000), 2);
      }),
    );
  });

  it('is rounded to the cent and never negative', () => {
    fc.assert(
      fc.property(population, fte, (p, n) => {
        const value = contribution(p, n);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(Math.abs(value * 100 - Math.round(value * 100))).toBeLessThan(1e-6);
      }),
    );
  });
});

describe('worked examples', () => {
  it('P = 100,000 gives at most 284,615.38 €, reached from 25 FTE', () => {
    expect(contribution(100_000, 25)).toBe(284_615.38);
    expect(contribution(100_000, 30)).toBe(284_615.38);
    expect(contribution(100_000, 1_000)).toBe(284_615.38);
    fc.assert(
      fc.property(fte, (n) => {
        expect(contribution(100_000, n)).toBeLessThanOrEqual(284_615.38);
      }),
    );
  });

  it('P = 100,000 and N = 22.5 gives 234,615.38 € (verify.md R-AS-1)', () => {
    const result = socialWorkerContribution(100_000, 22.5);
    expect(result.contribution).toBe(234_615.38);
    expect(result.minimumFte).toBeCloseTo(15.3846, 4);
    expect(result.lepFte).toBe(20);
    expect(result.targetFte).toBe(25);
    expect(result.band2Fte).toBe(2.5);
  });

  it('P = 100,000 and N = 15 gives nothing: the minimum level is not met', () => {
    expect(contribution(100_000, 15)).toBe(0);
  });

  it('P = 100,000 and N = 20 gives the whole first band: 184,615.38 €', () => {
    expect(contribution(100_000, 20)).toBe(184_615.38);
  });

  it('the contract example, P = 42,818 and N = 9.5, gives 97,776.62 €', () => {
    expect(contribution(42_818, 9.5)).toBe(97_776.62);
  });

  it('uses the law’s figures by default, the same as the default check parameters', () => {
    expect(DEFAULT_PARAMS.contribution).toEqual(LAW_178_2020);
    expect(socialWorkerContribution(42_818, 9.5, DEFAULT_PARAMS.contribution).contribution).toBe(97_776.62);
  });
});
