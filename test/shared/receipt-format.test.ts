import { describe, expect, it } from 'vitest';
import { receiptRows } from '../../addin/excel/receipt.ts';
import { receiptLines } from '../../cli/format.ts';
import { RECEIPT_TITLE, receiptFields } from '../../shared/client/receipt.ts';
import type { Receipt } from '../../shared/contract/api.ts';
import { LEPS_ATS } from '../../shared/index.ts';

/** One receipt wording for the task pane, the Ricevuta sheet and the command line (shared/client/receipt.ts). */

const RECEIPT: Receipt = {
  ats: 'ATS-05-001',
  period: '2025-08-31',
  template: LEPS_ATS.id,
  templateVersion: LEPS_ATS.version,
  version: 3,
  sha256: 'b'.repeat(64),
  receivedAt: '2026-01-25T10:00:00.000Z',
  status: 'REJECTED',
  findings: [
    { rule: 'T3.4', severity: 'warning', sheet: 'T3', row: 1, column: 'ORE_SETT', message: 'Ore alte.', ref: 'x' },
  ],
  findingsBound: { countsByRule: { 'T3.4': { errors: 0, warnings: 1200 } }, truncated: true },
};

describe('the receipt, in one wording', () => {
  it('has Italian labels and values: the date as in Italy, the time in Rome, the status in Italian, full counts', () => {
    const fields = receiptFields(RECEIPT);
    // 11:00 in Rome for 10:00 UTC in January; the day's leading zero depends on the ICU data Node ships with.
    expect(fields.find((field) => field.label === 'Ricevuto il')?.value).toMatch(/^25\/0?1\/2026, 11:00:00$/);
    expect(fields.filter((field) => field.label !== 'Ricevuto il')).toEqual([
      { label: 'Ambito', value: 'ATS-05-001' },
      { label: 'Periodo', value: '31/08/2025' },
      { label: 'Modello', value: `${LEPS_ATS.id} ${LEPS_ATS.version}` },
      { label: 'Versione', value: '3' },
      { label: 'Impronta SHA-256', value: 'b'.repeat(64) },
      { label: 'Stato', value: 'Respinta' },
      { label: 'Avvisi', value: '1200' },
    ]);
  });

  it('is what the Ricevuta sheet and the command line show, line for line', () => {
    const fields = receiptFields(RECEIPT);
    expect(receiptRows(RECEIPT)).toEqual([[RECEIPT_TITLE, ''], ...fields.map((field) => [field.label, field.value])]);
    expect(receiptLines(RECEIPT)).toEqual([
      'Invio registrato.',
      ...fields.map((field) => `${field.label}: ${field.value}`),
    ]);
    // The sheet keeps the hash in B6, where users and the browser test read it.
    expect(receiptRows(RECEIPT)[5]).toEqual(['Impronta SHA-256', 'b'.repeat(64)]);
  });

  it('shows what an older answer lacks as absent, never as "undefined"', () => {
    const lines = receiptLines({
      ats: 'ATS-05-001',
      period: '2025-12-31',
      version: 1,
      sha256: 'c'.repeat(64),
      receivedAt: 'ieri',
    });
    expect(lines).toEqual([
      'Invio registrato.',
      'Ambito: ATS-05-001',
      'Periodo: 31/12/2025',
      'Versione: 1',
      `Impronta SHA-256: ${'c'.repeat(64)}`,
      'Ricevuto il: ieri',
    ]);
  });
});
