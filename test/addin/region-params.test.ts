import { describe, expect, it } from 'vitest';
import { localCheck } from '../../addin/app/checks.ts';
import { type KeyValueStorage, regionParamsForLocalChecks } from '../../addin/app/region-params.ts';
import { editableText, parameterRows, readEdit, versionLine } from '../../addin/regional/parameters-model.ts';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import type { ParametersFetch } from '../../shared/checks/region-params-source.ts';
import type { RegionParametersResponse } from '../../shared/contract/region-parameters.ts';
import { validSubmission } from '../support/builders.ts';

/**
 * The task pane's local checks use the Region's parameters: read from the API when it answers, kept for when it does
 * not, the defaults only when none was ever read; each case says which in Italian. And the regional panel's reading of
 * the reviewer's edit refuses what the server would, with the same messages.
 */

const comuni = loadComuni();
const NOW = new Date('2026-01-25T10:00:00Z');

function memoryStorage(): KeyValueStorage & { readonly entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => {
      entries.set(key, value);
    },
  };
}

function response(parameters: Record<string, unknown>, version = 3): RegionParametersResponse {
  return {
    region: '05',
    version,
    parameters,
    updatedAt: '2026-01-10T09:00:00.000Z',
    updatedBy: 'rev-05',
    history: [],
  };
}

const answering = (body: RegionParametersResponse) => async (): Promise<ParametersFetch> => ({ kind: 'ok', body });
const offline = async (): Promise<ParametersFetch> => ({ kind: 'offline', message: 'Servizio non raggiungibile.' });
const t15 = (submission: unknown, params?: Parameters<typeof localCheck>[3]) =>
  localCheck(submission, comuni, NOW, params).findings.filter((finding) => finding.rule === 'T1.5');

describe('local checks with the Region’s parameters', () => {
  it('finds what the Region’s thresholds and severities make of the same workbook', async () => {
    const storage = memoryStorage();
    // The builders' Ufficio di Piano has 3.5 FTE: no T1.5 with the default threshold of 1.
    expect(t15(validSubmission())).toEqual([]);
    const raised = await regionParamsForLocalChecks('05', answering(response({ udpMinFte: 5 })), storage, () => NOW);
    expect(raised.source).toBe('region');
    expect(raised.note).toBe('Parametri dei controlli della Regione 05, versione 3 del 10/01/2026.');
    expect(t15(validSubmission(), raised.params)).toEqual([expect.objectContaining({ severity: 'warning' })]);

    const blocking = await regionParamsForLocalChecks(
      '05',
      answering(response({ udpMinFte: 5, severityOverrides: { 'T1.5': 'error' } }, 4)),
      storage,
      () => NOW,
    );
    expect(t15(validSubmission(), blocking.params)).toEqual([expect.objectContaining({ severity: 'error' })]);
  });

  it('offline, uses the copy last read and says from when; without one, the defaults and says so', async () => {
    const storage = memoryStorage();
    await regionParamsForLocalChecks('05', answering(response({ udpMinFte: 5 })), storage, () => NOW);
    const kept = await regionParamsForLocalChecks('05', offline, storage);
    expect(kept.source).toBe('region');
    expect(kept.version).toBe(3);
    expect(kept.note).toMatch(
      /versione 3 del 10\/01\/2026, come letti il 25\/01\/2026: il servizio non è raggiungibile/,
    );
    expect(t15(validSubmission(), kept.params)).toHaveLength(1);

    const none = await regionParamsForLocalChecks('06', offline, storage);
    expect(none.source).toBe('defaults');
    expect(none.note).toMatch(/^Parametri dei controlli predefiniti: quelli della Regione 06 non sono disponibili/);
    expect(t15(validSubmission(), none.params)).toEqual([]);

    // A thrown fetch, or a copy that is not the contract's, counts as none.
    storage.setItem('rendiconta.parametri.07', '{"savedAt":"x","body":{"region":"07"}}');
    const broken = await regionParamsForLocalChecks(
      '07',
      async () => {
        throw new Error('rete assente');
      },
      storage,
    );
    expect(broken.source).toBe('defaults');
    expect(broken.note).toContain('rete assente');
  });
});

describe('the regional panel’s parameters', () => {
  it('lists every parameter with its default and the Region’s value, and the version in force', () => {
    const rows = parameterRows({ udpMinFte: 2 });
    expect(rows.find((row) => row.key === 'udpMinFte')).toMatchObject({ defaultValue: '1', regionValue: '2' });
    expect(rows.find((row) => row.key === 'fullTimeHours')).toMatchObject({ defaultValue: '36', regionValue: null });
    expect(rows.map((row) => row.key)).not.toContain('contribution');
    expect(versionLine(response({}, 0))).toMatch(/usa i valori predefiniti/);
    expect(versionLine(response({ udpMinFte: 2 }))).toBe(
      'Parametri della Regione 05, versione 3 del 10/01/2026 (utente rev-05).',
    );
    expect(JSON.parse(editableText({ udpMinFte: 2 }))).toEqual({ udpMinFte: 2 });
  });

  it('reads the reviewer’s edit as the server does, with its paths and Italian messages', () => {
    expect(readEdit('{"udpMinFte": 2}')).toEqual({ ok: true, parameters: { udpMinFte: 2 } });
    const notJson = readEdit('{udpMinFte: 2');
    expect(notJson).toMatchObject({ ok: false, message: expect.stringMatching(/atteso un oggetto JSON/) });
    const bad = readEdit('{"udpMinFte": -1, "severityOverrides": {"S.2": "warning"}, "contribution": {}}');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^udpMinFte: Valore troppo basso/),
        expect.stringMatching(/^severityOverrides\.S\.2: Regola non valida/),
        expect.stringMatching(/Chiavi non previste: contribution/),
      ]),
    );
  });
});
