import type { ValidateOptions } from '../checks/engine.ts';
import { type CheckParams, DEFAULT_PARAMS } from '../checks/params.ts';
import type { RegisteredAts } from '../checks/types.ts';
import type { Submission, SubmissionCell } from '../contract/submission.ts';
import type { ComuniIndex } from '../reference/comuni.ts';
import type { SheetId } from '../template/types.ts';
import { entityCodiceFiscale } from './ats.ts';
import { demoNow, type GenerateOptions, generatePreviousPeriod, generateSubmission } from './generate.ts';

/**
 * Bad variants of a valid demo submission: each breaks exactly one named check, so a test can prove that the check
 * fires on data that is otherwise clean (and that nothing else does). Cross-period variants change the previous
 * period; reference variants bring the reference they need (registered composition, riparto amounts).
 */

type Row = Record<string, SubmissionCell>;

/** A valid annual submission with its previous period, as the variants start from. */
export interface DemoCase {
  readonly options: GenerateOptions;
  readonly submission: Submission;
  readonly previous: Submission;
}

export function demoCase(options: GenerateOptions): DemoCase {
  if (!options.period.endsWith('-12-31')) throw new Error('Bad variants start from an annual return (YYYY-12-31)');
  return { options, submission: generateSubmission(options), previous: generatePreviousPeriod(options) };
}

export interface BadVariant {
  readonly rule: string;
  /** What was broken, in English, for test names. */
  readonly change: string;
  readonly submission: Submission;
  readonly previous?: Submission;
  readonly earlierVersion?: Submission;
  readonly registered?: RegisteredAts;
  readonly params?: CheckParams;
  readonly now: Date;
}

/** The options to validate a variant with: the ISTAT list, the clock and whatever context the variant brings. */
export function variantValidateOptions(variant: BadVariant, comuni: ComuniIndex): ValidateOptions {
  return {
    comuni,
    now: variant.now,
    ...(variant.previous ? { previous: variant.previous } : {}),
    ...(variant.earlierVersion ? { earlierVersion: variant.earlierVersion } : {}),
    ...(variant.registered ? { registered: variant.registered } : {}),
    ...(variant.params ? { params: variant.params } : {}),
  };
}

interface Draft {
  readonly submission: Submission;
  readonly previous: Submission;
  readonly base: DemoCase;
  readonly year: number;
  readonly now: Date;
}

interface Breakage {
  readonly change: string;
  readonly usesPrevious?: boolean;
  readonly earlierVersion?: boolean;
  readonly registered?: RegisteredAts;
  readonly params?: Partial<CheckParams>;
  readonly now?: Date;
}

type Break = (draft: Draft) => Breakage;

function rows(submission: Submission, sheet: SheetId): Row[] {
  const list = submission.sheets[sheet];
  if (!list) throw new Error(`The demo submission has no sheet ${sheet}`);
  return list as Row[];
}

function first(submission: Submission, sheet: SheetId, predicate: (row: Row) => boolean = () => true): Row {
  const found = rows(submission, sheet).find(predicate);
  if (!found) throw new Error(`The demo submission has no matching row in ${sheet}`);
  return found;
}

const t1 = (submission: Submission): Row => first(submission, 'T1');
const number = (value: SubmissionCell | undefined): number => (typeof value === 'number' ? value : 0);
const round2 = (value: number): number => Math.round(value * 100) / 100;
const fundIs =
  (fund: string, quota?: string, year?: number) =>
  (row: Row): boolean =>
    row.FONDO === fund &&
    (quota === undefined || row.QUOTA === quota) &&
    (year === undefined || row.ANNUALITA === year);

/** The T5 rows that break down one T4 row: same fund key and CUP. */
function partsOf(submission: Submission, fundRow: Row): Row[] {
  return rows(submission, 'T5').filter(
    (row) =>
      row.FONDO === fundRow.FONDO &&
      row.QUOTA === fundRow.QUOTA &&
      row.ANNUALITA === fundRow.ANNUALITA &&
      (row.CUP ?? null) === (fundRow.CUP ?? null),
  );
}

function indicator(submission: Submission, code: string): Row {
  return first(submission, 'T6', (row) => row.COD_INDICATORE === code);
}

/** Makes the ATS a convention led by its capofila comune, exactly one flagged (T1.3, T2.3 hold). */
function asConvention(submission: Submission): Row {
  const anagrafica = t1(submission);
  const comuni = rows(submission, 'T2');
  const lead = comuni.find((row) => row.FLAG_CAPOFILA === 'S') ?? comuni[0];
  if (!lead) throw new Error('The demo submission has no comuni');
  for (const row of comuni) row.FLAG_CAPOFILA = row === lead ? 'S' : 'N';
  anagrafica.FORMA_GESTIONE = 'CONV';
  anagrafica.ENTE_CAPOFILA_ISTAT = lead.COD_ISTAT_COMUNE ?? null;
  return lead;
}

/** A staff row outside the contribution's count, so FTE_AS_TI and the contribution stay as they are. */
function extraStaffRow(submission: Submission, overrides: Row): Row {
  const template = first(submission, 'T3');
  const row: Row = {
    ...template,
    ID_DIPENDENTE: 'OP-VARIANTE',
    PROFILO: 'EDUCATORE',
    TIPO_RAPPORTO: 'TD',
    ORE_SETT: 36,
    DATA_INIZIO: `${template.ANNO_RIF}-01-01`,
    DATA_FINE: null,
    GIORNI_IN_SERVIZIO: null,
    FTE: null,
    FONTE_COSTO: 'BIL_COMUNALE',
    ...overrides,
  };
  rows(submission, 'T3').push(row);
  return row;
}

function withoutComputedContribution(submission: Submission): void {
  const anagrafica = t1(submission);
  anagrafica.CONTRIBUTO_AS_CALCOLATO = null;
  const t6 = rows(submission, 'T6');
  const keep = t6.filter((row) => row.COD_INDICATORE !== 'SSP_ABITANTI_PER_AS');
  t6.splice(0, t6.length, ...keep);
}

function italianAmount(value: number): string {
  const [integer = '0', decimals = '00'] = value.toFixed(2).split('.');
  return `${integer.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${decimals}`;
}

const BREAKS: Readonly<Record<string, Break>> = {
  'T1.1': ({ submission }) => {
    delete t1(submission).REFERENTE_SIOSS;
    return { change: 'REFERENTE_SIOSS missing' };
  },
  'T1.2': ({ submission }) => {
    const anagrafica = t1(submission);
    const cf = String(anagrafica.ENTE_GESTORE_CF);
    const wrong = `${cf.slice(0, 10)}${(Number(cf.slice(10)) + 1) % 10}`;
    anagrafica.ENTE_GESTORE_CF = wrong;
    for (const row of rows(submission, 'T3')) if (row.ENTE_DATORE_CF === cf) row.ENTE_DATORE_CF = wrong;
    return { change: 'wrong check digit in ENTE_GESTORE_CF' };
  },
  'T1.3': ({ submission }) => {
    asConvention(submission);
    t1(submission).ENTE_CAPOFILA_ISTAT = '000000';
    return { change: 'capofila not among the comuni' };
  },
  'T1.4': ({ submission }) => {
    t1(submission).UDP_FTE_TOT = 5;
    return { change: 'UDP_FTE_TOT differs from the sum of its parts' };
  },
  'T1.5': ({ submission }) => {
    Object.assign(t1(submission), {
      UDP_FTE_TOT: 0.5,
      UDP_FTE_AMM: 0.5,
      UDP_FTE_CONT: 0,
      UDP_FTE_PROGR: 0,
      UDP_FTE_MONIT: 0,
    });
    return { change: 'Ufficio di Piano under 1 FTE' };
  },
  'T1.6': ({ submission, now }) => {
    t1(submission).ATTO_COSTITUTIVO_SCADENZA = new Date(now.getTime() + 30 * 86400000).toISOString().slice(0, 10);
    return { change: 'atto costitutivo expires in 30 days' };
  },
  'T1.7': ({ submission }) => {
    asConvention(submission);
    t1(submission).AUTONOMIA_ART23 = 'N';
    return { change: 'convention without art. 23 autonomy' };
  },
  'T1.8': ({ previous }) => {
    t1(previous).ENTE_GESTORE_CF = entityCodiceFiscale('9099999000');
    return { change: 'ente gestore changed since the previous period', usesPrevious: true };
  },
  'T1.9': ({ submission }) => {
    const anagrafica = t1(submission);
    anagrafica.POPOLAZIONE_TOT = number(anagrafica.POPOLAZIONE_TOT) + 1;
    return { change: 'POPOLAZIONE_TOT one more than the comuni' };
  },
  'T1.10': ({ submission }) => {
    // Below the ISTAT figure, so no ratio threshold of the contribution (T3.5, T3.6) can newly be crossed.
    const anagrafica = t1(submission);
    anagrafica.POP_RIF = Math.floor(number(anagrafica.POPOLAZIONE_TOT) * 0.99);
    withoutComputedContribution(submission);
    return { change: 'population for the contribution 1% below the ISTAT figure of the comuni' };
  },
  'T2.0': ({ submission }) => {
    first(submission, 'T2').SIGLA_PROVINCIA = 'X1';
    return { change: 'province abbreviation not two letters' };
  },
  'T2.1': ({ submission }) => {
    first(submission, 'T2', (row) => row.FLAG_CAPOFILA !== 'S').COD_ISTAT_COMUNE = 'ABC123';
    return { change: 'malformed ISTAT code' };
  },
  'T2.2': ({ submission, base }) => {
    const region = String(t1(submission).COD_REGIONE);
    const foreign = base.options.comuni.byRegion(region === '01' ? '02' : '01')[0];
    if (!foreign) throw new Error('No comune outside the Region');
    const row = first(submission, 'T2', (candidate) => candidate.FLAG_CAPOFILA !== 'S');
    Object.assign(row, {
      COD_ISTAT_COMUNE: foreign.code,
      DENOMINAZIONE_COMUNE: foreign.name,
      SIGLA_PROVINCIA: foreign.provinceAbbreviation,
    });
    return { change: 'a comune of another Region' };
  },
  'T2.3': ({ submission }) => {
    const lead = asConvention(submission);
    const other = first(submission, 'T2', (row) => row !== lead);
    other.FLAG_CAPOFILA = 'S';
    return { change: 'two capofila comuni in a convention' };
  },
  'T2.4': ({ previous }) => {
    const row = first(previous, 'T2');
    row.POPOLAZIONE_RESIDENTE = Math.max(1, Math.round(number(row.POPOLAZIONE_RESIDENTE) / 2));
    return { change: 'population doubled since the previous period', usesPrevious: true };
  },
  'T2.7': ({ base }) => {
    const registered = base.options.ats;
    return {
      change: 'registered composition lacks one comune',
      registered: { ...registered, comuni: registered.comuni.slice(1) },
    };
  },
  'T3.0': ({ submission }) => {
    const row = first(submission, 'T3', (candidate) => candidate.DATA_FINE === null);
    row.FTE = round2(number(row.FTE) - 0.25);
    return { change: 'typed FTE differs from the computation' };
  },
  'T3.1': ({ submission }) => {
    first(submission, 'T3', (row) => row.ORE_SETT === 36).ORE_SETT = 40;
    return { change: 'weekly hours above full time' };
  },
  'T3.2': ({ submission }) => {
    const row = first(submission, 'T3', (candidate) => candidate.ENTE_DATORE_TIPO === 'COMUNE');
    row.ENTE_DATORE_CF = entityCodiceFiscale('0019999999');
    return { change: 'employer outside the ATS' };
  },
  'T3.3': ({ submission }) => {
    extraStaffRow(submission, {
      ENTE_DATORE_TIPO: 'ASL_DELEGA_RIMBORSO',
      ENTE_DATORE_CF: entityCodiceFiscale('8000000001'),
      ONERI_A_CARICO_ENTE_ATS: 'N',
    });
    return { change: 'ASL staff with costs not borne by the ATS' };
  },
  'T3.4': ({ submission }) => {
    extraStaffRow(submission, { ID_DIPENDENTE: 'OP-DOPPIO' });
    extraStaffRow(submission, { ID_DIPENDENTE: 'OP-DOPPIO' });
    return { change: 'one employee twice with overlapping periods' };
  },
  'T3.5': ({ submission }) => {
    const anagrafica = t1(submission);
    anagrafica.POP_RIF = number(anagrafica.POPOLAZIONE_TOT) * 10;
    withoutComputedContribution(submission);
    // A population this far from ISTAT's is also T1.10's: here the Region has accepted it (its tolerance widened).
    return {
      change: 'population for the contribution ten times larger: ratio under 1:6,500',
      params: { popRifTolerance: 10 },
    };
  },
  'T3.6': ({ submission }) => {
    const anagrafica = t1(submission);
    anagrafica.POP_RIF = Math.round(number(anagrafica.FTE_AS_TI) * 5800);
    withoutComputedContribution(submission);
    return {
      change: 'population for the contribution between 1:5,000 and 1:6,500 per FTE',
      params: { popRifTolerance: 10 },
    };
  },
  'T3.7': ({ submission }) => {
    const anagrafica = t1(submission);
    anagrafica.CONTRIBUTO_AS_CALCOLATO = number(anagrafica.CONTRIBUTO_AS_CALCOLATO) + 1000;
    return { change: 'typed contribution differs from the computation' };
  },
  'T3.8': ({ previous, year }) => {
    const forecast = first(previous, 'T3', (row) => row.TIPO_DATO === 'PREVISIONE' && row.ANNO_RIF === year);
    rows(previous, 'T3').push({
      ...forecast,
      ID_DIPENDENTE: 'AS-PREVISTO',
      ORE_SETT: 36,
      DATA_INIZIO: `${year - 5}-01-01`,
      DATA_FINE: null,
      GIORNI_IN_SERVIZIO: null,
      FTE: null,
    });
    return { change: 'last year forecast one FTE more than this year’s consuntivo', usesPrevious: true };
  },
  'T3.9': ({ submission }) => {
    const anagrafica = t1(submission);
    Object.assign(anagrafica, {
      CERTIFICAZIONE_AS: 'S',
      FIRMA_LEGALE_RAPPRESENTANTE: 'Legale rappresentante, decreto di nomina',
      FIRMA_RESP_FINANZIARIO: 'Responsabile del servizio finanziario',
      FTE_AS_CONSUNTIVO_SIOSS: round2(Math.max(0, number(anagrafica.FTE_AS_TI) - 1)),
    });
    return { change: 'certified FTE above the SIOSS consuntivo' };
  },
  'T3.10': ({ submission }) => {
    const anagrafica = t1(submission);
    Object.assign(anagrafica, {
      CERTIFICAZIONE_AS: 'S',
      FIRMA_LEGALE_RAPPRESENTANTE: 'Legale rappresentante, decreto di nomina',
      FIRMA_RESP_FINANZIARIO: 'Responsabile del servizio finanziario',
      FTE_AS_CONSUNTIVO_SIOSS: round2(number(anagrafica.FTE_AS_TI) + 1),
    });
    return { change: 'certified FTE below the SIOSS consuntivo' };
  },
  'T3.11': ({ submission, year }) => {
    extraStaffRow(submission, { DATA_FINE: `${year}-06-30`, FTE: 1 });
    return { change: 'leaver with a full-year FTE' };
  },
  'T3.12': ({ submission }) => {
    extraStaffRow(submission, { PROFILO: 'ASSISTENTE_SOCIALE', TIPO_RAPPORTO: 'TD', FONTE_COSTO: 'FP_AS797' });
    return { change: 'fixed-term social worker paid by the AS contribution' };
  },
  'T3.13': ({ year, now }) => {
    const deadline = new Date(now.getTime() - 2 * 86400000).toISOString().slice(0, 10);
    return {
      change: 'SIOSS deadline passed',
      params: { siossDeadlines: { ...DEFAULT_PARAMS.siossDeadlines, [String(year + 1)]: deadline } },
    };
  },
  'T4.0': ({ submission }) => {
    const row = first(submission, 'T4', (candidate) => number(candidate.IMPORTO_NON_IMPEGNATO) > 0);
    row.IMPORTO_NON_IMPEGNATO = round2(number(row.IMPORTO_NON_IMPEGNATO) + 100);
    return { change: 'typed non-impegnato differs from assegnato − impegnato' };
  },
  'T4.1': ({ submission }) => {
    const row = first(submission, 'T4', fundIs('COM'));
    row.IMPORTO_ASSEGNATO = round2(number(row.IMPORTO_IMPEGNATO) - 100);
    row.IMPORTO_NON_IMPEGNATO = null;
    return { change: 'impegnato above assegnato' };
  },
  'T4.2': ({ submission }) => {
    const row = first(submission, 'T4', fundIs('FNA'));
    // T5 keeps within the € tolerance of T5.2 with every part fully liquidated: only T4.2 sees the extra 50 cents.
    let committed = 0;
    for (const part of partsOf(submission, row)) {
      part.LIQUIDATO = part.IMPEGNATO ?? 0;
      committed += number(part.IMPEGNATO);
    }
    row.IMPORTO_LIQUIDATO = round2(committed + 0.5);
    row.IMPORTO_IMPEGNATO = round2(committed);
    return { change: 'liquidato above impegnato' };
  },
  'T4.3': ({ submission }) => {
    const row = first(submission, 'T4', fundIs('FNA'));
    row.IMPORTO_PAGATO = round2(number(row.IMPORTO_LIQUIDATO) + 100);
    return { change: 'pagato above liquidato' };
  },
  'T4.4': ({ submission }) => {
    const row = first(submission, 'T4', fundIs('FNA'));
    row.IMPORTO_RENDICONTATO = round2(number(row.IMPORTO_LIQUIDATO) + 100);
    return { change: 'rendicontato above liquidato' };
  },
  'T4.5': ({ submission }) => {
    const row = first(submission, 'T4', (candidate) => number(candidate.IMPORTO_NON_IMPEGNATO) > 0);
    row.MOTIVAZIONE_NON_IMPEGNATO = null;
    return { change: 'non-committed sums without a reason' };
  },
  'T4.6': ({ submission, year }) => {
    const row = first(submission, 'T4', (candidate) => number(candidate.IMPORTO_NON_IMPEGNATO) > 0);
    row.DATA_PREVISTA_IMPEGNO = `${year}-06-30`;
    return { change: 'planned commitment date before the reference date' };
  },
  'T4.7': ({ submission, previous }) => {
    const row = first(submission, 'T4', fundIs('FNA'));
    const before = first(previous, 'T4', fundIs('FNA', row.QUOTA as string, row.ANNUALITA as number));
    before.IMPORTO_IMPEGNATO = round2(number(row.IMPORTO_IMPEGNATO) + 1000);
    row.NUOVI_IMPEGNI_PERIODO = null;
    return { change: 'impegnato lower than in the previous period', usesPrevious: true };
  },
  'T4.8': ({ submission }) => {
    const row = first(submission, 'T4', fundIs('FNA'));
    row.NUOVI_IMPEGNI_PERIODO = round2(number(row.NUOVI_IMPEGNI_PERIODO) + 100);
    return { change: 'new commitments do not add up to the cumulative', usesPrevious: true };
  },
  'T4.9': ({ submission, year }) => {
    const row = first(submission, 'T4', fundIs('FP', 'QSFP', year - 1));
    const key = `${submission.ats}|FP|QSFP|${year - 1}`;
    return {
      change: 'assegnato differs from the riparto decree',
      params: {
        ripartoAmounts: { [key]: { amount: number(row.IMPORTO_ASSEGNATO) + 1000, act: 'DM di riparto (variante)' } },
      },
    };
  },
  'T4.10': ({ submission }) => {
    const projects = rows(submission, 'T4').filter(fundIs('PNRR'));
    const [one, two] = projects;
    if (!one || !two) throw new Error('The demo submission has fewer than two PNRR projects');
    two.CUP = one.CUP ?? null;
    return { change: 'two PNRR projects with the same CUP' };
  },
  'T4.11': ({ submission }) => {
    const row = first(submission, 'T4', fundIs('PNRR'));
    row.DATA_FINE_SPESA_PROGRAMMATA = submission.period;
    row.TARGET_REALIZZATO = Math.max(0, number(row.TARGET_PROGRAMMATO) - 1);
    return { change: 'PNRR target missed at the end of the project' };
  },
  'T4.12': ({ submission, year }) => {
    const row = first(submission, 'T4', fundIs('FP', 'QSFP', year - 2));
    row.IMPORTO_RENDICONTATO = round2(number(row.IMPORTO_ASSEGNATO) * 0.5);
    return { change: 'FP two years back rendicontato at 50%' };
  },
  'T4.13': ({ submission, year }) => {
    first(submission, 'T4', fundIs('FP', 'QSFP', year - 1)).IMPORTO_RENDICONTATO = 0;
    return DEFAULT_PARAMS.fpStartRuleYears.includes(year)
      ? { change: 'FP of last year with nothing rendicontato' }
      : { change: 'FP of last year with nothing rendicontato', params: { fpStartRuleYears: [year] } };
  },
  'T4.14': ({ submission, year }) => {
    const row = first(submission, 'T4', fundIs('FNPS', 'UNICA', year - 1));
    let paidOut = 0;
    for (const part of partsOf(submission, row)) {
      part.LIQUIDATO = round2(number(part.IMPEGNATO) * 0.3);
      part.DI_CUI_PERSONALE = null;
      paidOut += number(part.LIQUIDATO);
    }
    row.IMPORTO_LIQUIDATO = round2(paidOut);
    row.IMPORTO_PAGATO = round2(paidOut);
    row.IMPORTO_RENDICONTATO = 0;
    return { change: 'FNPS of last year liquidated at 30%' };
  },
  'T4.15': ({ submission, now }) => {
    const day = (offset: number): string => new Date(now.getTime() + offset * 86400000).toISOString().slice(0, 10);
    return {
      change: 'monitoring window closed',
      params: { monitoringWindows: { [submission.period]: { opens: day(-20), closes: day(-2) } } },
    };
  },
  'T4.16': ({ previous }) => {
    const row = first(previous, 'T4', fundIs('FNA'));
    rows(previous, 'T4').push({ ...row, FONDO: 'DDN', QUOTA: 'UNICA' });
    return { change: 'a fund key of the previous period is missing now', usesPrevious: true };
  },
  'T5.0': ({ submission }) => {
    first(submission, 'T5').MODALITA = 'XYZ';
    return { change: 'modality not in the code list' };
  },
  'T5.1': ({ submission }) => {
    const row = first(submission, 'T5');
    row.DI_CUI_PERSONALE = round2(number(row.LIQUIDATO) + 100);
    return { change: 'staff share above liquidato' };
  },
  'T5.2': ({ submission }) => {
    const row = first(submission, 'T5');
    row.IMPEGNATO = round2(number(row.IMPEGNATO) + 100);
    return { change: 'breakdown does not add up to the fund' };
  },
  'T5.3': ({ submission }) => {
    first(submission, 'T5', fundIs('FP', 'QSFP')).COD_INTERVENTO = 'FNPS_ACC';
    return { change: 'Quota Servizi on an intervention outside art. 7' };
  },
  'T5.4': ({ submission }) => {
    first(submission, 'T5', fundIs('FP', 'QPE')).AREA = 'MIN_FAM';
    return { change: 'Quota Povertà Estrema outside poverty' };
  },
  'T5.5': ({ submission }) => {
    Object.assign(first(submission, 'T5', fundIs('FNA')), { COD_LEPS: 'LEPS_SSP', AREA: 'ANZ' });
    return { change: 'FNA on a LEPS outside non autosufficienza' };
  },
  'T5.6': ({ submission }) => {
    first(submission, 'T5', fundIs('PNRR', 'M5C2_1.1.1')).COD_LEPS = 'LEPS_DIM';
    return { change: 'PNRR line 1.1.1 spent on dimissioni protette' };
  },
  'T5.7': ({ submission }) => {
    for (const row of rows(submission, 'T5').filter(fundIs('FNPS', 'UNICA'))) row.AREA = 'POV';
    return { change: 'FNPS mostly outside infanzia e famiglia' };
  },
  'T5.8': ({ submission }) => {
    const row = first(submission, 'T4', fundIs('FNPS', 'FNPS_PIPPI'));
    // A small allocation keeps the FNPS use of the year above 75% (T4.14) while the earmarked quota has no spending.
    Object.assign(row, {
      IMPORTO_ASSEGNATO: 100,
      IMPORTO_INCASSATO: 100,
      IMPORTO_IMPEGNATO: 100,
      IMPORTO_LIQUIDATO: 0,
      IMPORTO_PAGATO: 0,
      IMPORTO_RENDICONTATO: 0,
      IMPORTO_NON_IMPEGNATO: 0,
      MOTIVAZIONE_NON_IMPEGNATO: null,
      DATA_PREVISTA_IMPEGNO: null,
      NUOVI_IMPEGNI_PERIODO: null,
    });
    const parts = partsOf(submission, row);
    parts.forEach((part, index) => {
      Object.assign(part, { IMPEGNATO: index === 0 ? 100 : 0, LIQUIDATO: 0, DI_CUI_PERSONALE: null });
    });
    return { change: 'earmarked FNPS P.I.P.P.I. quota without spending' };
  },
  'T5.9': ({ submission }) => {
    for (const row of rows(submission, 'T5').filter(fundIs('COM'))) row.MODALITA = 'TRASF_ENTE';
    return { change: 'own funds all transferred to other entities' };
  },
  'T6.0': ({ submission }) => {
    indicator(submission, 'PIS_ACCOGLIENZE').COD_INDICATORE = 'XYZ';
    return { change: 'indicator code not in the list' };
  },
  'T6.1': ({ submission }) => {
    const row = indicator(submission, 'PIS_SEGNALAZIONI');
    row.VALORE = number(row.VALORE) + 0.5;
    return { change: 'a count with decimals' };
  },
  'T6.2': ({ submission }) => {
    indicator(submission, 'SUP_OPERATORI_SUPERVISIONATI').VALORE =
      number(indicator(submission, 'SUP_OPERATORI_TOT').VALORE) + 1;
    return { change: 'more supervised operators than operators' };
  },
  'T6.3': ({ submission }) => {
    indicator(submission, 'PIS_ORE_COPERTURA_SETT').VALORE = 100;
    return { change: 'Pronto intervento sociale not h24' };
  },
  'T6.4': ({ submission }) => {
    for (const row of rows(submission, 'T6').filter((candidate) => candidate.COD_LEPS === 'LEPS_DDN')) row.VALORE = 0;
    return { change: 'Dopo di Noi spending without beneficiaries' };
  },
  'T6.5': ({ submission }) => {
    const row = indicator(submission, 'SSP_FTE_AS');
    row.VALORE = round2(number(row.VALORE) + 1);
    return { change: 'typed SSP_FTE_AS differs from T3' };
  },
  'T6.6': ({ submission }) => {
    indicator(submission, 'PIPPI_FFTT').VALORE = 0;
    return { change: 'P.I.P.P.I. funded without target families' };
  },
  'T6.7': ({ submission, previous }) => {
    indicator(previous, 'PUA_ACCESSI').VALORE = number(indicator(submission, 'PUA_ACCESSI').VALORE) * 3;
    return { change: 'PUA accesses fell by two thirds', usesPrevious: true };
  },
  'S.1': ({ submission }) => {
    first(submission, 'T5').COD_ATS = 'ATS-99-999';
    return { change: 'a row of another ATS' };
  },
  'S.2': ({ submission }) => {
    submission.templateVersion = '2020.1';
    return { change: 'template version not published' };
  },
  'S.3': ({ submission }) => {
    const row = first(submission, 'T4');
    row.IMPORTO_INCASSATO = italianAmount(number(row.IMPORTO_INCASSATO));
    return { change: 'an amount typed as Italian text' };
  },
  'S.4': () => ({ change: 'a second version without a reason', earlierVersion: true }),
  'S.5': ({ submission }) => {
    t1(submission).CERTIFICAZIONE_AS = 'S';
    return { change: 'certification without signatories' };
  },
};

/** Every rule a bad variant exists for: all submission, cross-period and reference rules of the catalogue. */
export const VARIANT_RULES: readonly string[] = Object.keys(BREAKS);

/** A copy of the demo case with exactly `rule` broken. */
export function badVariant(rule: string, base: DemoCase): BadVariant {
  const breakIt = BREAKS[rule];
  if (!breakIt) throw new Error(`No bad variant for rule ${rule}`);
  const draft: Draft = {
    submission: structuredClone(base.submission),
    previous: structuredClone(base.previous),
    base,
    year: Number(base.submission.period.slice(0, 4)),
    now: demoNow(base.submission.period),
  };
  const breakage = breakIt(draft);
  return {
    rule,
    change: breakage.change,
    submission: draft.submission,
    now: breakage.now ?? draft.now,
    ...(breakage.usesPrevious ? { previous: draft.previous } : {}),
    ...(breakage.earlierVersion ? { earlierVersion: base.submission } : {}),
    ...(breakage.registered ? { registered: breakage.registered } : {}),
    ...(breakage.params ? { params: { ...DEFAULT_PARAMS, ...breakage.params } } : {}),
  };
}
