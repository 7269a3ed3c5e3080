import type { RegisteredAts } from '../checks/types.ts';
import { entityCodiceFiscaleCheckDigit } from '../domain/codice-fiscale.ts';
import type { Comune, ComuniIndex } from '../reference/comuni.ts';
import { deriveSeed, mulberry32, type Random } from './random.ts';

/**
 * Synthetic ATS over the real ISTAT comuni. No public source gives the composition of the ~600 Ambiti (data/README),
 * so demos, fixtures and benchmarks group the comuni of a Region themselves: deterministic from a seed, contiguous
 * runs of ISTAT codes within a province (an ATS never crosses a province here), and named as synthetic everywhere.
 */

/** Italy has ~7,900 comuni in ~600 ATS. */
export const COMUNI_PER_ATS = 13;
export const DEFAULT_SEED = 1;

export interface SyntheticRegionOptions {
  /** Number of ATS; at least one per province and at most one per comune. Default: comuni / 13. */
  readonly atsCount?: number;
  readonly seed?: number;
}

/** An 11-digit entity codice fiscale from its first ten digits, with the right check digit. */
export function entityCodiceFiscale(firstTenDigits: string): string {
  if (!/^\d{10}$/.test(firstTenDigits)) throw new Error(`Expected ten digits, got "${firstTenDigits}"`);
  return `${firstTenDigits}${entityCodiceFiscaleCheckDigit(firstTenDigits)}`;
}

/**
 * A synthetic, valid CF for a comune, derived from its ISTAT code ("025006" → "00100060250"), the same shape as the
 * contract's example. Not the comune's real codice fiscale.
 */
export function comuneCodiceFiscale(istatCode: string): string {
  if (!/^\d{6}$/.test(istatCode)) throw new Error(`Expected an ISTAT code, got "${istatCode}"`);
  return entityCodiceFiscale(`0010${istatCode.slice(3)}${istatCode.slice(0, 3)}`);
}

/** A synthetic, valid CF for an ente gestore that is not a comune (consortium, azienda, unione). */
export function enteGestoreCodiceFiscale(regionCode: string, atsNumber: number): string {
  return entityCodiceFiscale(`90${regionCode}${String(atsNumber).padStart(3, '0')}000`);
}

export function syntheticAtsCode(regionCode: string, atsNumber: number): string {
  return `ATS-${regionCode}-${String(atsNumber).padStart(3, '0')}`;
}

function byCode(left: Comune, right: Comune): number {
  return left.code < right.code ? -1 : left.code > right.code ? 1 : 0;
}

/** Largest-remainder split of `total` over weights, each share between its min and max. */
function apportion(total: number, weights: readonly number[], maxima: readonly number[]): number[] {
  const shares = weights.map(() => 1);
  let left = total - shares.length;
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  while (left > 0) {
    // Give the next ATS to the province furthest below its proportional share that can still take one.
    let best = -1;
    let bestGap = Number.NEGATIVE_INFINITY;
    weights.forEach((weight, index) => {
      const share = shares[index] ?? 0;
      if (share >= (maxima[index] ?? 0)) return;
      const gap = (total * weight) / weightSum - share;
      if (gap > bestGap) {
        bestGap = gap;
        best = index;
      }
    });
    if (best < 0) break;
    shares[best] = (shares[best] ?? 0) + 1;
    left--;
  }
  return shares;
}

/** Cuts `count` items into `groups` contiguous non-empty runs of roughly equal length, jittered by the seed. */
function cutPoints(count: number, groups: number, random: Random): number[] {
  const ideal = count / groups;
  const cuts: number[] = [0];
  for (let group = 1; group < groups; group++) {
    const jitter = Math.round((random.next() - 0.5) * 0.6 * ideal);
    const previous = cuts[group - 1] ?? 0;
    const lowest = previous + 1;
    const highest = count - (groups - group);
    cuts.push(Math.min(highest, Math.max(lowest, Math.round(group * ideal) + jitter)));
  }
  cuts.push(count);
  return cuts;
}

function largest(group: readonly Comune[]): Comune {
  let best = group[0];
  for (const comune of group) {
    if (best === undefined || populationOf(comune) > populationOf(best)) best = comune;
  }
  if (best === undefined) throw new Error('empty group');
  return best;
}

/** Resident population at 1 January 2025 (the demo's reference), else the latest year loaded. */
export function populationOf(comune: Comune): number {
  const years = Object.keys(comune.population).sort();
  return comune.population['2025'] ?? comune.population[years[years.length - 1] ?? ''] ?? 0;
}

/**
 * Groups the real comuni of a Region into synthetic ATS `ATS-{RR}-{NNN}`. The same region, comuni and seed always
 * give the same ATS. About a third have a consortium-like ente gestore with its own CF; the others are a convention
 * led by their most populous comune, whose CF is then the ente gestore's.
 */
export function syntheticRegion(
  regionCode: string,
  comuni: ComuniIndex,
  options: SyntheticRegionOptions = {},
): RegisteredAts[] {
  const members = [...comuni.byRegion(regionCode)].sort(byCode);
  if (members.length === 0) return [];
  const provinces = new Map<string, Comune[]>();
  for (const comune of members) {
    const list = provinces.get(comune.provinceCode) ?? [];
    list.push(comune);
    provinces.set(comune.provinceCode, list);
  }
  const provinceLists = [...provinces.keys()].sort().map((code) => provinces.get(code) ?? []);
  const wanted = options.atsCount ?? Math.round(members.length / COMUNI_PER_ATS);
  const atsCount = Math.min(members.length, Math.max(provinceLists.length, Math.round(wanted)));
  const shares = apportion(
    atsCount,
    provinceLists.map((list) => list.length),
    provinceLists.map((list) => list.length),
  );
  const seed = options.seed ?? DEFAULT_SEED;
  const random = mulberry32(deriveSeed(seed, `region:${regionCode}`));

  const result: RegisteredAts[] = [];
  provinceLists.forEach((list, provinceIndex) => {
    const groups = shares[provinceIndex] ?? 1;
    const cuts = cutPoints(list.length, groups, random);
    for (let group = 0; group < groups; group++) {
      const members = list.slice(cuts[group], cuts[group + 1]);
      const number = result.length + 1;
      const lead = largest(members);
      const consortium = random.chance(1 / 3);
      result.push({
        ats: syntheticAtsCode(regionCode, number),
        name: `Ambito sintetico ${number} (${lead.name}, ${lead.provinceAbbreviation}) — dati dimostrativi`,
        comuni: members.map((comune) => comune.code),
        enteGestoreCf: consortium ? enteGestoreCodiceFiscale(regionCode, number) : comuneCodiceFiscale(lead.code),
      });
    }
  });
  return result;
}

export const REGION_CODES: readonly string[] = Array.from({ length: 20 }, (_, index) =>
  String(index + 1).padStart(2, '0'),
);

/** Every Region grouped with the default size: ~600 synthetic ATS covering all of Italy once. */
export function syntheticItaly(comuni: ComuniIndex, seed: number = DEFAULT_SEED): RegisteredAts[] {
  return REGION_CODES.flatMap((region) => syntheticRegion(region, comuni, { seed }));
}
