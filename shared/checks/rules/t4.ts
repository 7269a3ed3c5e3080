import { cupYear, normalizeCup } from '../../domain/cup.ts';
import { formatEuro, formatItalianDate, formatNumber, isoDay } from '../../domain/italian-format.ts';
import { num, str } from '../derived.ts';
import type { CheckContext, Emit, NormalizedRow } from '../types.ts';
import {
  amount,
  amountOrZero,
  CENT,
  describeFund,
  exceeds,
  formatShare,
  fundKeysOf,
  groupBy,
  HALF_CENT,
  type NumberedRow,
  periodYear,
  pnrrLine,
  quotaFundMismatch,
  rowDate,
  sheetAccess,
  sum,
} from './finance.ts';
import type { RuleModule } from './module.ts';

/**
 * T4 — Quadro_Finanziario_Fondi (domain.md §4.5). Missing values, types, code lists and the CUP pattern are reported
 * while reading cells (normalize.ts), including the conditional requirements of T4.5 and T4.10; these checks see only
 * readable values and skip a comparison when one side is empty.
 */

const { at, each, rowsOf } = sheetAccess('T4');

/** T4.1–T4.4: one cumulative value must not exceed the one before it in the accounting chain. */
function ordering(
  upper: string,
  lower: string,
  message: (lowerValue: number, upperValue: number) => string,
): (context: CheckContext, emit: Emit) => void {
  return (context, emit) => {
    each(context, (row, number) => {
      const high = amount(row, upper);
      const low = amount(row, lower);
      if (high !== null && low !== null && exceeds(low, high)) emit(at(number, lower, message(low, high)));
    });
  };
}

const nonCommitted = (row: NormalizedRow): number | null => {
  const assigned = amount(row, 'IMPORTO_ASSEGNATO');
  const committed = amount(row, 'IMPORTO_IMPEGNATO');
  return assigned !== null && committed !== null ? assigned - committed : null;
};

/** The first row of the previous snapshot with each key (T4.7, T4.8, T4.16). */
function previousByKey(context: CheckContext): Map<string, NormalizedRow> {
  const byKey = new Map<string, NormalizedRow>();
  const rows = context.previous?.sheets.T4 ?? [];
  const keys = fundKeysOf(rows);
  rows.forEach((row, index) => {
    const key = keys[index] as string;
    if (!byKey.has(key)) byKey.set(key, row);
  });
  return byKey;
}

const justifiedDecrease = (row: NormalizedRow): boolean =>
  amountOrZero(row, 'DISIMPEGNO_PERIODO') > 0 ||
  (row.FLAG_ERRORE_MATERIALE === 'S' && str(row.MOTIVAZIONE_RETTIFICA) !== null);

const endOfDay = (iso: string): number => (isoDay(iso) + 1) * 86400000;

/** Rows of one fund and annualità, grouped by QUOTA (T4.12, T4.14 look at one annualità per quota or per fund). */
const rowsOfYear = (rows: readonly NumberedRow[], fund: string, year: number): NumberedRow[] =>
  rows.filter(({ row }) => row.FONDO === fund && num(row.ANNUALITA) === year);

export const T4_RULES: RuleModule = {
  submission: {
    'T4.0': (context, emit) => {
      each(context, (row, number) => {
        const mismatch = quotaFundMismatch(row);
        if (mismatch) emit(at(number, 'QUOTA', mismatch));
        const typed = amount(row, 'IMPORTO_NON_IMPEGNATO');
        const computed = nonCommitted(row);
        if (typed === null || computed === null || Math.abs(typed - computed) <= CENT) return;
        emit(
          at(
            number,
            'IMPORTO_NON_IMPEGNATO',
            `Non impegnato indicato (${formatEuro(typed)}) diverso da assegnato meno impegnato (${formatEuro(computed)}): la colonna è calcolata dal modello.`,
          ),
        );
      });
    },
    'T4.1': ordering(
      'IMPORTO_ASSEGNATO',
      'IMPORTO_IMPEGNATO',
      (committed, assigned) =>
        `L'impegnato supera l'importo assegnato: impegnato ${formatEuro(committed)}, assegnato ${formatEuro(assigned)}.`,
    ),
    'T4.2': ordering(
      'IMPORTO_IMPEGNATO',
      'IMPORTO_LIQUIDATO',
      (paidOut, committed) =>
        `Il liquidato supera l'impegnato: liquidato ${formatEuro(paidOut)}, impegnato ${formatEuro(committed)}.`,
    ),
    'T4.3': ordering(
      'IMPORTO_LIQUIDATO',
      'IMPORTO_PAGATO',
      (paid, paidOut) => `Il pagato supera il liquidato: pagato ${formatEuro(paid)}, liquidato ${formatEuro(paidOut)}.`,
    ),
    'T4.4': ordering(
      'IMPORTO_LIQUIDATO',
      'IMPORTO_RENDICONTATO',
      (reported, paidOut) =>
        `Il rendicontato supera le somme liquidate: rendicontato ${formatEuro(reported)}, liquidato ${formatEuro(paidOut)}.`,
    ),
    'T4.5': (context, emit) => {
      // normalize.ts requires the reason and date from the typed non-impegnato when there is one; a typed 0 that hides
      // real non-committed sums (assegnato − impegnato > 0) is the case left to this check.
      each(context, (row, number) => {
        const typed = amount(row, 'IMPORTO_NON_IMPEGNATO');
        const computed = nonCommitted(row);
        if (typed === null || typed > 0 || computed === null || computed <= HALF_CENT) return;
        for (const column of ['MOTIVAZIONE_NON_IMPEGNATO', 'DATA_PREVISTA_IMPEGNO']) {
          if (row[column] !== null && row[column] !== undefined) continue;
          emit(
            at(
              number,
              column,
              `Indicare motivazione e data prevista di impegno per le somme non impegnate (${formatEuro(computed)}).`,
            ),
          );
        }
      });
    },
    'T4.6': (context, emit) => {
      each(context, (row, number) => {
        const reference = rowDate(row, context.submission.period);
        const planned = str(row.DATA_PREVISTA_IMPEGNO);
        if (planned !== null && planned < reference) {
          emit(
            at(
              number,
              'DATA_PREVISTA_IMPEGNO',
              `Date programmate anteriori alla data di riferimento: impegno previsto il ${formatItalianDate(planned)}, data di riferimento ${formatItalianDate(reference)}.`,
            ),
          );
        }
        // A fully liquidated allocation has a real, past end date: only sums still to spend need a future one.
        const end = str(row.DATA_FINE_SPESA_PROGRAMMATA);
        const assigned = amount(row, 'IMPORTO_ASSEGNATO');
        const paidOut = amount(row, 'IMPORTO_LIQUIDATO');
        const stillToSpend = assigned === null || paidOut === null || exceeds(assigned, paidOut);
        if (end !== null && end < reference && stillToSpend) {
          emit(
            at(
              number,
              'DATA_FINE_SPESA_PROGRAMMATA',
              `Date programmate anteriori alla data di riferimento: fine spesa programmata il ${formatItalianDate(end)}, data di riferimento ${formatItalianDate(reference)}, con somme ancora da liquidare.`,
            ),
          );
        }
      });
    },
    'T4.7': (context, emit) => {
      const previousPeriod = context.previous?.period;
      if (previousPeriod === undefined) return;
      const before = previousByKey(context);
      const keys = fundKeysOf(context.submission.sheets.T4);
      each(context, (row, number) => {
        const previous = before.get(keys[number - 1] as string);
        if (!previous || justifiedDecrease(row)) return;
        for (const [column, label] of [
          ['IMPORTO_IMPEGNATO', 'impegnato'],
          ['IMPORTO_LIQUIDATO', 'liquidato'],
        ] as const) {
          const now = amount(row, column);
          const then = amount(previous, column);
          if (now === null || then === null || !exceeds(then, now)) continue;
          emit(
            at(
              number,
              column,
              `Valore cumulato inferiore alla rilevazione precedente (${label} ${formatEuro(now)} contro ${formatEuro(then)} al ${formatItalianDate(rowDate(previous, previousPeriod))}): dichiarare disimpegno o errore materiale con motivazione.`,
            ),
          );
        }
      });
    },
    'T4.8': (context, emit) => {
      if (!context.previous) return;
      const before = previousByKey(context);
      const keys = fundKeysOf(context.submission.sheets.T4);
      each(context, (row, number) => {
        const added = amount(row, 'NUOVI_IMPEGNI_PERIODO');
        const previous = before.get(keys[number - 1] as string);
        const now = amount(row, 'IMPORTO_IMPEGNATO');
        const then = previous ? amount(previous, 'IMPORTO_IMPEGNATO') : null;
        if (added === null || now === null || then === null) return;
        const released = amountOrZero(row, 'DISIMPEGNO_PERIODO');
        const expected = then + added - released;
        if (Math.abs(now - expected) <= CENT) return;
        emit(
          at(
            number,
            'IMPORTO_IMPEGNATO',
            `Il cumulato non corrisponde al valore precedente più i movimenti del periodo: impegnato ${formatEuro(now)}, atteso ${formatEuro(expected)} (${formatEuro(then)} + nuovi impegni ${formatEuro(added)} − disimpegni ${formatEuro(released)}).`,
          ),
        );
      });
    },
    'T4.9': (context, emit) => {
      const { submission, params } = context;
      const groups = groupBy(rowsOf(context), (row) =>
        [submission.ats, str(row.FONDO) ?? '', str(row.QUOTA) ?? '', num(row.ANNUALITA) ?? ''].join('|'),
      );
      for (const [key, rows] of groups) {
        const reference = params.ripartoAmounts[key];
        const first = rows[0];
        if (!reference || !first) continue;
        // Several rows of one quota (one per CUP) share the decree's amount: their total is what must match.
        if (rows.some(({ row }) => amount(row, 'IMPORTO_ASSEGNATO') === null)) continue;
        const assigned = sum(rows, 'IMPORTO_ASSEGNATO');
        if (Math.abs(assigned - reference.amount) <= CENT) continue;
        emit(
          at(
            first.number,
            'IMPORTO_ASSEGNATO',
            `Importo assegnato diverso da quello del decreto di riparto ${reference.act}: indicato ${formatEuro(assigned)}, decreto ${formatEuro(reference.amount)}.`,
          ),
        );
      }
    },
    'T4.10': (context, emit) => {
      const { params, now } = context;
      const rows = rowsOf(context);
      const seen = new Map<string, number>();
      for (const { row, number } of rows) {
        if (row.FONDO !== 'PNRR') continue;
        const cup = str(row.CUP);
        if (cup !== null) {
          const key = `${num(row.ANNUALITA) ?? ''}|${normalizeCup(cup)}`;
          const first = seen.get(key);
          if (first === undefined) seen.set(key, number);
          else {
            emit(
              at(
                number,
                'CUP',
                `CUP ${cup} già indicato alla riga ${first} per la stessa annualità: un progetto PNRR va su una sola riga.`,
              ),
            );
          }
        }
        const quota = str(row.QUOTA);
        const line = str(row.LINEA_PNRR);
        if (line !== null && quota?.startsWith('M5C2_') && quota !== `M5C2_${line}`) {
          emit(at(number, 'LINEA_PNRR', `Linea PNRR ${line} non coerente con la quota ${quota}.`));
        }
        const effectiveLine = pnrrLine(row);
        const ceiling = effectiveLine === null ? undefined : params.pnrrCeilings[effectiveLine];
        const assigned = amount(row, 'IMPORTO_ASSEGNATO');
        if (ceiling !== undefined && assigned !== null && exceeds(assigned, ceiling)) {
          emit(
            at(
              number,
              'IMPORTO_ASSEGNATO',
              `Importo oltre il massimale della linea ${effectiveLine}: assegnato ${formatEuro(assigned)}, massimale per progetto ${formatEuro(ceiling)}.`,
            ),
          );
        }
      }
      // verify.md §6: positions 5–6 look like the year of issue and 12–14 were "000" in every CUP seen; neither is
      // official, so both are warnings on any row that carries a well-formed CUP.
      const currentYear = now.getUTCFullYear() % 100;
      for (const { row, number } of rows) {
        const cup = str(row.CUP);
        const year = cup === null ? null : cupYear(cup);
        if (cup === null || year === null) continue;
        if (year < 3 || year > currentYear) {
          emit({
            ...at(
              number,
              'CUP',
              `CUP ${cup}: l'anno indicato nelle posizioni 5-6 (${normalizeCup(cup).slice(4, 6)}) non è tra 03 e ${String(currentYear).padStart(2, '0')}; verificare il codice.`,
            ),
            severity: 'warning',
          });
        }
        if (normalizeCup(cup).slice(11, 14) !== '000') {
          emit({
            ...at(
              number,
              'CUP',
              `CUP ${cup}: le posizioni 12-14 non sono "000" come nei CUP noti; verificare il codice su OpenCUP.`,
            ),
            severity: 'warning',
          });
        }
      }
    },
    'T4.11': (context, emit) => {
      each(context, (row, number) => {
        if (row.FONDO !== 'PNRR') return;
        const planned = num(row.TARGET_PROGRAMMATO);
        const achieved = num(row.TARGET_REALIZZATO);
        const end = str(row.DATA_FINE_SPESA_PROGRAMMATA);
        const reference = rowDate(row, context.submission.period);
        if (planned === null || achieved === null || end === null || reference < end || achieved >= planned) return;
        emit(
          at(
            number,
            'TARGET_REALIZZATO',
            `Target PNRR non raggiunto alla data di fine progetto (${formatItalianDate(end)}): realizzato ${formatNumber(achieved)} su ${formatNumber(planned)} programmato.`,
          ),
        );
      });
    },
    'T4.12': (context, emit) => {
      const { params } = context;
      const year = periodYear(context.submission) - 2;
      for (const rows of groupBy(rowsOfYear(rowsOf(context), 'FP', year), (row) => str(row.QUOTA) ?? '').values()) {
        const first = rows[0];
        const assigned = sum(rows, 'IMPORTO_ASSEGNATO');
        if (!first || assigned <= 0) continue;
        const reported = sum(rows, 'IMPORTO_RENDICONTATO');
        const share = reported / assigned;
        if (share >= params.fpRendicontazioneShare) continue;
        emit(
          at(
            first.number,
            'IMPORTO_RENDICONTATO',
            `Rendicontato inferiore al ${formatShare(params.fpRendicontazioneShare)} della seconda annualità precedente (${year}, quota ${str(first.row.QUOTA) ?? '?'}): ${formatEuro(reported)} su ${formatEuro(assigned)} assegnati (${formatShare(share)}). Condizione di erogazione (dal 2027).`,
          ),
        );
      }
    },
    'T4.13': (context, emit) => {
      const { params } = context;
      const rows = rowsOf(context).filter(({ row }) => row.FONDO === 'FP');
      const flagged = new Set<number>();
      for (const { row } of rows) {
        const year = num(row.ANNUALITA);
        if (year === null || !params.fpStartRuleYears.includes(year)) continue;
        for (const earlier of rows) {
          if (num(earlier.row.ANNUALITA) !== year - 1 || earlier.row.QUOTA !== row.QUOTA) continue;
          if (amountOrZero(earlier.row, 'IMPORTO_RENDICONTATO') > 0 || flagged.has(earlier.number)) continue;
          flagged.add(earlier.number);
          emit(
            at(
              earlier.number,
              'IMPORTO_RENDICONTATO',
              `Per l'erogazione 2024-2026 è necessario avviare la rendicontazione dell'annualità precedente: ${describeFund(earlier.row)} senza importi rendicontati (annualità ${year} in corso).`,
            ),
          );
        }
      }
    },
    'T4.14': (context, emit) => {
      const { params } = context;
      const year = periodYear(context.submission) - 1;
      // The 75% applies to the fund's use, not to one quota: the whole FNPS annualità is measured.
      const rows = rowsOfYear(rowsOf(context), 'FNPS', year);
      const first = rows[0];
      const assigned = sum(rows, 'IMPORTO_ASSEGNATO');
      if (!first || assigned <= 0) return;
      const paidOut = sum(rows, 'IMPORTO_LIQUIDATO');
      const share = paidOut / assigned;
      if (share >= params.fnpsUseShare) return;
      emit(
        at(
          first.number,
          'IMPORTO_LIQUIDATO',
          `FNPS: utilizzo inferiore al ${formatShare(params.fnpsUseShare)}, soglia per l'erogazione su base regionale: annualità ${year}, liquidato ${formatEuro(paidOut)} su ${formatEuro(assigned)} assegnati (${formatShare(share)}).`,
        ),
      );
    },
    'T4.15': (context, emit) => {
      const { submission, params, now } = context;
      const window = params.monitoringWindows[submission.period];
      if (!window || submission.sheets.T4.length === 0 || now.getTime() < endOfDay(window.closes)) return;
      emit(
        at(
          null,
          null,
          `Finestra di rilevazione chiusa (${formatItalianDate(submission.period)}: ${formatItalianDate(window.opens)}–${formatItalianDate(window.closes)}).`,
        ),
      );
    },
    'T4.16': (context, emit) => {
      const { previous, submission } = context;
      if (!previous) return;
      const current = new Set(fundKeysOf(submission.sheets.T4));
      const previousKeys = fundKeysOf(previous.sheets.T4);
      const reported = new Set<string>();
      for (const [index, row] of previous.sheets.T4.entries()) {
        const key = previousKeys[index] as string;
        if (current.has(key) || reported.has(key)) continue;
        reported.add(key);
        emit(
          at(
            null,
            null,
            `Quota presente nella rilevazione precedente e assente ora (${describeFund(row)}): il sistema ministeriale riporterà il valore precedente o 0.`,
          ),
        );
      }
    },
  },
};
