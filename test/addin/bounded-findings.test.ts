import { describe, expect, it } from 'vitest';
import { localCheck } from '../../addin/app/checks.ts';
import { receiptRows } from '../../addin/excel/receipt.ts';
import { truncationNotes } from '../../shared/checks/bound.ts';
import type { Receipt } from '../../shared/contract/api.ts';
import type { SubmissionRow } from '../../shared/contract/submission.ts';
import { ATS, NOW, staff, validSubmission } from '../support/builders.ts';

/** The add-in's local checks (the offline fallback) are bounded as the API's answers are, and say what they leave out. */

function leavers(count: number) {
  const base = validSubmission();
  const rows = [...(base.sheets.T3 ?? [])];
  for (let index = 0; index < count; index++) {
    rows.push(
      staff(`ED-${index}`, {
        PROFILO: 'EDUCATORE',
        TIPO_RAPPORTO: 'TD',
        DATA_FINE: '2025-06-30',
        FTE: 1,
      }) as SubmissionRow,
    );
  }
  return { ...base, sheets: { ...base.sheets, T3: rows } };
}

describe('bounded findings in the add-in', () => {
  it('bounds the local checks to 1,000 per rule with the full counts, and says so in Italian', () => {
    const result = localCheck(leavers(1200), undefined, NOW);
    expect(result.findings.filter((finding) => finding.rule === 'T3.11')).toHaveLength(1000);
    expect(result.bound?.truncated).toBe(true);
    expect(result.bound?.countsByRule['T3.11']).toEqual({ errors: 0, warnings: 1200 });
    const notes = truncationNotes(result.findings, result.bound?.countsByRule, result.bound?.truncated);
    expect(notes).toContain('Mostrate 1.000 di 1.200 segnalazioni per la regola T3.11.');
  });

  it('writes the full count of warnings on the receipt sheet', () => {
    const receipt: Receipt = {
      ats: ATS,
      period: '2025-12-31',
      template: 'LEPS-ATS',
      templateVersion: '1.0.0',
      version: 1,
      sha256: 'a'.repeat(64),
      receivedAt: '2026-01-25T10:00:00Z',
      status: 'SUBMITTED',
      findings: [],
      findingsBound: { countsByRule: { 'T3.11': { errors: 0, warnings: 4512 } }, truncated: true },
    };
    expect(receiptRows(receipt)).toContainEqual(['Avvisi', '4512']);
  });
});
