import * as z from 'zod/mini';
import { CODE_LISTS } from '../template/code-lists.ts';
import { RULES } from './catalogue.ts';
import type { CheckParams, RegionParameterKey } from './params.ts';

/*
 * What a Region may set of the check parameters (functions, the regional panel and the CLI validate with it). Its own
 * module: params.ts is imported by every check, and esbuild cannot drop top-level zod calls.
 */

/**
 * Rules whose severity is the template's, not a Region's: the conformance of values to the national template (`Tn.0`
 * and T1.1) and the whole-submission rules (S.1–S.5: one ATS and period, the published version, numbers as numbers, the
 * reason for a re-submission, the certification of nota MLPS 5635/2024). Demoting one would let a malformed return be
 * stored.
 */
export const FIXED_SEVERITY_RULES: ReadonlySet<string> = new Set(
  RULES.filter((rule) => rule.id.startsWith('S.') || rule.id.endsWith('.0') || rule.id === 'T1.1').map(
    (rule) => rule.id,
  ),
);

/** The rules a Region may promote to error or demote to warning. */
export const ADJUSTABLE_RULES: readonly string[] = RULES.filter((rule) => !FIXED_SEVERITY_RULES.has(rule.id)).map(
  (rule) => rule.id,
);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

const isoDate = z
  .string({ error: 'Data non valida: attesa AAAA-MM-GG.' })
  .check(z.refine(isCalendarDate, 'Data non valida: attesa AAAA-MM-GG, esistente nel calendario.'));

/**
 * A number written the Italian way, when a message needs it. The messages are built only when an issue is raised: the
 * first toLocaleString('it-IT') loads ICU's locale data, and formatting every bound when this module loaded cost each
 * function importing it about 20 ms of cold start (`npm run bench -- coldstart`).
 */
function italian(value: number): string {
  return value.toLocaleString('it-IT');
}

/** A finite number in [min, max], with the bounds named in the message. */
function numberIn(min: number, max: number, what: string) {
  const range = () => `${what} tra ${italian(min)} e ${italian(max)}`;
  return z
    .number({ error: () => `Valore non valido: atteso un numero, ${range()}.` })
    .check(
      z.gte(min, { error: () => `Valore troppo basso: ${range()}.` }),
      z.lte(max, { error: () => `Valore troppo alto: ${range()}.` }),
    );
}

function integerIn(min: number, max: number, what: string) {
  return numberIn(min, max, what).check(z.int(`Valore non valido: atteso un numero intero (${what}).`));
}

const share = (what: string) => numberIn(0, 1, `${what}, una quota (0 = 0 %, 1 = 100 %)`);

function recordOf<V extends z.ZodMiniType>(key: RegExp, keyMessage: string, value: V, most: number) {
  return z.record(z.string().check(z.regex(key, keyMessage)), value).check(
    z.refine((entries) => Object.keys(entries).length <= most, {
      error: () => `Troppe voci: al massimo ${italian(most)}.`,
    }),
  );
}

const LEPS_CODES = CODE_LISTS.LEPS.values.map((value) => value.code);
const RIPARTO_KEY = /^ATS-\d{2}-\d{3}\|[A-Z0-9_]{1,20}\|[A-Z0-9_.]{1,20}\|\d{4}$/;

const regionParameterShape = {
  fullTimeHours: numberIn(1, 48, 'ore settimanali a tempo pieno'),
  udpMinFte: numberIn(0, 100, 'FTE minimi dell\u2019Ufficio di Piano'),
  attoExpiryWarningDays: integerIn(0, 3650, 'giorni di preavviso sulla scadenza dell\u2019atto'),
  fteTolerance: numberIn(0, 1, 'tolleranza sugli FTE'),
  euroTolerance: numberIn(0, 1000, 'tolleranza in euro'),
  populationChangeWarning: numberIn(0.001, 10, 'variazione relativa della popolazione'),
  popRifTolerance: numberIn(0, 1, 'scarto ammesso dalla popolazione ISTAT (0,005 = 0,5 %)'),
  siossDeadlines: recordOf(/^\d{4}$/, 'Anno non valido: attese 4 cifre.', isoDate, 100),
  siossDefaultDeadline: z
    .strictObject({
      month: integerIn(1, 12, 'mese'),
      day: integerIn(1, 31, 'giorno'),
    })
    .check(
      z.refine(
        (deadline) => isCalendarDate(`2024-${pad(deadline.month)}-${pad(deadline.day)}`),
        'Data non valida: giorno inesistente nel mese indicato.',
      ),
    ),
  pnrrCeilings: recordOf(
    /^\d\.\d(?:\.\d)?$/,
    'Linea PNRR non valida: attesa ad es. 1.1.1.',
    numberIn(0, 1e9, 'massimale in euro'),
    50,
  ),
  ripartoAmounts: recordOf(
    RIPARTO_KEY,
    'Chiave non valida: attesa ATS-RR-NNN|FONDO|QUOTA|ANNO.',
    z.strictObject({
      amount: numberIn(0, 1e10, 'importo in euro'),
      act: z
        .string({ error: 'Indicare l\u2019atto di riparto.' })
        .check(z.minLength(1, 'Indicare l\u2019atto di riparto.'), z.maxLength(200, 'Atto troppo lungo.')),
    }),
    2000,
  ),
  fpRendicontazioneShare: share('quota da rendicontare'),
  fpStartRuleYears: z
    .array(integerIn(2000, 2100, 'anno'), { error: 'Valore non valido: attesa una lista di anni.' })
    .check(
      z.maxLength(50, 'Lista non valida: troppi anni.'),
      z.refine((years) => new Set(years).size === years.length, 'Lista non valida: anni ripetuti.'),
    ),
  fnpsUseShare: share('quota FNPS liquidata'),
  monitoringWindows: recordOf(
    ISO_DATE,
    'Data di riferimento non valida: attesa AAAA-MM-GG.',
    z
      .strictObject({ opens: isoDate, closes: isoDate })
      .check(z.refine((window) => window.opens <= window.closes, 'Finestra non valida: si chiude prima di aprirsi.')),
    100,
  ),
  qsfpAllowedLeps: z
    .array(
      z.enum(LEPS_CODES as [string, ...string[]], { error: `LEPS non ammesso: attesi ${LEPS_CODES.join(', ')}.` }),
      { error: 'Valore non valido: attesa una lista di LEPS.' },
    )
    .check(z.refine((codes) => new Set(codes).size === codes.length, 'Lista non valida: LEPS ripetuti.')),
  fnpsMinFamShare: share('quota FNPS minima per infanzia e adolescenza'),
  fnpsEarmarkedMonths: integerIn(1, 120, 'mesi'),
  transferShareWarning: share('quota trasferita'),
  indicatorChangeWarning: numberIn(0.001, 100, 'variazione relativa degli indicatori'),
  indicatorChangeMinCount: integerIn(0, 1_000_000, 'numero minimo di casi'),
  unitCostBand: z
    .strictObject({ low: share('percentile inferiore'), high: share('percentile superiore') })
    .check(z.refine((band) => band.low < band.high, 'Il percentile inferiore deve essere minore di quello superiore.')),
  unitCostMinAts: integerIn(1, 1000, 'numero minimo di Ambiti'),
  severityOverrides: z.record(
    z
      .string()
      .check(
        z.refine(
          (rule) => ADJUSTABLE_RULES.includes(rule),
          'Regola non valida: sconosciuta, o con gravità fissata dal modello nazionale (Tn.0, T1.1, S.1–S.5).',
        ),
      ),
    z.enum(['error', 'warning'], { error: 'Gravità non valida: attesa "error" o "warning".' }),
  ),
};

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * Every parameter a Region may set has its schema here: this fails to compile when params.ts gains a Region parameter
 * without one, or loses one that has.
 */
type Exhaustive<T extends never> = T;
export type _EveryRegionParameterHasASchema = Exhaustive<
  | Exclude<RegionParameterKey, keyof typeof regionParameterShape>
  | Exclude<keyof typeof regionParameterShape, RegionParameterKey>
>;
/** And each schema gives that parameter's type. */
export type _SchemasGiveTheParameterTypes = Exhaustive<
  {
    [K in RegionParameterKey]: z.infer<(typeof regionParameterShape)[K]> extends CheckParams[K] ? never : K;
  }[RegionParameterKey]
>;

/**
 * A Region's overrides: any subset of its parameters, each replacing the default whole (a record such as
 * siossDeadlines is replaced, not merged: what the reviewer sees is what applies). A key outside the list — a national
 * parameter such as the L. 178/2020 contribution, or a typo — is refused.
 */
const optionalShape = Object.fromEntries(
  Object.entries(regionParameterShape).map(([key, schema]) => [key, z.optional(schema)]),
) as { [K in RegionParameterKey]: z.ZodMiniOptional<(typeof regionParameterShape)[K]> };

export const regionParametersSchema = z.strictObject(optionalShape);

/** The same, as a client reads it from a response: a parameter it does not know yet is kept, not an error. */
export const regionParametersReadSchema = z.looseObject(optionalShape);
