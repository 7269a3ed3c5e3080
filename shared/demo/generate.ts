import { DEFAULT_PARAMS } from '../checks/params.ts';
import type { RegisteredAts } from '../checks/types.ts';
import type { Submission, SubmissionCell, SubmissionRow } from '../contract/submission.ts';
import { socialWorkerContribution } from '../domain/contribution.ts';
import { daysInService, staffRowFte } from '../domain/fte.ts';
import type { Comune, ComuniIndex } from '../reference/comuni.ts';
import { INDICATORS } from '../template/code-lists.ts';
import { LEPS_ATS } from '../template/leps-ats.ts';
import { comuneCodiceFiscale, entityCodiceFiscale, populationOf } from './ats.ts';
import { deriveSeed, mulberry32, type Random } from './random.ts';

/**
 * Valid demo submissions of any size for a (synthetic) ATS: pure and seeded, so tests, the local stack and the
 * benchmark get the same data from the same seed. Everything is consistent with every check of the catalogue:
 * T2 is the ATS's comuni with their ISTAT population, the social workers' FTE sit between 1:5,000 and 1:4,000 (a
 * contribution is due and no ratio warning fires), T5 adds up to T4 per fund key, cumulative amounts grow with the age
 * of each allocation and never decrease from one year to the next, indicators exist for every LEPS with spending.
 *
 * The data are invented. Only the comuni, their names and populations are real (ISTAT).
 */

type Row = Record<string, SubmissionCell>;

/** The default reference date of the demo data: the annual return for 2025. */
export const DEMO_PERIOD = '2025-12-31';
/** "Today" for DEMO_PERIOD: inside its monitoring window (20/01–28/02/2026) and before the SIOSS deadline. */
export const DEMO_NOW = new Date('2026-01-25T10:00:00Z');

/**
 * A moment at which a submission for `period` is on time: five days into the period's monitoring window when the
 * parameters know it, else 25 days (annual) or a month (interim) after the reference date.
 */
export function demoNow(period: string): Date {
  const window = DEFAULT_PARAMS.monitoringWindows[period];
  if (window) return new Date(Date.parse(`${window.opens}T10:00:00Z`) + 5 * 86400000);
  const year = Number(period.slice(0, 4));
  return period.endsWith('-08-31') ? new Date(`${year}-09-30T10:00:00Z`) : new Date(`${year + 1}-01-25T10:00:00Z`);
}

/** The annual period before `period` (the previous year's 31 December). */
export function previousPeriodOf(period: string): string {
  return `${Number(period.slice(0, 4)) - 1}-12-31`;
}

export interface GenerateOptions {
  readonly ats: RegisteredAts;
  readonly regionCode: string;
  readonly comuni: ComuniIndex;
  /** `YYYY-12-31` (annual return, all six sheets) or `YYYY-08-31` (interim: T3 and T6 empty). */
  readonly period: string;
  readonly seed: number;
  /**
   * Rows wanted across all sheets. The ATS sets a floor (one row per comune, enough social workers for its
   * population, the core funds and the indicators): below it the floor is what you get.
   */
  readonly rows?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// The plan: everything about the ATS that does not depend on the year rendered (people, allocations, breakdowns).
// ---------------------------------------------------------------------------------------------------------------

interface Person {
  readonly id: string;
  readonly profile: string;
  readonly contract: string;
  readonly hours: number;
  readonly start: string;
  readonly end: string | null;
  readonly employerCf: string;
  readonly employerType: string;
  readonly costSource: string;
  /** Counts for FTE_AS_TI (AS, tempo indeterminato, territorial services, costs borne). */
  readonly countable: boolean;
}

interface Part {
  readonly leps: string;
  readonly intervention: string;
  readonly area: string;
  readonly modality: string;
  readonly weight: number;
  readonly staffShare: number | null;
  readonly cig: string | null;
}

interface Allocation {
  readonly fund: string;
  readonly quota: string;
  readonly year: number;
  readonly cup: string | null;
  readonly line: string | null;
  /** Cents. */
  readonly assigned: number;
  /** Draw in [0, 1) that places this allocation within each progress band. */
  readonly progress: number;
  readonly act: string;
  readonly spendingEnd: string;
  readonly target: number | null;
  readonly parts: Part[];
}

interface Plan {
  readonly ats: RegisteredAts;
  readonly regionCode: string;
  readonly year: number;
  readonly members: readonly Comune[];
  readonly form: string;
  readonly lead: Comune;
  readonly enteGestoreCf: string;
  readonly enteGestoreName: string;
  readonly people: Person[];
  readonly allocations: Allocation[];
  readonly indicatorScale: Readonly<Record<string, number>>;
  readonly seed: number;
}

const FULL_TIME = 36;
const OTHER_PROFILES = ['EDUCATORE', 'PSICOLOGO', 'OSS', 'AMMINISTRATIVO', 'ALTRO'] as const;
const OTHER_CONTRACTS = ['TI', 'TD', 'SOMMINISTRATO', 'INCARICO'] as const;
const MODALITIES = ['DIRETTA', 'APPALTO', 'COPROGETTAZIONE', 'ACCREDITAMENTO_VOUCHER'] as const;
const AREAS = ['MIN_FAM', 'DIS_NA', 'POV', 'ANZ', 'MULTI'] as const;
const ART7 = ['INT_147_a', 'INT_147_b', 'INT_147_c', 'INT_147_d', 'INT_147_e', 'INT_147_f', 'INT_147_g', 'INT_147_h'];
const FNPS_INTERVENTIONS = ['FNPS_ACC', 'FNPS_PIC', 'FNPS_DOM', 'FNPS_CDT', 'FNPS_RES', 'FNPS_INC'];
const INTERVENTIONS = [...ART7, ...FNPS_INTERVENTIONS, 'ALTRO'];
/** Every LEPS with indicators: each gets spending, so T6.4 finds users and spending together. */
const LEPS_WITH_OUTPUTS = [
  'LEPS_SSP',
  'LEPS_PIS',
  'LEPS_SUP',
  'LEPS_DIM',
  'LEPS_PIPPI',
  'LEPS_RES',
  'LEPS_DDN',
  'LEPS_NA_DOM',
  'LEPS_NA_SOL',
  'LEPS_NA_SUP',
  'LEPS_PUA',
  'LEPS_ADI',
];
/** Funds used to scale the workbook: no eligibility rule constrains their breakdown. */
const SCALING_FUNDS = ['REG', 'COM', 'FSC_SOC', 'ALTRO'] as const;
const SCALING_YEARS = 10;
const NON_COMMITTED_REASONS = ['PROCEDURA_IN_CORSO', 'PROGRAMMAZIONE_PAL', 'RITARDO_TRASFERIMENTO'] as const;

const pad = (value: number, width: number): string => String(value).padStart(width, '0');
const euros = (cents: number): number => cents / 100;

function members(options: GenerateOptions): Comune[] {
  return options.ats.comuni.map((code) => {
    const comune = options.comuni.get(code);
    if (!comune) throw new Error(`Comune ${code} of ${options.ats.ats} is not in the ISTAT list`);
    return comune;
  });
}

function largestOf(list: readonly Comune[]): Comune {
  const first = list[0];
  if (!first) throw new Error('An ATS needs at least one comune');
  return list.reduce((best, comune) => (populationOf(comune) > populationOf(best) ? comune : best), first);
}

/** Population year of the T2 rows for a reference year: 1 January of N (R-AS-2), within the years ISTAT gives. */
function populationYear(comune: Comune, year: number): string {
  const years = Object.keys(comune.population).sort();
  const wanted = String(year);
  if (comune.population[wanted] !== undefined) return wanted;
  const earliest = years[0] ?? wanted;
  return wanted < earliest ? earliest : (years[years.length - 1] ?? wanted);
}

function populationAt(comune: Comune, year: number): number {
  return comune.population[populationYear(comune, year)] ?? populationOf(comune);
}

function randomDate(random: Random, fromYear: number, toYear: number): string {
  return `${random.int(fromYear, toYear)}-${pad(random.int(1, 12), 2)}-${pad(random.int(1, 28), 2)}`;
}

/**
 * Social workers whose FTE reach P/4500 (between the LEP 1:5,000 and the objective 1:4,000) in the year and the year
 * before: full-timers, one part-timer to close the gap, and pairs of a leaver (30 June) and a new hire (1 July) whose
 * days add up to one full year, so the total is the same in both years.
 */
function socialWorkers(plan: Omit<Plan, 'people' | 'allocations' | 'indicatorScale'>, random: Random): Person[] {
  const population = plan.members.reduce((total, comune) => total + populationAt(comune, plan.year), 0);
  const target = population / 4500;
  const people: Person[] = [];
  const employer = (): Pick<Person, 'employerCf' | 'employerType'> => {
    const draw = random.next();
    if (draw < 0.2) return { employerCf: plan.enteGestoreCf, employerType: 'ENTE_GESTORE' };
    if (draw < 0.25) return { employerCf: aslCodiceFiscale(plan.regionCode), employerType: 'ASL_DELEGA_RIMBORSO' };
    return { employerCf: comuneCodiceFiscale(random.pick(plan.members).code), employerType: 'COMUNE' };
  };
  const add = (hours: number, start: string, end: string | null): void => {
    people.push({
      id: `AS-${pad(people.length + 1, 5)}`,
      profile: 'ASSISTENTE_SOCIALE',
      contract: 'TI',
      hours,
      start,
      end,
      ...employer(),
      costSource: random.pick(['BIL_COMUNALE', 'BIL_COMUNALE', 'FP_AS797', 'QSFP']),
      countable: true,
    });
  };
  const fullTimers = Math.floor(target);
  const pairs = fullTimers >= 3 ? Math.max(1, Math.floor(fullTimers / 10)) : 0;
  for (let index = 0; index < fullTimers - pairs; index++)
    add(FULL_TIME, randomDate(random, 2000, plan.year - 2), null);
  for (let index = 0; index < pairs; index++) {
    add(FULL_TIME, randomDate(random, 2000, plan.year - 2), `${plan.year}-06-30`);
    add(FULL_TIME, `${plan.year}-07-01`, null);
  }
  // Half hours, rounded up: the FTE never falls below the target.
  const hours = Math.ceil((target - fullTimers) * FULL_TIME * 2) / 2;
  if (hours > 0) add(Math.min(FULL_TIME, hours), randomDate(random, 2000, plan.year - 2), null);
  return people;
}

function otherStaff(count: number, first: number, plan: Pick<Plan, 'members' | 'year'>, random: Random): Person[] {
  return Array.from({ length: count }, (_, index) => {
    const profile = random.pick(OTHER_PROFILES);
    return {
      id: `OP-${pad(first + index, 6)}`,
      profile,
      contract: random.pick(OTHER_CONTRACTS),
      hours: random.pick([18, 24, 30, 36, 36, 36]),
      start: randomDate(random, 2005, plan.year - 2),
      end: null,
      employerCf: comuneCodiceFiscale(random.pick(plan.members).code),
      employerType: 'COMUNE',
      costSource: 'BIL_COMUNALE',
      countable: false,
    };
  });
}

export function aslCodiceFiscale(regionCode: string): string {
  return entityCodiceFiscale(`80${regionCode}000001`);
}

/** A synthetic CUP of the observed shape (verify.md §6): letter, 2 digits, letter, year, progressive, "000", digit. */
function cupFor(year: number, progressive: number, random: Random): string {
  const letters = 'BCDEFGHI';
  const letter = letters[random.int(0, letters.length - 1)] ?? 'B';
  return `${letter}${pad(random.int(10, 99), 2)}H${pad(year % 100, 2)}${pad(progressive, 5)}000${random.int(1, 9)}`;
}

function cig(random: Random): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  let text = 'Z';
  for (let index = 0; index < 9; index++) text += alphabet[random.int(0, alphabet.length - 1)] ?? '0';
  return text;
}

function part(random: Random, leps: string, intervention: string, area: string, modality?: string): Part {
  const chosen = modality ?? random.pick(MODALITIES);
  return {
    leps,
    intervention,
    area,
    modality: chosen,
    weight: 1 + random.next(),
    staffShare: chosen === 'DIRETTA' ? 0.3 + 0.4 * random.next() : null,
    cig: chosen === 'APPALTO' ? cig(random) : null,
  };
}

/** The funds every demo ATS reports: FP (three annualità and QPE), FNPS, FNA, PNRR lines, AS797 and own funds. */
function coreAllocations(plan: Pick<Plan, 'year' | 'members'>, random: Random, nextCup: () => number): Allocation[] {
  const year = plan.year;
  const population = plan.members.reduce((total, comune) => total + populationAt(comune, year), 0);
  const amount = (euroPerInhabitant: number, minimum: number): number =>
    Math.round(Math.max(minimum, population * euroPerInhabitant * (0.85 + 0.3 * random.next()))) * 100;
  const spendingEnd = (annualita: number): string => `${Math.max(annualita + 3, year + 1)}-12-31`;
  const allocation = (
    fund: string,
    quota: string,
    annualita: number,
    assigned: number,
    parts: Part[],
    extra: Partial<Allocation> = {},
  ): Allocation => ({
    fund,
    quota,
    year: annualita,
    cup: null,
    line: null,
    assigned,
    progress: random.next(),
    act: `Decreto di riparto ${fund} ${annualita} (dato dimostrativo)`,
    spendingEnd: spendingEnd(annualita),
    target: null,
    parts,
    ...extra,
  });
  const qsfpParts = (): Part[] => [
    part(random, 'LEPS_SSP', 'INT_147_b', 'POV', 'DIRETTA'),
    part(random, 'LEPS_PIS', 'INT_147_h', 'POV'),
    part(random, 'LEPS_ADI', random.pick(ART7), 'POV'),
    part(random, 'LEPS_SUP', 'INT_147_a', 'MULTI'),
  ];
  const pnrrYear = Math.min(2022, year - 1);
  const pnrr = (line: string, leps: string, area: string, ceilingShare: number): Allocation => {
    const ceiling = DEFAULT_PARAMS.pnrrCeilings[line] ?? 500000;
    return allocation(
      'PNRR',
      `M5C2_${line}`,
      pnrrYear,
      Math.round(ceiling * ceilingShare * (0.8 + 0.2 * random.next())) * 100,
      [part(random, leps, 'ALTRO', area, 'COPROGETTAZIONE'), part(random, leps, 'ALTRO', area, 'DIRETTA')],
      {
        cup: cupFor(pnrrYear, nextCup(), random),
        line,
        act: `Avviso 1/2022 PNRR M5C2 linea ${line} (dato dimostrativo)`,
        spendingEnd: `${Math.max(2026, year + 1)}-06-30`,
        target: random.int(10, 60),
      },
    );
  };
  return [
    allocation('FP', 'QSFP', year - 2, amount(10, 20000), qsfpParts()),
    allocation('FP', 'QSFP', year - 1, amount(10, 20000), qsfpParts()),
    allocation('FP', 'QSFP', year, amount(10, 20000), qsfpParts()),
    allocation('FP', 'QPE', year - 1, amount(1, 5000), [
      part(random, 'LEPS_RES', 'INT_147_a', 'POV'),
      part(random, 'LEPS_PIS', 'INT_147_h', 'POV'),
    ]),
    allocation(
      'FNPS',
      'UNICA',
      year - 1,
      amount(6, 15000),
      FNPS_INTERVENTIONS.slice(0, 4).map((intervention, index) =>
        part(random, ['LEPS_SSP', 'LEPS_PIS', 'LEPS_DIM', 'LEPS_SUP'][index] ?? 'LEPS_SSP', intervention, 'MIN_FAM'),
      ),
    ),
    allocation('FNPS', 'FNPS_PIPPI', year - 1, amount(0.8, 10000), [
      part(random, 'LEPS_PIPPI', 'FNPS_PIC', 'MIN_FAM', 'DIRETTA'),
    ]),
    allocation('FNA', 'UNICA', year - 1, amount(12, 25000), [
      part(random, 'LEPS_NA_DOM', 'FNPS_DOM', 'DIS_NA'),
      part(random, 'LEPS_NA_SOL', 'ALTRO', 'DIS_NA'),
      part(random, 'LEPS_NA_SUP', 'ALTRO', 'DIS_NA'),
      part(random, 'LEPS_PUA', 'FNPS_ACC', 'DIS_NA', 'DIRETTA'),
    ]),
    pnrr('1.1.1', 'LEPS_PIPPI', 'MIN_FAM', 1),
    pnrr('1.1.3', 'LEPS_DIM', 'ANZ', 1),
    pnrr('1.1.4', 'LEPS_SUP', 'MULTI', 1),
    pnrr('1.2', 'LEPS_DDN', 'DIS_NA', 0.3),
    pnrr('1.3.1', 'LEPS_RES', 'POV', 0.6),
    allocation('AS797', 'UNICA', year - 1, amount(2, 20000), [
      part(random, 'LEPS_SSP', 'INT_147_b', 'MULTI', 'DIRETTA'),
    ]),
    // Own funds of the comuni reach every LEPS, so each has spending in the year and the year before.
    allocation(
      'COM',
      'UNICA',
      year - 1,
      amount(15, 50000),
      LEPS_WITH_OUTPUTS.map((leps, index) =>
        part(
          random,
          leps,
          INTERVENTIONS[index % INTERVENTIONS.length] ?? 'ALTRO',
          AREAS[index % AREAS.length] ?? 'MULTI',
        ),
      ),
    ),
  ];
}

const COMBINATIONS = LEPS_WITH_OUTPUTS.length * INTERVENTIONS.length * AREAS.length * MODALITIES.length;

function combination(index: number): [string, string, string, string] {
  let rest = index;
  const take = <T>(list: readonly T[]): T => {
    const item = list[rest % list.length];
    rest = Math.floor(rest / list.length);
    if (item === undefined) throw new Error('combination out of range');
    return item;
  };
  return [take(LEPS_WITH_OUTPUTS), take(INTERVENTIONS), take(AREAS), take(MODALITIES)];
}

/**
 * Allocations of the scaling funds with `parts` breakdown rows in all, spread over fund × annualità groups so that no
 * two T5 rows of a group share LEPS, intervention, area and modality.
 */
function scalingAllocations(
  count: number,
  parts: number,
  plan: Pick<Plan, 'year'>,
  random: Random,
  used: Map<string, Set<number>>,
  nextCup: () => number,
): Allocation[] {
  const groups = SCALING_FUNDS.flatMap((fund) =>
    Array.from({ length: SCALING_YEARS }, (_, offset) => ({ fund, year: plan.year - offset })),
  );
  const cursors = new Map<string, number>();
  const result: Allocation[] = [];
  for (let index = 0; index < count; index++) {
    const group = groups[index % groups.length];
    if (!group) break;
    const key = `${group.fund}|UNICA|${group.year}`;
    const taken = used.get(key) ?? new Set<number>();
    used.set(key, taken);
    const wanted = Math.floor(parts / count) + (index < parts % count ? 1 : 0);
    const own: Part[] = [];
    let cursor = cursors.get(key) ?? random.int(0, COMBINATIONS - 1);
    while (own.length < Math.max(1, wanted) && taken.size < COMBINATIONS) {
      // 7 is coprime with the number of combinations, so the walk visits each once before repeating.
      cursor = (cursor + 7) % COMBINATIONS;
      if (taken.has(cursor)) continue;
      taken.add(cursor);
      const [leps, intervention, area, modality] = combination(cursor);
      own.push(part(random, leps, intervention, area, modality));
    }
    cursors.set(key, cursor);
    if (own.length === 0) break;
    result.push({
      fund: group.fund,
      quota: 'UNICA',
      year: group.year,
      cup: cupFor(group.year, nextCup(), random),
      line: null,
      assigned: random.int(5000, 150000) * 100,
      progress: random.next(),
      act: `Programma ${group.fund} ${group.year} (dato dimostrativo)`,
      spendingEnd: `${Math.max(group.year + 3, plan.year + 1)}-12-31`,
      target: null,
      parts: own,
    });
  }
  return result;
}

function indicatorScale(random: Random): Record<string, number> {
  return Object.fromEntries(INDICATORS.map((indicator) => [indicator.code, 0.8 + 0.4 * random.next()]));
}

function makePlan(options: GenerateOptions): Plan {
  const year = Number(options.period.slice(0, 4));
  const seed = deriveSeed(options.seed, options.ats.ats);
  const random = mulberry32(seed);
  const list = members(options);
  const lead = largestOf(list);
  const leadCf = comuneCodiceFiscale(lead.code);
  const memberCfs = new Set(list.map((comune) => comuneCodiceFiscale(comune.code)));
  const enteGestoreCf = options.ats.enteGestoreCf ?? leadCf;
  // An ente gestore that is one of the comuni leads a convention; any other is a consortium-like body.
  const convention = memberCfs.has(enteGestoreCf);
  const capofila = convention
    ? (list.find((comune) => comuneCodiceFiscale(comune.code) === enteGestoreCf) ?? lead)
    : lead;
  const form = convention ? 'CONV' : random.pick(['ASC', 'CONS', 'UNIONE']);
  const base = {
    ats: options.ats,
    regionCode: options.regionCode,
    year,
    members: list,
    form,
    lead: capofila,
    enteGestoreCf,
    enteGestoreName: convention
      ? `Comune di ${capofila.name}`
      : `Ente gestore sintetico dell'${options.ats.ats} (dato dimostrativo)`,
    seed,
  };
  const people = socialWorkers(base, mulberry32(deriveSeed(seed, 'staff')));
  let cup = 0;
  const nextCup = (): number => {
    cup += 1;
    return cup;
  };
  const fundRandom = mulberry32(deriveSeed(seed, 'funds'));
  const allocations = coreAllocations(base, fundRandom, nextCup);
  const plan: Plan = {
    ...base,
    people,
    allocations,
    indicatorScale: indicatorScale(mulberry32(deriveSeed(seed, 'indicators'))),
  };

  const floor = countRows(plan, options.period);
  const extra = Math.max(0, (options.rows ?? 0) - floor);
  if (extra === 0) return plan;
  const annual = options.period.endsWith('-12-31');
  const staffExtra = annual ? Math.round(extra * 0.3) : 0;
  const financial = extra - staffExtra;
  // Each scaling allocation is one T4 row and about four T5 rows.
  const fundRows = Math.max(1, Math.round(financial / 5));
  const partRows = Math.max(fundRows, financial - fundRows);
  const used = new Map<string, Set<number>>();
  for (const allocation of allocations) {
    if (!(SCALING_FUNDS as readonly string[]).includes(allocation.fund)) continue;
    const key = `${allocation.fund}|${allocation.quota}|${allocation.year}`;
    const taken = used.get(key) ?? new Set<number>();
    for (const own of allocation.parts) {
      const index = combinationIndex(own);
      if (index !== null) taken.add(index);
    }
    used.set(key, taken);
  }
  const scaleRandom = mulberry32(deriveSeed(seed, 'scale'));
  allocations.push(...scalingAllocations(fundRows, partRows, base, scaleRandom, used, nextCup));
  people.push(...otherStaff(staffExtra, 1, base, mulberry32(deriveSeed(seed, 'other-staff'))));
  return plan;
}

function combinationIndex(own: Part): number | null {
  const positions = [
    LEPS_WITH_OUTPUTS.indexOf(own.leps),
    INTERVENTIONS.indexOf(own.intervention),
    AREAS.indexOf(own.area as (typeof AREAS)[number]),
    MODALITIES.indexOf(own.modality as (typeof MODALITIES)[number]),
  ];
  if (positions.some((position) => position < 0)) return null;
  const [leps = 0, intervention = 0, area = 0, modality = 0] = positions;
  return leps + LEPS_WITH_OUTPUTS.length * (intervention + INTERVENTIONS.length * (area + AREAS.length * modality));
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering a plan at a reference date.
// ---------------------------------------------------------------------------------------------------------------

/** Progress of an allocation, piecewise linear in its age (years since the annualità), non-decreasing. */
function progressAt(knots: readonly [number, number, number], age: number): number {
  if (age <= 0) return knots[0];
  if (age >= 2) return knots[2];
  const [low, high] = age < 1 ? [knots[0], knots[1]] : [knots[1], knots[2]];
  const share = age < 1 ? age : age - 1;
  return low + (high - low) * share;
}

interface Amounts {
  readonly committed: number;
  readonly paidOut: number;
  readonly paid: number;
  readonly reported: number;
  readonly cashed: number;
}

/**
 * Cumulative amounts in cents. Each band keeps impegnato ≥ liquidato ≥ rendicontato; the FP quota two years back is
 * at least 76% rendicontato (T4.12) and the previous one has started (T4.13); FNPS of the previous year is over 75%
 * liquidato even at 31 August (T4.14).
 */
function amountsAt(allocation: Allocation, age: number): Amounts {
  const u = allocation.progress;
  const of = (share: number): number => Math.floor(allocation.assigned * share);
  const committed = of(progressAt([0.75 + 0.15 * u, 0.95 + 0.05 * u, 1], age));
  const paidOut = Math.min(committed, of(progressAt([0.6 + 0.1 * u, 0.85 + 0.1 * u, 0.95 + 0.05 * u], age)));
  const reported = Math.min(paidOut, of(progressAt([0, 0.76 + 0.04 * u, 0.8 + 0.14 * u], age)));
  return {
    committed,
    paidOut,
    paid: Math.floor(paidOut * (0.9 + 0.1 * u)),
    reported,
    cashed: age < 1 ? of(0.6) : allocation.assigned,
  };
}

interface Snapshot {
  readonly period: string;
  readonly year: number;
  readonly annual: boolean;
}

function snapshot(period: string): Snapshot {
  return { period, year: Number(period.slice(0, 4)), annual: period.endsWith('-12-31') };
}

/** Age of an allocation at a snapshot; null when it did not exist yet. An interim snapshot is two thirds of a year. */
function ageAt(allocation: Allocation, at: Snapshot): number | null {
  if (allocation.year > at.year) return null;
  const age = at.year - allocation.year - (at.annual ? 0 : 1 / 3);
  return Math.max(0, age);
}

function activePeople(plan: Plan, year: number): Person[] {
  return plan.people.filter((person) => daysInService(year, person.start, person.end) > 0);
}

function countRows(plan: Plan, period: string): number {
  const at = snapshot(period);
  const live = plan.allocations.filter((allocation) => ageAt(allocation, at) !== null);
  const funds = live.length + live.reduce((total, allocation) => total + allocation.parts.length, 0);
  if (!at.annual) return 1 + plan.members.length + funds;
  const consuntivo = activePeople(plan, at.year).length;
  const forecast = activePeople(plan, at.year + 1).filter((person) => person.countable).length;
  return 1 + plan.members.length + consuntivo + forecast + funds + INDICATORS.length;
}

function staffRows(plan: Plan, year: number, kind: 'CONSUNTIVO' | 'PREVISIONE'): Row[] {
  const people = activePeople(plan, year).filter((person) => kind === 'CONSUNTIVO' || person.countable);
  return people.map((person) => {
    const fte = staffRowFte(year, person.hours, FULL_TIME, person.start, person.end);
    return {
      COD_ATS: plan.ats.ats,
      ANNO_RIF: year,
      TIPO_DATO: kind,
      ENTE_DATORE_CF: person.employerCf,
      ENTE_DATORE_TIPO: person.employerType,
      ID_DIPENDENTE: person.id,
      PROFILO: person.profile,
      TIPO_RAPPORTO: person.contract,
      ORE_SETT: person.hours,
      ORE_TEMPO_PIENO: FULL_TIME,
      DATA_INIZIO: person.start,
      DATA_FINE: person.end,
      GIORNI_IN_SERVIZIO: daysInService(year, person.start, person.end),
      FTE: Math.round(fte * 10000) / 10000,
      IMPIEGO_SERVIZI_TERRITORIALI: 'S',
      ONERI_A_CARICO_ENTE_ATS: 'S',
      FONTE_COSTO: person.costSource,
      COSTO_ANNUO: Math.round(38000 * (person.hours / FULL_TIME)),
    };
  });
}

/** FTE_AS_TI exactly as the checks sum it: countable consuntivo rows of the year, in sheet order. */
function countableFte(plan: Plan, year: number): number {
  let total = 0;
  for (const person of activePeople(plan, year)) {
    if (person.countable) total += staffRowFte(year, person.hours, FULL_TIME, person.start, person.end);
  }
  return total;
}

function fundRows(plan: Plan, at: Snapshot): { t4: Row[]; t5: Row[] } {
  const t4: Row[] = [];
  const t5: Row[] = [];
  const before = snapshot(previousPeriodOf(at.period));
  for (const allocation of plan.allocations) {
    const age = ageAt(allocation, at);
    if (age === null) continue;
    const now = amountsAt(allocation, age);
    const previousAge = ageAt(allocation, before);
    const then = previousAge === null ? 0 : amountsAt(allocation, previousAge).committed;
    const nonCommitted = allocation.assigned - now.committed;
    const random = mulberry32(deriveSeed(plan.seed, `${allocation.fund}|${allocation.quota}|${allocation.year}`));
    t4.push({
      COD_ATS: plan.ats.ats,
      DATA_RIF: at.period,
      FONDO: allocation.fund,
      QUOTA: allocation.quota,
      ANNUALITA: allocation.year,
      ATTO_ASSEGNAZIONE: allocation.act,
      CUP: allocation.cup,
      LINEA_PNRR: allocation.line,
      IMPORTO_ASSEGNATO: euros(allocation.assigned),
      IMPORTO_INCASSATO: euros(now.cashed),
      IMPORTO_IMPEGNATO: euros(now.committed),
      IMPORTO_LIQUIDATO: euros(now.paidOut),
      IMPORTO_PAGATO: euros(now.paid),
      IMPORTO_RENDICONTATO: euros(now.reported),
      IMPORTO_NON_IMPEGNATO: euros(nonCommitted),
      MOTIVAZIONE_NON_IMPEGNATO: nonCommitted > 0 ? random.pick(NON_COMMITTED_REASONS) : null,
      DATA_PREVISTA_IMPEGNO: nonCommitted > 0 ? `${at.year + 1}-03-31` : null,
      DATA_FINE_SPESA_PROGRAMMATA: allocation.spendingEnd,
      NUOVI_IMPEGNI_PERIODO: euros(now.committed - then),
      TARGET_PROGRAMMATO: allocation.target,
      TARGET_REALIZZATO: allocation.target === null ? null : Math.floor(allocation.target * Math.min(1, 0.5 + age / 4)),
    });
    t5.push(...breakdown(plan, at, allocation, now));
  }
  return { t4, t5 };
}

/** Splits impegnato and liquidato over the parts by weight, in cents, keeping liquidato ≤ impegnato on every row. */
function breakdown(plan: Plan, at: Snapshot, allocation: Allocation, now: Amounts): Row[] {
  const totalWeight = allocation.parts.reduce((total, own) => total + own.weight, 0);
  const gap = now.committed - now.paidOut;
  let paidOutLeft = now.paidOut;
  let gapLeft = gap;
  return allocation.parts.map((own, index) => {
    const last = index === allocation.parts.length - 1;
    const share = own.weight / totalWeight;
    const paidOut = last ? paidOutLeft : Math.floor(now.paidOut * share);
    const extra = last ? gapLeft : Math.floor(gap * share);
    paidOutLeft -= paidOut;
    gapLeft -= extra;
    return {
      COD_ATS: plan.ats.ats,
      DATA_RIF: at.period,
      FONDO: allocation.fund,
      QUOTA: allocation.quota,
      ANNUALITA: allocation.year,
      COD_LEPS: own.leps,
      COD_INTERVENTO: own.intervention,
      AREA: own.area,
      MODALITA: own.modality,
      IMPEGNATO: euros(paidOut + extra),
      LIQUIDATO: euros(paidOut),
      DI_CUI_PERSONALE: own.staffShare === null ? null : euros(Math.floor(paidOut * own.staffShare)),
      CIG: own.cig,
      CUP: allocation.cup,
    };
  });
}

/**
 * Indicators for every LEPS, sized on the population; the year before is 8% lower (no T6.7 anomaly) and the linked
 * pairs keep their order (T6.2).
 */
function indicatorRows(plan: Plan, year: number, population: number, fte: number): Row[] {
  const shrink = year < plan.year ? 0.92 : 1;
  const count = (code: string, perInhabitant: number, minimum = 1): number =>
    Math.max(minimum, Math.round(population * perInhabitant * (plan.indicatorScale[code] ?? 1) * shrink));
  const hours = (value: number): number => Math.round(value * shrink * 100) / 100;
  const values: Record<string, number> = {};
  values.PIS_H24 = 1;
  values.PIS_ORE_COPERTURA_SETT = 168;
  values.PIS_SEGNALAZIONI = count('PIS_SEGNALAZIONI', 1 / 1000, 3);
  values.PIS_PERSONE = Math.max(1, Math.round(values.PIS_SEGNALAZIONI * 0.7));
  values.PIS_ACCOGLIENZE = Math.max(1, Math.round(values.PIS_SEGNALAZIONI * 0.3));
  values.SUP_OPERATORI_TOT = count('SUP_OPERATORI_TOT', 1 / 2000, 3);
  values.SUP_OPERATORI_SUPERVISIONATI = Math.max(1, Math.round(values.SUP_OPERATORI_TOT * 0.8));
  values.SUP_ORE_GRUPPO = hours(24 + (plan.indicatorScale.SUP_ORE_GRUPPO ?? 1) * 20);
  values.SUP_ORE_INDIVIDUALI = hours(10 + (plan.indicatorScale.SUP_ORE_INDIVIDUALI ?? 1) * 10);
  values.SUP_SUPERVISORI = Math.max(1, Math.round(values.SUP_OPERATORI_TOT / 15));
  values.DIM_SEGNALAZIONI_OSPEDALE = count('DIM_SEGNALAZIONI_OSPEDALE', 1 / 800, 3);
  values.DIM_PERSONE = Math.max(1, Math.round(values.DIM_SEGNALAZIONI_OSPEDALE * 0.8));
  values.DIM_PAI = Math.max(1, Math.round(values.DIM_PERSONE * 0.7));
  values.DIM_GIORNI_SUPPORTO = values.DIM_PERSONE * 30;
  values.PIPPI_LIVELLO = population > 100000 ? 2 : 1;
  values.PIPPI_FFTT = count('PIPPI_FFTT', 1 / 3000, 10);
  values.PIPPI_BAMBINI = Math.round(values.PIPPI_FFTT * 1.5);
  values.PIPPI_EQUIPE = Math.max(1, Math.round(values.PIPPI_FFTT / 10));
  values.RES_COMUNI_VIA_FITTIZIA = Math.max(1, Math.round(plan.members.length * 0.6));
  values.RES_ISCRITTI = count('RES_ISCRITTI', 1 / 2000);
  values.RES_FERMO_POSTA = count('RES_FERMO_POSTA', 1 / 3000);
  values.DDN_PROGETTI = count('DDN_PROGETTI', 1 / 10000, 2);
  values.DDN_BENEFICIARI = values.DDN_PROGETTI * 3;
  values.NA_DOM_UTENTI = count('NA_DOM_UTENTI', 1 / 150, 3);
  values.NA_DOM_ORE = hours(values.NA_DOM_UTENTI * 52.5);
  values.NA_SOL_UTENTI = count('NA_SOL_UTENTI', 1 / 400);
  values.NA_SUP_FAMIGLIE = count('NA_SUP_FAMIGLIE', 1 / 600);
  values.PUA_ACCESSI = count('PUA_ACCESSI', 1 / 50, 10);
  values.UVM_VALUTAZIONI = count('UVM_VALUTAZIONI', 1 / 200, 2);
  values.PAI_REDATTI = Math.max(1, Math.floor(values.UVM_VALUTAZIONI * 0.9));
  values.ADI_NUCLEI_ASSEGNATI = count('ADI_NUCLEI_ASSEGNATI', 1 / 200, 2);
  values.ADI_ANALISI_PRELIMINARI = Math.max(1, Math.floor(values.ADI_NUCLEI_ASSEGNATI * 0.9));
  values.ADI_PAIS_SOTTOSCRITTI = Math.max(1, Math.floor(values.ADI_NUCLEI_ASSEGNATI * 0.75));
  values.SSP_FTE_AS = Math.round(fte * 10000) / 10000;
  values.SSP_ABITANTI_PER_AS = fte > 0 ? Math.round(population / fte) : 0;
  return INDICATORS.map((indicator) => ({
    COD_ATS: plan.ats.ats,
    ANNO_RIF: year,
    COD_LEPS: indicator.leps,
    COD_INDICATORE: indicator.code,
    VALORE: values[indicator.code] ?? 0,
    UNITA: indicator.unit,
    FONTE: indicator.leps === 'LEPS_ADI' ? 'GEPI' : indicator.computed ? null : 'GESTIONALE',
  }));
}

function render(plan: Plan, period: string): Submission {
  const at = snapshot(period);
  const population = plan.members.reduce((total, comune) => total + populationAt(comune, at.year), 0);
  const ats = plan.ats.ats;
  const t2: Row[] = plan.members.map((comune) => ({
    COD_ATS: ats,
    COD_ISTAT_COMUNE: comune.code,
    DENOMINAZIONE_COMUNE: comune.name,
    SIGLA_PROVINCIA: comune.provinceAbbreviation,
    CF_COMUNE: comuneCodiceFiscale(comune.code),
    POPOLAZIONE_RESIDENTE: populationAt(comune, at.year),
    DATA_RIF_POP: `${populationYear(comune, at.year)}-01-01`,
    FLAG_CAPOFILA: plan.form === 'CONV' && comune.code === plan.lead.code ? 'S' : 'N',
  }));
  const t3 = at.annual
    ? [...staffRows(plan, at.year, 'CONSUNTIVO'), ...staffRows(plan, at.year + 1, 'PREVISIONE')]
    : [];
  const fte = at.annual ? countableFte(plan, at.year) : 0;
  const contribution = socialWorkerContribution(population, fte, DEFAULT_PARAMS.contribution).contribution;
  const { t4, t5 } = fundRows(plan, at);
  const t1: Row = {
    COD_ATS: ats,
    DENOMINAZIONE_ATS: plan.ats.name.slice(0, 200),
    COD_REGIONE: plan.regionCode,
    CODICE_REGIONALE_ATS: `${plan.lead.provinceAbbreviation}-${Number(ats.slice(-3))}`,
    ANNO_RIF: at.year,
    FORMA_GESTIONE: plan.form,
    ENTE_GESTORE_DENOM: plan.enteGestoreName,
    ENTE_GESTORE_CF: plan.enteGestoreCf,
    ENTE_CAPOFILA_ISTAT: plan.form === 'CONV' ? plan.lead.code : null,
    AUTONOMIA_ART23: 'S',
    ATTO_COSTITUTIVO_TIPO: plan.form === 'CONV' ? 'Convenzione art. 30 TUEL' : 'Statuto e convenzione costitutiva',
    ATTO_COSTITUTIVO_NUM: String(10 + (Number(ats.slice(-3)) % 40)),
    ATTO_COSTITUTIVO_DATA: `${plan.year - 3}-03-15`,
    ATTO_COSTITUTIVO_SCADENZA: `${plan.year + 6}-12-31`,
    UDP_PRESENTE: 'S',
    UDP_ATTO_DATA: `${plan.year - 3}-04-01`,
    UDP_RESPONSABILE: 'Responsabile Ufficio di Piano',
    UDP_FTE_TOT: 3.5,
    UDP_FTE_AMM: 1,
    UDP_FTE_CONT: 1,
    UDP_FTE_PROGR: 1,
    UDP_FTE_MONIT: 0.5,
    ORGANO_POLITICO_PRESENTE: 'S',
    PDZ_PERIODO: `${plan.year - 1}-${plan.year + 1}`,
    PDZ_DATA_APPROVAZIONE: `${plan.year - 1}-02-10`,
    COINCIDENZA_DISTRETTO: 'S',
    ACCORDO_SOCIOSANITARIO: 'S',
    N_PUA_ATTIVI: Math.max(1, Math.round(population / 60000)),
    REFERENTE_SIOSS: 'Referente SIOSS',
    REFERENTE_MULTIFONDO: 'Referente Multifondo',
    PEC: `ambito.${ats.toLowerCase()}@pec.example.it`,
    POPOLAZIONE_TOT: population,
    ...(at.annual ? { FTE_AS_TI: Math.round(fte * 10000) / 10000, CONTRIBUTO_AS_CALCOLATO: contribution } : {}),
  };
  return {
    template: LEPS_ATS.id,
    templateVersion: LEPS_ATS.version,
    ats,
    period,
    sheets: {
      T1: [t1] as SubmissionRow[],
      T2: t2 as SubmissionRow[],
      T3: t3 as SubmissionRow[],
      T4: t4 as SubmissionRow[],
      T5: t5 as SubmissionRow[],
      T6: (at.annual ? indicatorRows(plan, at.year, population, fte) : []) as SubmissionRow[],
    },
  };
}

/** A valid submission of the ATS at `period`, about `rows` rows in all (see GenerateOptions.rows). */
export function generateSubmission(options: GenerateOptions): Submission {
  return render(makePlan(options), options.period);
}

/**
 * The annual submission of the year before `options.period`, from the same plan: same comuni and ente gestore, the
 * forecast of this year's social workers equal to this year's consuntivo (T3.8), cumulative amounts not higher than
 * now (T4.7) and every fund key of then still present now (T4.16).
 */
export function generatePreviousPeriod(options: GenerateOptions): Submission {
  const plan = makePlan(options);
  return render(plan, previousPeriodOf(options.period));
}

/** Rows of a submission across its sheets. */
export function rowCount(submission: Submission): number {
  return Object.values(submission.sheets).reduce((total, rows) => total + (rows?.length ?? 0), 0);
}
