import { DEFAULT_PARAMS, type RegionParameterKey, type RegionParameters } from '../../shared/checks/params.ts';
import { regionParametersSchema } from '../../shared/checks/params-schema.ts';
import { toSchemaIssues } from '../../shared/contract/issues.ts';
import type { RegionParametersResponse } from '../../shared/contract/region-parameters.ts';

/**
 * What the regional panel shows and sends for the Region's check parameters, without the DOM: one row per parameter
 * (its Italian name, the default, the Region's value), and the reading of the reviewer's edit into the PUT body, with
 * the same schema and Italian messages as the server.
 */

/** The Italian name of each parameter a Region may set, with the rule it feeds (domain.md, verify.md). */
export const PARAMETER_LABELS: Readonly<Record<RegionParameterKey, string>> = {
  fullTimeHours: 'Ore settimanali a tempo pieno, se ORE_TEMPO_PIENO è vuoto (R-AS-3)',
  udpMinFte: 'FTE minimi dell’Ufficio di Piano (T1.5)',
  attoExpiryWarningDays: 'Giorni di preavviso sulla scadenza dell’atto costitutivo (T1.6)',
  fteTolerance: 'Tolleranza sugli FTE (T1.4, T1.9, T3.7, T6.5)',
  euroTolerance: 'Tolleranza in euro sulle somme (T5.2)',
  populationChangeWarning: 'Variazione di popolazione che genera l’avviso (T2.4)',
  popRifTolerance: 'Scarto ammesso tra POP_RIF e la popolazione ISTAT (T1.10)',
  siossDeadlines: 'Scadenze SIOSS per anno (T3.13)',
  siossDefaultDeadline: 'Scadenza SIOSS negli anni non elencati (T3.13)',
  pnrrCeilings: 'Massimali PNRR M5C2 per linea, in euro (T4.10)',
  ripartoAmounts: 'Importi dei decreti di riparto, per Ambito, fondo, quota e annualità (T4.9)',
  fpRendicontazioneShare: 'Quota del Fondo Povertà da rendicontare (T4.12)',
  fpStartRuleYears: 'Annualità FP con la regola di avvio della rendicontazione (T4.13)',
  fnpsUseShare: 'Quota FNPS liquidata sull’assegnato (T4.14)',
  monitoringWindows: 'Finestre ministeriali di rilevazione (T4.15)',
  qsfpAllowedLeps: 'LEPS ammessi sulla quota QSFP (T5.3)',
  fnpsMinFamShare: 'Quota FNPS minima per infanzia e adolescenza (T5.7)',
  fnpsEarmarkedMonths: 'Mesi dopo i quali una quota FNPS vincolata senza spesa è segnalata (T5.8)',
  transferShareWarning: 'Quota trasferita ad altri enti che genera l’avviso (T5.9)',
  indicatorChangeWarning: 'Variazione anomala degli indicatori (T6.7)',
  indicatorChangeMinCount: 'Numero minimo di casi per la variazione anomala (T6.7)',
  unitCostBand: 'Percentili dell’intervallo regionale dei costi unitari (T6.8)',
  unitCostMinAts: 'Ambiti minimi con dati per l’intervallo regionale (T6.8)',
  severityOverrides: 'Gravità delle regole cambiate dalla Regione (error = bloccante, warning = avviso)',
};

export const REGION_PARAMETER_KEYS = Object.keys(PARAMETER_LABELS) as RegionParameterKey[];

export interface ParameterRow {
  readonly key: RegionParameterKey;
  readonly label: string;
  /** Compact JSON of the default. */
  readonly defaultValue: string;
  /** Compact JSON of the Region's value, or null when the Region uses the default. */
  readonly regionValue: string | null;
}

export function parameterRows(parameters: RegionParameters): ParameterRow[] {
  return REGION_PARAMETER_KEYS.map((key) => {
    const own = parameters[key];
    return {
      key,
      label: PARAMETER_LABELS[key],
      defaultValue: JSON.stringify(DEFAULT_PARAMS[key]),
      regionValue: own === undefined ? null : JSON.stringify(own),
    };
  });
}

/** The Italian line above the table: which version is in force, since when, set by whom. */
export function versionLine(response: RegionParametersResponse): string {
  if (response.version === 0) {
    return `La Regione ${response.region} usa i valori predefiniti: nessun parametro è stato cambiato.`;
  }
  const day = (response.updatedAt ?? '').slice(0, 10).split('-').reverse().join('/');
  return `Parametri della Regione ${response.region}, versione ${response.version} del ${day} (utente ${response.updatedBy ?? 'sconosciuto'}).`;
}

/** The text the reviewer edits: the Region's overrides as indented JSON ({} when it uses every default). */
export function editableText(parameters: RegionParameters): string {
  return JSON.stringify(parameters, null, 2);
}

export type EditOutcome =
  | { readonly ok: true; readonly parameters: RegionParameters }
  | { readonly ok: false; readonly message: string; readonly details: readonly string[] };

/** The reviewer's text as the PUT body's parameters, checked as the server checks them (same schema and messages). */
export function readEdit(text: string): EditOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: 'Testo non valido: atteso un oggetto JSON, ad es. {"udpMinFte": 2}.',
      details: [reason],
    };
  }
  const parsed = regionParametersSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      message: 'Parametri dei controlli non validi: correggere i valori indicati.',
      details: toSchemaIssues(parsed.error).map((issue) => `${issue.path}: ${issue.message}`),
    };
  }
  return { ok: true, parameters: parsed.data as RegionParameters };
}
