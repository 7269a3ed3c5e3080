import { describe, expect, it } from 'vitest';
import { consolidate } from '../../addin/regional/actions.ts';
import type { RegionalApi } from '../../addin/regional/api.ts';
import { FakeWorkbook } from './fake-host.ts';
import { demoRegion } from './support.ts';

/** "Consolida" counts the Region's findings in full and says which were left out (contract v1.1 bounded findings). */

describe('the regional panel with bounded findings', () => {
  it('reports the full count and an Italian note for the Region and for an ATS whose receipt was bounded', async () => {
    const base = demoRegion(3);
    const [entry] = base.ats.filter((candidate) => candidate.receipt);
    if (!entry?.receipt) throw new Error('the demo Region has a submitted ATS');
    const body = {
      ...base,
      findingsBound: {
        countsByRule: { 'T6.8': { errors: 0, warnings: base.findings.length + 1500 } },
        truncated: true,
      },
      ats: base.ats.map((candidate) =>
        candidate === entry && candidate.receipt
          ? {
              ...candidate,
              receipt: {
                ...candidate.receipt,
                findingsBound: { countsByRule: { 'T3.11': { errors: 0, warnings: 4512 } }, truncated: true },
              },
            }
          : candidate,
      ),
    };
    const api: RegionalApi = {
      consolidated: async () => ({ ok: true, status: 200, body }),
      review: async () => ({ ok: false, status: 500, message: null }),
      listAts: async () => ({ ok: false, status: 500, message: null }),
      putAts: async () => ({ ok: false, status: 500, message: null }),
    };
    const book = new FakeWorkbook();
    const deps = {
      api,
      excel: book.run,
      comuni: async () => {
        throw new Error('not needed');
      },
    };
    const result = await consolidate(deps, base.region, base.period);
    expect(result.ok).toBe(true);
    const total = base.findings.length + 1500;
    expect(result.message).toContain(`${total} rilievi regionali`);
    const shownT3 = entry.receipt.findings.filter((finding) => finding.rule === 'T3.11').length;
    expect(result.details).toContain(
      `Ambito ${entry.ats}: Mostrate ${shownT3} di 4.512 segnalazioni per la regola T3.11.`,
    );
    expect(result.details?.some((line) => line.startsWith('Rilievi regionali: Mostrate'))).toBe(true);
  });
});
