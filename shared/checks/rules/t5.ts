import { formatEuro, formatItalianDate } from '../../domain/italian-format.ts';
import { num, str } from '../derived.ts';
import type { NormalizedRow, NormalizedSubmission } from '../types.ts';
import {
  amount,
  amountOrZero,
  exceeds,
  FNA_LEPS,
  FNPS_EARMARKED,
  formatShare,
  groupBy,
  isArt7Intervention,
  lepsLabel,
  type NumberedRow,
  numbered,
  PNRR_LINE_LEPS,
  pnrrLine,
  QPE_LEPS,
  quotaFundMismatch,
  sheetAccess,
  spendingBySumKey,
  sum,
  sumKeysOf,
} from './finance.ts';
import type { RuleModule } from './module.ts';

/**
 * T5 — Spesa_LEPS_Interventi (domain.md §4.6): the breakdown of T4 by LEPS, intervention, area and modality.
 * Column-level problems (missing values, code lists, CUP/CIG patterns) are reported while reading cells.
 */

const { at, each } = sheetAccess('T5');

/** Σ FNPS liquidato and its MIN_FAM part over some submissions (T5.7 at ATS and Region level). */
function fnpsFamilyShare(submissions: readonly NormalizedSubmission[]): { total: number; family: number } {
  let total = 0;
  let family = 0;
  for (const submission of submissions) {
    for (const row of submission.sheets.T5) {
      if (row.FONDO !== 'FNPS') continue;
      const paidOut = amount(row, 'LIQUIDATO') ?? 0;
      total += paidOut;
      if (row.AREA === 'MIN_FAM') family += paidOut;
    }
  }
  return { total, family };
}

/** The first day of the month `months` after 1 January of `year`, as ISO. */
function monthsAfterStartOf(year: number, months: number): string {
  const date = new Date(Date.UTC(year, months, 1));
  // An absurd ANNUALITA (reported as T4.0/T5.0 already) must not make the whole validation throw.
  return Number.isNaN(date.getTime()) ? '9999-12-31' : date.toISOString().slice(0, 10);
}

export const T5_RULES: RuleModule = {
  submission: {
    'T5.0': (context, emit) => {
      each(context, (row, number) => {
        const mismatch = quotaFundMismatch(row);
        if (mismatch) emit(at(number, 'QUOTA', mismatch));
      });
    },
    'T5.1': (context, emit) => {
      each(context, (row, number) => {
        const committed = amount(row, 'IMPEGNATO');
        const paidOut = amount(row, 'LIQUIDATO');
        const staff = amount(row, 'DI_CUI_PERSONALE');
        if (committed !== null && paidOut !== null && exceeds(paidOut, committed)) {
          emit(
            at(
              number,
              'LIQUIDATO',
              `Liquidato superiore all'impegnato: liquidato ${formatEuro(paidOut)}, impegnato ${formatEuro(committed)}.`,
            ),
          );
        }
        if (staff !== null && paidOut !== null && exceeds(staff, paidOut)) {
          emit(
            at(
              number,
              'DI_CUI_PERSONALE',
              `Quota personale superiore al liquidato: personale ${formatEuro(staff)}, liquidato ${formatEuro(paidOut)}.`,
            ),
          );
        }
      });
    },
    'T5.2': (context, emit) => {
      const { submission, params } = context;
      // Without any breakdown there is nothing to reconcile; an empty T5 sheet is reported elsewhere if required.
      if (submission.sheets.T5.length === 0) return;
      const spending = spendingBySumKey(submission);
      const fundKeys = sumKeysOf(submission.sheets.T4, submission.period);
      const funds = groupBy(numbered(submission.sheets.T4), (_row, number) => fundKeys[number - 1] as string);
      const describe = (row: NormalizedRow): string =>
        `${str(row.FONDO) ?? '?'} ${str(row.QUOTA) ?? '?'} ${num(row.ANNUALITA) ?? '?'} al ${formatItalianDate(str(row.DATA_RIF) ?? submission.period)}`;
      for (const [name, fundRows] of funds) {
        const breakdown = spending.get(name);
        for (const [t4Column, split, label] of [
          ['IMPORTO_IMPEGNATO', breakdown?.committed ?? 0, 'impegnato'],
          ['IMPORTO_LIQUIDATO', breakdown?.paidOut ?? 0, 'liquidato'],
        ] as const) {
          const declared = sum(fundRows, t4Column);
          if (Math.abs(declared - split) <= params.euroTolerance) continue;
          const fund = describe((fundRows[0] as NumberedRow).row);
          for (const { number } of fundRows) {
            emit({
              sheet: 'T4',
              row: number,
              column: t4Column,
              message: `La ripartizione per LEPS/interventi non quadra con il quadro finanziario del fondo (${fund}): ${label} ${formatEuro(declared)} nel quadro finanziario, ${formatEuro(split)} nella spesa per LEPS.`,
            });
          }
        }
      }
      for (const [name, group] of spending) {
        if (funds.has(name)) continue;
        emit(
          at(
            group.first.number,
            'FONDO',
            `La ripartizione per LEPS/interventi non quadra con il quadro finanziario del fondo: ${describe(group.first.row)} non è presente nel quadro finanziario (impegnato ${formatEuro(group.committed)}, liquidato ${formatEuro(group.paidOut)}).`,
          ),
        );
      }
    },
    'T5.3': (context, emit) => {
      const { params } = context;
      each(context, (row, number) => {
        if (row.QUOTA !== 'QSFP') return;
        const intervention = str(row.COD_INTERVENTO);
        if (intervention !== null && !isArt7Intervention(intervention)) {
          emit(
            at(
              number,
              'COD_INTERVENTO',
              `Intervento non finanziabile con la Quota Servizi (art. 7 c.1 D.Lgs. 147/2017): ${intervention} non è tra gli interventi INT_147_a–h.`,
            ),
          );
        }
        const leps = str(row.COD_LEPS);
        if (leps !== null && !params.qsfpAllowedLeps.includes(leps)) {
          emit(
            at(
              number,
              'COD_LEPS',
              `Intervento non finanziabile con la Quota Servizi (art. 7 c.1 D.Lgs. 147/2017): il LEPS ${leps} non è ammesso (ammessi: ${params.qsfpAllowedLeps.join(', ')}).`,
            ),
          );
        }
      });
    },
    'T5.4': (context, emit) => {
      const lead = 'La Quota Povertà Estrema finanzia solo interventi per persone in povertà estrema e senza dimora';
      each(context, (row, number) => {
        if (row.QUOTA !== 'QPE') return;
        const area = str(row.AREA);
        if (area !== null && area !== 'POV') {
          emit(at(number, 'AREA', `${lead}: area ${area} invece di POV.`));
        }
        const leps = str(row.COD_LEPS);
        if (leps !== null && !QPE_LEPS.includes(leps)) {
          emit(at(number, 'COD_LEPS', `${lead}: LEPS ${leps} non ammesso (ammessi: ${QPE_LEPS.join(', ')}).`));
        }
      });
    },
    'T5.5': (context, emit) => {
      each(context, (row, number) => {
        const leps = str(row.COD_LEPS);
        if (row.FONDO !== 'FNA' || leps === null || FNA_LEPS.includes(leps) || row.AREA === 'DIS_NA') return;
        emit(
          at(
            number,
            'COD_LEPS',
            `Spesa FNA non riconducibile ai LEPS della non autosufficienza: LEPS ${leps}, area ${str(row.AREA) ?? '–'} (ammessi ${FNA_LEPS.join(', ')} o area DIS_NA).`,
          ),
        );
      });
    },
    'T5.6': (context, emit) => {
      const linesByCup = new Map<string, string>();
      for (const row of context.submission.sheets.T4) {
        const cup = str(row.CUP);
        const line = pnrrLine(row);
        if (row.FONDO === 'PNRR' && cup !== null && line !== null && !linesByCup.has(cup)) linesByCup.set(cup, line);
      }
      each(context, (row, number) => {
        const leps = str(row.COD_LEPS);
        if (row.FONDO !== 'PNRR' || leps === null) return;
        const cup = str(row.CUP);
        const line = (cup !== null ? linesByCup.get(cup) : undefined) ?? pnrrLine(row);
        const allowed = line === null ? undefined : PNRR_LINE_LEPS[line];
        if (!allowed || allowed.includes(leps)) return;
        emit(
          at(
            number,
            'COD_LEPS',
            `LEPS non coerente con la linea PNRR del progetto: ${leps} per la linea ${line}${cup ? ` (CUP ${cup})` : ''}, ammessi ${allowed.join(', ')}.`,
          ),
        );
      });
    },
    'T5.7': (context, emit) => {
      const { params } = context;
      const { total, family } = fnpsFamilyShare([context.submission]);
      if (total <= 0) return;
      const share = family / total;
      if (share >= params.fnpsMinFamShare) return;
      emit(
        at(
          null,
          null,
          `Quota FNPS per infanzia e adolescenza inferiore al ${formatShare(params.fnpsMinFamShare)}: ${formatEuro(family)} su ${formatEuro(total)} liquidati (${formatShare(share)}).`,
        ),
      );
    },
    'T5.8': (context, emit) => {
      const { submission, params } = context;
      if (submission.sheets.T5.length === 0) return;
      const spending = spendingBySumKey(submission);
      const fundKeys = sumKeysOf(submission.sheets.T4, submission.period);
      submission.sheets.T4.forEach((row, index) => {
        const quota = str(row.QUOTA);
        const year = num(row.ANNUALITA);
        const leps = quota === null ? undefined : FNPS_EARMARKED[quota];
        if (!leps || year === null) return;
        const due = monthsAfterStartOf(year, params.fnpsEarmarkedMonths);
        if (submission.period < due) return;
        if ((spending.get(fundKeys[index] as string)?.paidOut ?? 0) > 0) return;
        emit({
          sheet: 'T4',
          row: index + 1,
          column: 'IMPORTO_LIQUIDATO',
          message: `Quota vincolata FNPS (${lepsLabel(submission, leps)}) senza spesa: annualità ${year}, nessun liquidato nella spesa per LEPS a ${params.fnpsEarmarkedMonths} mesi dall'inizio dell'annualità.`,
        });
      });
    },
    'T5.9': (context, emit) => {
      const { params } = context;
      // One pass: Σ LIQUIDATO per fund, and the part transferred to other bodies, in sheet order.
      const byFund = new Map<string, { total: number; transferred: number }>();
      each(context, (row) => {
        const fund = str(row.FONDO);
        if (fund === null) return;
        const paidOut = amountOrZero(row, 'LIQUIDATO');
        let totals = byFund.get(fund);
        if (totals === undefined) {
          totals = { total: 0, transferred: 0 };
          byFund.set(fund, totals);
        }
        totals.total += paidOut;
        if (row.MODALITA === 'TRASF_ENTE') totals.transferred += paidOut;
      });
      for (const [fund, { total, transferred }] of byFund) {
        if (total <= 0) continue;
        const share = transferred / total;
        if (share <= params.transferShareWarning) continue;
        emit(
          at(
            null,
            null,
            `Prevalenza di trasferimenti ad altri enti: verificare la tracciabilità della spesa (fondo ${fund}: ${formatEuro(transferred)} su ${formatEuro(total)} liquidati, ${formatShare(share)}).`,
          ),
        );
      }
    },
  },
  regional: {
    'T5.7': (context, emit) => {
      const { params } = context;
      const { total, family } = fnpsFamilyShare(context.submissions);
      if (total <= 0) return;
      const share = family / total;
      if (share >= params.fnpsMinFamShare) return;
      emit({
        ...at(
          null,
          null,
          `Quota FNPS per infanzia e adolescenza inferiore al ${formatShare(params.fnpsMinFamShare)} a livello regionale (Regione ${context.region}, ${context.submissions.length} Ambiti): ${formatEuro(family)} su ${formatEuro(total)} liquidati (${formatShare(share)}).`,
        ),
        severity: 'error',
      });
    },
  },
};
