import { isValidEntityCodiceFiscale } from '../../domain/codice-fiscale.ts';
import { formatItalianDate, formatNumber, isoDay } from '../../domain/italian-format.ts';
import type { ComuniIndex } from '../../reference/comuni.ts';
import { activeComuneRows, num, populationTotal, referenceYear, str, t1Row } from '../derived.ts';
import type { NormalizedSubmission } from '../types.ts';
import type { RuleModule } from './module.ts';

/** T1 — ATS_Anagrafica (domain.md §4.2). T1.1 is reported while reading cells (normalize.ts). */

const at = (column: string, message: string) => ({ sheet: 'T1' as const, row: 1, column, message });

export const T1_RULES: RuleModule = {
  submission: {
    'T1.2': ({ submission }, emit) => {
      const cf = str(t1Row(submission).ENTE_GESTORE_CF);
      // A value that is not 11 digits was reported while reading; here only the check digit is left to test.
      if (cf && /^\d{11}$/.test(cf) && !isValidEntityCodiceFiscale(cf)) {
        emit(at('ENTE_GESTORE_CF', `Codice fiscale dell'ente gestore non valido (${cf}): cifra di controllo errata.`));
      }
    },
    'T1.3': ({ submission }, emit) => {
      const row = t1Row(submission);
      const capofila = str(row.ENTE_CAPOFILA_ISTAT);
      if (row.FORMA_GESTIONE !== 'CONV' || capofila === null) return;
      const listed = submission.sheets.T2.some(
        (comune) => comune.COD_ISTAT_COMUNE === capofila && comune.FLAG_CAPOFILA === 'S',
      );
      if (!listed) {
        emit(
          at(
            'ENTE_CAPOFILA_ISTAT',
            `In convenzione l'ente capofila deve essere un comune dell'Ambito (foglio Comuni) con capofila = S: ${capofila} non lo è.`,
          ),
        );
      }
    },
    'T1.4': ({ submission, params }, emit) => {
      const row = t1Row(submission);
      if (row.UDP_PRESENTE !== 'S') return;
      const total = num(row.UDP_FTE_TOT);
      const parts = ['UDP_FTE_AMM', 'UDP_FTE_CONT', 'UDP_FTE_PROGR', 'UDP_FTE_MONIT'].map((key) => num(row[key]));
      if (total === null || parts.some((part) => part === null)) return;
      const sum = parts.reduce<number>((accumulator, part) => accumulator + (part ?? 0), 0);
      if (Math.abs(total - sum) > params.fteTolerance + 1e-9) {
        emit(
          at(
            'UDP_FTE_TOT',
            `Ufficio di Piano: FTE totali (${formatNumber(total)}) diversi dalla somma delle componenti (${formatNumber(sum)}).`,
          ),
        );
      }
    },
    'T1.5': ({ submission, params }, emit) => {
      const row = t1Row(submission);
      if (row.UDP_PRESENTE === 'N') {
        emit(at('UDP_PRESENTE', 'Ufficio di Piano assente: le Linee guida 2025 prevedono una regia tecnica stabile.'));
        return;
      }
      const total = num(row.UDP_FTE_TOT);
      if (row.UDP_PRESENTE === 'S' && total !== null && total < params.udpMinFte) {
        emit(
          at(
            'UDP_FTE_TOT',
            `Ufficio di Piano sotto ${formatNumber(params.udpMinFte)} FTE (${formatNumber(total)}): le Linee guida 2025 prevedono una regia tecnica stabile.`,
          ),
        );
      }
    },
    'T1.6': ({ submission, params, now }, emit) => {
      const expiry = str(t1Row(submission).ATTO_COSTITUTIVO_SCADENZA);
      if (expiry === null) return;
      const today = Math.floor(now.getTime() / 86400000);
      const days = isoDay(expiry) - today;
      if (days < 0) {
        emit(
          at('ATTO_COSTITUTIVO_SCADENZA', `La convenzione/atto costitutivo è scaduta il ${formatItalianDate(expiry)}.`),
        );
      } else if (days < params.attoExpiryWarningDays) {
        emit(
          at(
            'ATTO_COSTITUTIVO_SCADENZA',
            `La convenzione/atto costitutivo scade entro 6 mesi (${formatItalianDate(expiry)}).`,
          ),
        );
      }
    },
    'T1.7': ({ submission }, emit) => {
      const row = t1Row(submission);
      if (row.FORMA_GESTIONE === 'CONV' && row.AUTONOMIA_ART23 === 'N') {
        emit(
          at(
            'AUTONOMIA_ART23',
            "La convenzione semplice potrebbe non garantire l'autonomia gestionale richiesta dall'art. 23 D.Lgs. 147/2017.",
          ),
        );
      }
    },
    'T1.8': ({ submission, previous }, emit) => {
      if (!previous) return;
      const row = t1Row(submission);
      const before = t1Row(previous);
      for (const column of ['FORMA_GESTIONE', 'ENTE_GESTORE_CF'] as const) {
        const now = str(row[column]);
        const then = str(before[column]);
        if (now !== null && then !== null && now !== then) {
          emit(
            at(
              column,
              `Forma di gestione/ente gestore variati rispetto alla rilevazione precedente (${then} → ${now}): allegare l'atto.`,
            ),
          );
        }
      }
    },
    'T1.9': ({ submission }, emit) => {
      const declared = num(t1Row(submission).POPOLAZIONE_TOT);
      if (declared === null) return;
      const computed = populationTotal(submission);
      if (declared !== computed) {
        emit(
          at(
            'POPOLAZIONE_TOT',
            `Popolazione totale non coerente con il foglio Comuni: indicata ${formatNumber(declared)}, somma dei comuni ${formatNumber(computed)}.`,
          ),
        );
      }
    },
    'T1.10': ({ submission, comuni, params }, emit) => {
      const declared = num(t1Row(submission).POP_RIF);
      if (declared === null || !comuni) return;
      const year = referenceYear(submission);
      const istat = istatPopulation(submission, comuni, year);
      if (istat === null) return;
      const gap = Math.abs(declared - istat) / istat;
      // The tolerance is a share (0.005 = 0.5 %); a hair of rounding on it must not fire the warning.
      if (gap <= params.popRifTolerance + 1e-12) return;
      emit(
        at(
          'POP_RIF',
          `Popolazione di riferimento (${formatNumber(declared)}) diversa dalla popolazione residente ISTAT dei comuni dell'Ambito al 1° gennaio ${year} (${formatNumber(istat)}) di oltre il ${formatNumber(params.popRifTolerance * 100)}% (${formatNumber(Math.round(gap * 1000) / 10)}%): verificare il dato, la fonte e la data indicate.`,
        ),
      );
    },
  },
};

/**
 * The ISTAT resident population at 1 January of `year` of the active comuni of T2 (R-AS-2's default), or null when the
 * figure cannot be told: no active comune, a code the ISTAT list lacks (T2.2 reports it) or a year it does not carry.
 */
function istatPopulation(submission: NormalizedSubmission, comuni: ComuniIndex, year: number): number | null {
  const active = activeComuneRows(submission);
  if (active.length === 0) return null;
  let total = 0;
  for (const { row } of active) {
    const code = str(row.COD_ISTAT_COMUNE);
    const population = code === null ? undefined : comuni.get(code)?.population[String(year)];
    if (population === undefined) return null;
    total += population;
  }
  return total > 0 ? total : null;
}
