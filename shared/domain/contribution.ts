import type { CheckParams } from '../checks/params.ts';

export interface ContributionBands {
  /** Population per AS thresholds turned into FTE: P/6500, P/5000, P/4000. Real numbers, never rounded (R-AS-1). */
  readonly minimumFte: number;
  readonly lepFte: number;
  readonly targetFte: number;
  readonly band1Fte: number;
  readonly band2Fte: number;
  /** Contribution in €, rounded to the cent only at the end (R-AS-1). */
  readonly contribution: number;
}

export type ContributionRules = CheckParams['contribution'];

export const LAW_178_2020: ContributionRules = {
  minimumRatio: 6500,
  lepRatio: 5000,
  targetRatio: 4000,
  band1EuroPerFte: 40000,
  band2EuroPerFte: 20000,
};

export function roundToCents(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

/**
 * The social-worker contribution of L. 178/2020 c. 797 (domain.md §2.3, verify.md R-AS-1):
 * C = 40000·max(0, min(N, P/5000) − P/6500) + 20000·max(0, min(N, P/4000) − P/5000).
 * Zero when N ≤ P/6500: below the minimum level nothing is due.
 */
export function socialWorkerContribution(
  population: number,
  fte: number,
  rules: ContributionRules = LAW_178_2020,
): ContributionBands {
  const safePopulation = Number.isFinite(population) && population > 0 ? population : 0;
  const safeFte = Number.isFinite(fte) && fte > 0 ? fte : 0;
  const minimumFte = safePopulation / rules.minimumRatio;
  const lepFte = safePopulation / rules.lepRatio;
  const targetFte = safePopulation / rules.targetRatio;
  const band1Fte = Math.max(0, Math.min(safeFte, lepFte) - minimumFte);
  const band2Fte = Math.max(0, Math.min(safeFte, targetFte) - lepFte);
  const contribution = roundToCents(rules.band1EuroPerFte * band1Fte + rules.band2EuroPerFte * band2Fte);
  return { minimumFte, lepFte, targetFte, band1Fte, band2Fte, contribution };
}
