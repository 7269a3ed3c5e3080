import type { Severity } from './types.ts';

/**
 * Every threshold the spec marks [inferred] or [verify], and every per-year calendar, is a parameter here rather than a
 * literal in a check. A Region can override any of them (and any rule's severity) without a new release.
 */
export interface CheckParams {
  /** L. 178/2020 c. 797 (verified): population per AS at the three thresholds and € per FTE in each band. */
  readonly contribution: {
    readonly minimumRatio: number;
    readonly lepRatio: number;
    readonly targetRatio: number;
    readonly band1EuroPerFte: number;
    readonly band2EuroPerFte: number;
  };
  /** R-AS-3: full-time weekly hours when a row leaves ORE_TEMPO_PIENO empty (UNVERIFIED as the Ministry's basis). */
  readonly fullTimeHours: number;
  /** T1.5: UdP FTE below which the warning fires ([inferred]). */
  readonly udpMinFte: number;
  /** T1.6: days before expiry of the atto costitutivo that trigger the warning. */
  readonly attoExpiryWarningDays: number;
  /** T1.4, T1.9, T3.7, T6.5: tolerance for FTE and totals. */
  readonly fteTolerance: number;
  /** T5.2: tolerance in € for sums that must match (T4.8 uses the cent, as the spec says). */
  readonly euroTolerance: number;
  /** T2.4: relative population change that triggers the warning ([inferred]). */
  readonly populationChangeWarning: number;
  /** T1.10: share by which POP_RIF may differ from the ISTAT population before the warning fires (R-AS-2: 0.5 %). */
  readonly popRifTolerance: number;
  /** T3.13: SIOSS deadline for CONSUNTIVO N-1 / PREVISIONE N, per year N (R-AS-6); default 28 February. */
  readonly siossDeadlines: Readonly<Record<string, string>>;
  readonly siossDefaultDeadline: { readonly month: number; readonly day: number };
  /** T4.10: PNRR M5C2 ceiling per project and line, in € (S44). Line 1.2 has no single ceiling in the spec: no check. */
  readonly pnrrCeilings: Readonly<Record<string, number>>;
  /** T4.9: amounts of the riparto decrees loaded as reference, keyed `ATS|FONDO|QUOTA|ANNUALITA`. */
  readonly ripartoAmounts: Readonly<Record<string, { readonly amount: number; readonly act: string }>>;
  /** T4.12: share of the second-preceding annualità that must be rendicontato (FP, from 2027). */
  readonly fpRendicontazioneShare: number;
  /** T4.13: years of FP annualità under the 2024-26 "start of rendicontazione" rule. */
  readonly fpStartRuleYears: readonly number[];
  /** T4.14: FNPS share of liquidato on assegnato for erogazione. */
  readonly fnpsUseShare: number;
  /** T4.15: ministerial windows per reference date (ISO), closing date inclusive. */
  readonly monitoringWindows: Readonly<Record<string, { readonly opens: string; readonly closes: string }>>;
  /** T5.3: LEPS admitted under QSFP; LEPS_SUP is [verify]. */
  readonly qsfpAllowedLeps: readonly string[];
  /** T5.7: minimum FNPS share for infanzia/adolescenza (S37). */
  readonly fnpsMinFamShare: number;
  /** T5.8: months after the annualità's start after which an earmarked FNPS quota without spending is flagged. */
  readonly fnpsEarmarkedMonths: number;
  /** T5.9: share of an ATS fund total transferred to other entities above which the warning fires ([inferred]). */
  readonly transferShareWarning: number;
  /** T6.7: relative change and minimum count for the anomaly warning ([inferred]). */
  readonly indicatorChangeWarning: number;
  readonly indicatorChangeMinCount: number;
  /** T6.8: percentiles of the regional unit-cost band ([inferred]). */
  readonly unitCostBand: { readonly low: number; readonly high: number };
  /** T6.8: fewest ATS with data for a regional band to mean anything ([inferred]). */
  readonly unitCostMinAts: number;
  /** Any rule's severity, overridden by the Region (e.g. T4.13 demoted to warning, T3.10 per verify.md). */
  readonly severityOverrides: Readonly<Record<string, Severity>>;
}

export const DEFAULT_PARAMS: CheckParams = {
  contribution: {
    minimumRatio: 6500,
    lepRatio: 5000,
    targetRatio: 4000,
    band1EuroPerFte: 40000,
    band2EuroPerFte: 20000,
  },
  fullTimeHours: 36,
  udpMinFte: 1,
  attoExpiryWarningDays: 180,
  fteTolerance: 0.01,
  euroTolerance: 1,
  populationChangeWarning: 0.1,
  popRifTolerance: 0.005,
  siossDeadlines: { '2023': '2023-02-28', '2024': '2024-02-28', '2025': '2025-02-28', '2026': '2026-02-28' },
  siossDefaultDeadline: { month: 2, day: 28 },
  pnrrCeilings: {
    '1.1.1': 211500,
    '1.1.2': 2460000,
    '1.1.3': 330000,
    '1.1.4': 210000,
    '1.3.1': 710000,
    '1.3.2': 1090000,
  },
  ripartoAmounts: {},
  fpRendicontazioneShare: 0.75,
  fpStartRuleYears: [2024, 2025, 2026],
  fnpsUseShare: 0.75,
  monitoringWindows: {
    '2023-12-31': { opens: '2024-03-25', closes: '2024-04-22' },
    '2024-08-31': { opens: '2024-09-19', closes: '2024-10-28' },
    '2024-12-31': { opens: '2025-01-20', closes: '2025-02-07' },
    '2025-12-31': { opens: '2026-01-20', closes: '2026-02-28' },
  },
  qsfpAllowedLeps: ['LEPS_ADI', 'LEPS_PIS', 'LEPS_SSP', 'LEPS_SUP'],
  fnpsMinFamShare: 0.5,
  fnpsEarmarkedMonths: 12,
  transferShareWarning: 0.5,
  indicatorChangeWarning: 0.5,
  indicatorChangeMinCount: 20,
  unitCostBand: { low: 0.1, high: 0.9 },
  unitCostMinAts: 5,
  severityOverrides: {},
};

/**
 * Parameters that are national, not a Region's: the L. 178/2020 contribution (verified law). Every other parameter a
 * Region may set (PUT /v1/regions/{region}/parameters; shared/checks/params-schema.ts validates them).
 */
export const NATIONAL_PARAMETERS = ['contribution'] as const;
export type RegionParameterKey = Exclude<keyof CheckParams, (typeof NATIONAL_PARAMETERS)[number]>;
/** A Region's overrides: any subset of its parameters, each replacing the default whole. */
export type RegionParameters = Partial<Pick<CheckParams, RegionParameterKey>>;

/** Parameters with a Region's overrides applied on top of the defaults. */
export function withParams(overrides: Partial<CheckParams> = {}): CheckParams {
  return { ...DEFAULT_PARAMS, ...overrides };
}
