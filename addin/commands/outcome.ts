import { italianCount } from '../../shared/checks/bound.ts';
import type { Finding } from '../../shared/checks/types.ts';
import type { FindingsBound } from '../../shared/contract/api.ts';
import { type DeleteRowsResult, deletedRowsText } from '../excel/delete-rows.ts';
import { CHECKS_SHEET } from '../excel/layout.ts';

/**
 * What a ribbon command tells the user when it ends: success, a refusal the add-in explains ({ok: false}), or an
 * exception. Pure, so the fake host's tests and the dialog share one wording.
 */

export interface CommandOutcome {
  readonly ok: boolean;
  readonly title: string;
  readonly text: string;
}

type TemplateResult =
  | { readonly ok: true; readonly repaired?: boolean }
  | { readonly ok: false; readonly message: string };

export function templateOutcome(result: TemplateResult): CommandOutcome {
  if (!result.ok) return { ok: false, title: 'Modello non inserito', text: result.message };
  return result.repaired
    ? {
        ok: true,
        title: 'Modello completato',
        text:
          'Il modello LEPS era già presente: intestazioni, formati, elenchi e formule sono stati completati o ' +
          'aggiornati senza toccare i dati inseriti.',
      }
    : {
        ok: true,
        title: 'Modello inserito',
        text: 'I fogli del modello LEPS sono pronti: compilare le colonne bianche, poi usare «Valida».',
      };
}

interface ValidationSummary {
  readonly findings: readonly Finding[];
  readonly bound?: FindingsBound;
}

type Validation =
  | { readonly ok: true; readonly result: ValidationSummary }
  | { readonly ok: false; readonly message: string };

/** `parametersNote` says which check parameters were used (the Region's copy or the defaults). */
export function validationOutcome(validation: Validation, parametersNote?: string): CommandOutcome {
  if (!validation.ok) return { ok: false, title: 'Controllo non eseguito', text: validation.message };
  const { errors, warnings } = countBySeverity(validation.result);
  const local = `Controlli eseguiti su questo computer; il pannello aggiunge quelli sui periodi precedenti.${parametersNote ? ` ${parametersNote}` : ''}`;
  if (errors === 0) {
    return {
      ok: true,
      title: 'Controllo completato',
      text: `Nessun errore, ${italianCount(warnings)} ${warnings === 1 ? 'avviso' : 'avvisi'}. ${local}`,
    };
  }
  return {
    ok: false,
    title: 'Controllo completato: ci sono errori',
    text:
      `${italianCount(errors)} ${errors === 1 ? 'errore' : 'errori'} da correggere e ${italianCount(warnings)} ` +
      `${warnings === 1 ? 'avviso' : 'avvisi'}: l’elenco è nel foglio «${CHECKS_SHEET}». ${local}`,
  };
}

function countBySeverity(result: ValidationSummary): { errors: number; warnings: number } {
  if (result.bound) {
    let errors = 0;
    let warnings = 0;
    for (const counts of Object.values(result.bound.countsByRule)) {
      errors += counts.errors;
      warnings += counts.warnings;
    }
    return { errors, warnings };
  }
  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  return { errors, warnings: result.findings.length - errors };
}

/** JavaScript's own errors: a defect of the add-in, whose English message means nothing to the user. */
const ENGINE_ERRORS = new Set(['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError', 'EvalError', 'URIError']);

/**
 * An exception, in Italian. Excel's own errors (OfficeExtension.Error) carry a message in the language of Office
 * and a code; the add-in's errors carry an Italian message; JavaScript's own errors are reported as a defect.
 */
export function failureOutcome(commandTitle: string, error: unknown): CommandOutcome {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const engine = error instanceof Error && ENGINE_ERRORS.has(error.name);
  const message = engine
    ? 'Errore interno del componente aggiuntivo'
    : error instanceof Error && error.message
      ? error.message
      : '';
  const detail = message ? ` ${message}${/[.!?]$/.test(message) ? '' : '.'}` : '';
  return {
    ok: false,
    title: `${commandTitle}: operazione non riuscita`,
    text: `L’operazione si è interrotta per un errore.${detail}${code ? ` (Codice di Excel: ${code}.)` : ''} Riprovare; se l’errore si ripete, aprire il pannello Rendiconta LEPS.`,
  };
}

/** The message page with the outcome in its query string (message.js shows it with textContent). */
export function messagePageUrl(pageUrl: string, outcome: CommandOutcome): string {
  const url = new URL('message.html', pageUrl);
  url.searchParams.set('esito', outcome.ok ? 'ok' : 'errore');
  url.searchParams.set('titolo', outcome.title);
  url.searchParams.set('testo', outcome.text);
  return url.href;
}

export function deleteRowsOutcome(result: DeleteRowsResult): CommandOutcome {
  if (!result.ok) return { ok: false, title: 'Righe non eliminate', text: result.message };
  return { ok: true, title: 'Righe eliminate', text: deletedRowsText(result) };
}
