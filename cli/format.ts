import type { Finding } from '../shared/checks/types.ts';
import { type ReceiptLike, receiptFields } from '../shared/client/receipt.ts';
import { formatEuro } from '../shared/domain/italian-format.ts';
import type { TemplateDef } from '../shared/template/types.ts';
// The workbook core's locator, not the exceljs adapter (read.ts): valida and invia stream the file and never load exceljs.
import { type CellMap, findingAddress, locateFinding } from '../shared/workbook/index.ts';

/** Italian, human-readable output of the command line; --json output keeps the contract's shapes. */

export const SEVERITY_IT = { error: 'errore', warning: 'avviso' } as const;

export interface LocatedFinding extends Finding {
  /** `T4_Quadro_Fondi!J3`, the cell in the user's file. */
  readonly cell: string;
}

export function locate(findings: readonly Finding[], cells: CellMap, template: TemplateDef): LocatedFinding[] {
  return findings.map((finding) => ({ ...finding, cell: findingAddress(locateFinding(template, cells, finding)) }));
}

/** One line per finding: cell, severity, rule, message (tab-separated so it also pastes into a spreadsheet). */
export function findingLines(findings: readonly LocatedFinding[]): string[] {
  return findings.map((finding) =>
    [finding.cell, SEVERITY_IT[finding.severity], finding.rule, finding.message].join('\t'),
  );
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

export function summaryLine(errors: number, warnings: number, rows: number): string {
  const verdict = errors > 0 ? 'Il file non può essere inviato' : 'Il file può essere inviato';
  return `${plural(errors, 'errore', 'errori')}, ${plural(warnings, 'avviso', 'avvisi')} su ${plural(rows, 'riga', 'righe')}. ${verdict}.`;
}

/** The printed receipt: the wording of every channel (shared/client/receipt.ts), one `label: value` per line. */
export function receiptLines(receipt: ReceiptLike): string[] {
  return ['Invio registrato.', ...receiptFields(receipt).map((field) => `${field.label}: ${field.value}`)];
}

export { formatEuro };
