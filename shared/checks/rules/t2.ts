import { formatItalianDate, formatNumber } from '../../domain/italian-format.ts';
import { type ComuniIndex, comuneNameMatches } from '../../reference/comuni.ts';
import { activeComuneRows, num, str, t1Row } from '../derived.ts';
import type { NormalizedRow, NormalizedSubmission, RegionalContext, RegisteredAts } from '../types.ts';
import type { RuleModule } from './module.ts';

/**
 * T2 — ATS_Comuni (domain.md §4.3). The code's format (T2.1) and every other column-level problem are reported while
 * reading cells (normalize.ts); this module adds what needs more than one cell, the ISTAT list, the previous period,
 * the Region's registered composition or the other ATS of the Region.
 */

const ISTAT_CODE = /^\d{6}$/;
const PROVINCE = /^[A-Z]{2}$/;
/** T2.6 lists at most this many comuni: a whole Region uncovered would otherwise make an unreadable message. */
const MAX_LISTED = 50;

/** A well-formed ISTAT code, or null: malformed codes were reported under T2.1 while reading. */
function istatCode(value: unknown): string | null {
  const code = str(value);
  return code !== null && ISTAT_CODE.test(code) ? code : null;
}

function comuneLabel(code: string, comuni: ComuniIndex | undefined, typedName: string | null = null): string {
  const name = comuni?.get(code)?.name ?? typedName;
  return name ? `${code} ${name}` : code;
}

function rowLabel(row: NormalizedRow, rowNumber: number): string {
  const code = str(row.COD_ISTAT_COMUNE);
  const name = str(row.DENOMINAZIONE_COMUNE);
  const label = [code, name].filter((part) => part !== null).join(' ');
  return label === '' ? `la riga ${rowNumber}` : `${label} (riga ${rowNumber})`;
}

/** "a, b, c e altri N": keeps region-wide lists readable. */
function listWithCap(items: readonly string[]): string {
  if (items.length <= MAX_LISTED) return items.join(', ');
  return `${items.slice(0, MAX_LISTED).join(', ')} e altri ${items.length - MAX_LISTED}`;
}

/** Where a comune belongs to an ATS: a row of its submission, or only its registered composition (row null). */
interface Membership {
  readonly ats: string;
  readonly row: number | null;
  readonly typedName: string | null;
}

/**
 * Each ATS's comuni for the regional checks. An ATS that submitted is taken at its word (its active T2 rows); one that
 * did not is taken from the composition the Region registered. A stale registration is T2.7's business, so it must
 * not also raise T2.5 against a submission that already moved the comune.
 */
function regionalMembership(
  submissions: readonly NormalizedSubmission[],
  registered: readonly RegisteredAts[],
): Map<string, Membership[]> {
  const byComune = new Map<string, Membership[]>();
  const add = (code: string, membership: Membership): void => {
    const list = byComune.get(code) ?? [];
    // One membership per ATS: a comune listed twice by the same ATS is T2.1, not T2.5.
    if (!list.some((existing) => existing.ats === membership.ats)) list.push(membership);
    byComune.set(code, list);
  };
  const submitted = new Set<string>();
  for (const submission of submissions) {
    submitted.add(submission.ats);
    for (const { row, rowNumber } of activeComuneRows(submission)) {
      const code = istatCode(row.COD_ISTAT_COMUNE);
      if (code) add(code, { ats: submission.ats, row: rowNumber, typedName: str(row.DENOMINAZIONE_COMUNE) });
    }
  }
  for (const ats of registered) {
    if (submitted.has(ats.ats)) continue;
    for (const code of ats.comuni) add(code, { ats: ats.ats, row: null, typedName: null });
  }
  return byComune;
}

function hasAnyComposition(context: RegionalContext): boolean {
  return context.submissions.length > 0 || context.registered.length > 0;
}

export const T2_RULES: RuleModule = {
  submission: {
    'T2.1': ({ submission }, emit) => {
      const firstRow = new Map<string, number>();
      submission.sheets.T2.forEach((row, index) => {
        const code = istatCode(row.COD_ISTAT_COMUNE);
        if (code === null) return;
        const first = firstRow.get(code);
        if (first === undefined) {
          firstRow.set(code, index + 1);
          return;
        }
        emit({
          sheet: 'T2',
          row: index + 1,
          column: 'COD_ISTAT_COMUNE',
          message: `Codice ISTAT comune duplicato: ${code} è già indicato alla riga ${first}.`,
        });
      });
    },
    'T2.2': ({ submission, comuni }, emit) => {
      if (!comuni) return;
      const region = str(t1Row(submission).COD_REGIONE);
      const validFrom = formatItalianDate(comuni.validFrom);
      submission.sheets.T2.forEach((row, index) => {
        const code = istatCode(row.COD_ISTAT_COMUNE);
        if (code === null) return;
        const at = (column: string, message: string) => ({ sheet: 'T2' as const, row: index + 1, column, message });
        const comune = comuni.get(code);
        if (!comune) {
          emit(
            at(
              'COD_ISTAT_COMUNE',
              `Comune ${code} non presente nell'elenco ISTAT dei comuni (in vigore dal ${validFrom}).`,
            ),
          );
          return;
        }
        if (region !== null && comune.regionCode !== region) {
          emit(
            at(
              'COD_ISTAT_COMUNE',
              `Comune ${code} ${comune.name} non appartenente alla Regione dell'Ambito (${region}): è in ${comune.regionName} (${comune.regionCode}).`,
            ),
          );
        }
        const name = str(row.DENOMINAZIONE_COMUNE);
        if (name !== null && !comuneNameMatches(comune, name)) {
          emit(
            at(
              'DENOMINAZIONE_COMUNE',
              `Denominazione "${name}" diversa da quella ISTAT del comune ${code}: ${comune.name}.`,
            ),
          );
        }
        const province = str(row.SIGLA_PROVINCIA);
        if (province !== null && PROVINCE.test(province) && province !== comune.provinceAbbreviation) {
          emit(
            at(
              'SIGLA_PROVINCIA',
              `Sigla provincia ${province} diversa da quella ISTAT del comune ${code} ${comune.name}: ${comune.provinceAbbreviation}.`,
            ),
          );
        }
      });
    },
    'T2.3': ({ submission }, emit) => {
      if (t1Row(submission).FORMA_GESTIONE !== 'CONV') return;
      // A comune that already left the Ambito may still carry its old flag: only active comuni can lead it.
      const capofila = activeComuneRows(submission).filter(({ row }) => row.FLAG_CAPOFILA === 'S');
      if (capofila.length === 0) {
        emit({
          sheet: 'T2',
          row: null,
          column: 'FLAG_CAPOFILA',
          message: 'Indicare uno e un solo comune capofila: in convenzione nessun comune ha capofila = S.',
        });
        return;
      }
      const [first, ...extra] = capofila;
      if (!first) return;
      for (const { row, rowNumber } of extra) {
        emit({
          sheet: 'T2',
          row: rowNumber,
          column: 'FLAG_CAPOFILA',
          message: `Indicare uno e un solo comune capofila: ${rowLabel(row, rowNumber)} è indicato come capofila oltre a ${rowLabel(first.row, first.rowNumber)}.`,
        });
      }
    },
    'T2.4': ({ submission, previousAnnual: previous, params }, emit) => {
      if (!previous) return;
      const before = new Map<string, number>();
      for (const row of previous.sheets.T2) {
        const code = istatCode(row.COD_ISTAT_COMUNE);
        const population = num(row.POPOLAZIONE_RESIDENTE);
        if (code !== null && population !== null && population > 0 && !before.has(code)) before.set(code, population);
      }
      submission.sheets.T2.forEach((row, index) => {
        const code = istatCode(row.COD_ISTAT_COMUNE);
        const now = num(row.POPOLAZIONE_RESIDENTE);
        const then = code === null ? undefined : before.get(code);
        if (code === null || now === null || then === undefined) return;
        const change = (now - then) / then;
        if (Math.abs(change) <= params.populationChangeWarning) return;
        const sign = change > 0 ? '+' : '';
        emit({
          sheet: 'T2',
          row: index + 1,
          column: 'POPOLAZIONE_RESIDENTE',
          message: `Variazione di popolazione superiore al ${formatNumber(params.populationChangeWarning * 100)}% (${formatNumber(then)} → ${formatNumber(now)}, ${sign}${formatNumber(Math.round(change * 1000) / 10)}%): verificare la data di riferimento ISTAT.`,
        });
      });
    },
    'T2.7': ({ submission, registered, comuni }, emit) => {
      if (!registered || registered.ats !== submission.ats) return;
      const expected = new Set(registered.comuni);
      const listed = new Set<string>();
      for (const { row, rowNumber } of activeComuneRows(submission)) {
        const code = istatCode(row.COD_ISTAT_COMUNE);
        if (code === null || listed.has(code)) continue;
        listed.add(code);
        if (!expected.has(code)) {
          emit({
            sheet: 'T2',
            row: rowNumber,
            column: 'COD_ISTAT_COMUNE',
            message: `Composizione dell'Ambito diversa da quella comunicata dalla Regione su SIOSS: il comune ${comuneLabel(code, comuni, str(row.DENOMINAZIONE_COMUNE))} non è nella composizione registrata.`,
          });
        }
      }
      const missing = [...expected].filter((code) => !listed.has(code));
      if (missing.length > 0) {
        emit({
          sheet: 'T2',
          row: null,
          column: null,
          message: `Composizione dell'Ambito diversa da quella comunicata dalla Regione su SIOSS: mancano ${listWithCap(missing.map((code) => comuneLabel(code, comuni)))}.`,
        });
      }
    },
  },
  regional: {
    'T2.5': (context, emit) => {
      if (!hasAnyComposition(context)) return;
      for (const [code, memberships] of regionalMembership(context.submissions, context.registered)) {
        if (memberships.length < 2) continue;
        const typedName = memberships.find((membership) => membership.typedName !== null)?.typedName ?? null;
        const label = comuneLabel(code, context.comuni, typedName);
        const atsList = memberships.map((membership) => membership.ats).join(', ');
        for (const membership of memberships) {
          emit({
            ats: membership.ats,
            sheet: 'T2',
            row: membership.row,
            column: 'COD_ISTAT_COMUNE',
            message: `Il comune ${label} risulta assegnato a più Ambiti: ${atsList}.`,
          });
        }
      }
    },
    'T2.6': (context, emit) => {
      if (!context.comuni || !hasAnyComposition(context)) return;
      // Coverage is generous on purpose: a comune assigned anywhere, by a sheet or by the Region's registry, is covered;
      // a sheet that drops a registered comune is T2.7's warning for that ATS.
      const covered = new Set(regionalMembership(context.submissions, context.registered).keys());
      for (const ats of context.registered) for (const code of ats.comuni) covered.add(code);
      const uncovered = context.comuni
        .byRegion(context.region)
        .filter((comune) => !covered.has(comune.code))
        .map((comune) => `${comune.code} ${comune.name}`);
      if (uncovered.length === 0) return;
      emit({
        sheet: 'T2',
        row: null,
        column: null,
        message: `Comuni della Regione non assegnati ad alcun Ambito (${uncovered.length}): ${listWithCap(uncovered)}.`,
      });
    },
  },
};
