import { describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import {
  entityCodiceFiscaleCheckDigit,
  type Finding,
  type RegisteredAts,
  type Submission,
  validateRegion,
  withParams,
} from '../../shared/index.ts';
import { anagrafica, check, comune, comuni, validSubmission, withRow, withRule } from '../support/builders.ts';

/** T2 — ATS_Comuni (domain.md §4.3): each check with data that passes it and data that fails it. */

const located = (findings: readonly Finding[]) =>
  findings.map(({ rule, severity, sheet, row, column }) => ({ rule, severity, sheet, row, column }));

/** A valid 11-digit codice fiscale built from ten digits, so extra comuni do not trip other checks. */
const cf = (tenDigits: string): string => `${tenDigits}${entityCodiceFiscaleCheckDigit(tenDigits)}`;

const VENETO = '05';

const previousYear = (t2: ReturnType<typeof comuni>): Submission =>
  validSubmission({ T1: [anagrafica({ ANNO_RIF: 2024 })], T2: t2 }, { period: '2024-12-31' });

/** A second ATS of the Veneto with its own comuni (Auronzo di Cadore, Borca di Cadore) plus any given. */
function otherAts(code: string, extra: ReturnType<typeof comuni> = []): Submission {
  const rows = [
    comune('025005', 'Auronzo di Cadore', cf('0010005025'), 3027, { COD_ATS: code, FLAG_CAPOFILA: 'S' }),
    comune('025007', 'Borca di Cadore', cf('0010007025'), 803, { COD_ATS: code }),
    ...extra.map((row) => ({ ...row, COD_ATS: code })),
  ];
  return validSubmission(
    {
      T1: [anagrafica({ COD_ATS: code, ENTE_CAPOFILA_ISTAT: '025005', POPOLAZIONE_TOT: 3830 })],
      T2: rows,
      T3: [],
      T4: [],
      T5: [],
      T6: [],
    },
    { ats: code },
  );
}

/** Every comune of the Veneto except those given, registered to one ATS: the rest of the Region is covered. */
function restOfRegion(except: readonly string[]): RegisteredAts {
  const codes = loadComuni()
    .byRegion(VENETO)
    .map((entry) => entry.code)
    .filter((code) => !except.includes(code));
  return { ats: 'ATS-05-099', name: 'Resto della Regione', comuni: codes };
}

const OUR_COMUNI = ['025001', '025003', '025004', '025006'];
const registeredOurs: RegisteredAts = { ats: 'ATS-05-001', name: 'Belluno', comuni: OUR_COMUNI };

describe('the valid submission', () => {
  it('raises no T2 finding, with or without the registered composition', () => {
    const t2 = (findings: Finding[]) => findings.filter((finding) => finding.rule.startsWith('T2.'));
    expect(t2(check(validSubmission()))).toEqual([]);
    expect(t2(check(validSubmission(), { registered: registeredOurs, previous: previousYear(comuni()) }))).toEqual([]);
  });
});

describe('T2.1 — ISTAT code well formed and unique', () => {
  it('passes distinct six-digit codes', () => {
    expect(withRule(check(validSubmission()), 'T2.1')).toEqual([]);
  });

  it('reports a malformed code once, on its cell, and no ISTAT lookup on it', () => {
    const findings = check(validSubmission({ T2: withRow(comuni(), 1, { COD_ISTAT_COMUNE: '25001' }) }));
    expect(located(withRule(findings, 'T2.1'))).toEqual([
      { rule: 'T2.1', severity: 'error', sheet: 'T2', row: 1, column: 'COD_ISTAT_COMUNE' },
    ]);
    expect(withRule(findings, 'T2.2')).toEqual([]);
  });

  it('reports each duplicate after the first, naming the first row', () => {
    const rows = [
      ...comuni(),
      comune('025001', 'Agordo', '00100010255', 4019),
      comune('025001', 'Agordo', '00100010255', 4019),
    ];
    const findings = withRule(check(validSubmission({ T2: rows })), 'T2.1');
    expect(located(findings)).toEqual([
      { rule: 'T2.1', severity: 'error', sheet: 'T2', row: 5, column: 'COD_ISTAT_COMUNE' },
      { rule: 'T2.1', severity: 'error', sheet: 'T2', row: 6, column: 'COD_ISTAT_COMUNE' },
    ]);
    expect(findings[0]?.message).toContain('025001');
    expect(findings[0]?.message).toContain('riga 1');
  });
});

describe('T2.2 — comune in the ISTAT list and in the Region', () => {
  it('passes real comuni of the Region, names compared without case or accents', () => {
    const rows = withRow(comuni(), 3, { DENOMINAZIONE_COMUNE: 'ARSIE' });
    expect(withRule(check(validSubmission({ T2: rows })), 'T2.2')).toEqual([]);
  });

  it('rejects a code that is not in the ISTAT list', () => {
    const findings = withRule(
      check(validSubmission({ T2: withRow(comuni(), 2, { COD_ISTAT_COMUNE: '025999' }) })),
      'T2.2',
    );
    expect(located(findings)).toEqual([
      { rule: 'T2.2', severity: 'error', sheet: 'T2', row: 2, column: 'COD_ISTAT_COMUNE' },
    ]);
    expect(findings[0]?.message).toContain('025999');
  });

  it('rejects a comune of another Region, naming it', () => {
    const rows = withRow(comuni(), 2, {
      COD_ISTAT_COMUNE: '001001',
      DENOMINAZIONE_COMUNE: 'Agliè',
      SIGLA_PROVINCIA: 'TO',
    });
    const findings = withRule(check(validSubmission({ T2: rows })), 'T2.2');
    expect(located(findings)).toEqual([
      { rule: 'T2.2', severity: 'error', sheet: 'T2', row: 2, column: 'COD_ISTAT_COMUNE' },
    ]);
    expect(findings[0]?.message).toContain('Piemonte');
  });

  it('rejects a name that is not the ISTAT name of the code', () => {
    const findings = withRule(
      check(validSubmission({ T2: withRow(comuni(), 1, { DENOMINAZIONE_COMUNE: 'Agordino' }) })),
      'T2.2',
    );
    expect(located(findings)).toEqual([
      { rule: 'T2.2', severity: 'error', sheet: 'T2', row: 1, column: 'DENOMINAZIONE_COMUNE' },
    ]);
    expect(findings[0]?.message).toContain('Agordo');
  });

  it('rejects a province abbreviation that is not the comune’s', () => {
    const findings = withRule(check(validSubmission({ T2: withRow(comuni(), 4, { SIGLA_PROVINCIA: 'TV' }) })), 'T2.2');
    expect(located(findings)).toEqual([
      { rule: 'T2.2', severity: 'error', sheet: 'T2', row: 4, column: 'SIGLA_PROVINCIA' },
    ]);
    expect(findings[0]?.message).toContain('BL');
  });

  it('is silent without the ISTAT list', () => {
    const rows = withRow(comuni(), 2, { COD_ISTAT_COMUNE: '025999' });
    expect(withRule(check(validSubmission({ T2: rows }), { comuni: undefined }), 'T2.2')).toEqual([]);
  });
});

describe('T2.3 — one and only one capofila in convenzione', () => {
  it('passes exactly one capofila', () => {
    expect(withRule(check(validSubmission()), 'T2.3')).toEqual([]);
  });

  it('does not apply outside a convenzione', () => {
    const submission = validSubmission({
      T1: [anagrafica({ FORMA_GESTIONE: 'UNIONE', ENTE_CAPOFILA_ISTAT: null })],
      T2: withRow(comuni(), 4, { FLAG_CAPOFILA: 'N' }),
    });
    expect(withRule(check(submission), 'T2.3')).toEqual([]);
  });

  it('reports a missing capofila on the sheet', () => {
    const findings = withRule(check(validSubmission({ T2: withRow(comuni(), 4, { FLAG_CAPOFILA: 'N' }) })), 'T2.3');
    expect(located(findings)).toEqual([
      { rule: 'T2.3', severity: 'error', sheet: 'T2', row: null, column: 'FLAG_CAPOFILA' },
    ]);
  });

  it('reports each extra capofila on its row, naming the first', () => {
    const findings = withRule(check(validSubmission({ T2: withRow(comuni(), 2, { FLAG_CAPOFILA: 'S' }) })), 'T2.3');
    expect(located(findings)).toEqual([
      { rule: 'T2.3', severity: 'error', sheet: 'T2', row: 4, column: 'FLAG_CAPOFILA' },
    ]);
    expect(findings[0]?.message).toContain('025003 Alleghe (riga 2)');
  });

  it('ignores the flag of a comune that has left the Ambito', () => {
    const rows = withRow(comuni(), 1, { FLAG_CAPOFILA: 'S', DATA_USCITA: '2025-01-31' });
    const submission = validSubmission({ T1: [anagrafica({ POPOLAZIONE_TOT: 42818 - 4019 })], T2: rows });
    expect(withRule(check(submission), 'T2.3')).toEqual([]);
  });
});

describe('T2.4 — population change against the previous period', () => {
  it('is silent without a previous period', () => {
    expect(withRule(check(validSubmission()), 'T2.4')).toEqual([]);
  });

  it('passes a change within 10%', () => {
    const previous = previousYear(withRow(comuni(), 1, { POPOLAZIONE_RESIDENTE: 3700 }));
    expect(withRule(check(validSubmission(), { previous }), 'T2.4')).toEqual([]);
  });

  it('warns on a change above 10%, naming both figures', () => {
    const previous = previousYear(withRow(comuni(), 1, { POPOLAZIONE_RESIDENTE: 3500 }));
    const findings = withRule(check(validSubmission(), { previous }), 'T2.4');
    expect(located(findings)).toEqual([
      { rule: 'T2.4', severity: 'warning', sheet: 'T2', row: 1, column: 'POPOLAZIONE_RESIDENTE' },
    ]);
    expect(findings[0]?.message).toContain('3500 → 4019');
    expect(findings[0]?.message).toContain('10%');
  });

  it('takes the threshold from the parameters', () => {
    const previous = previousYear(withRow(comuni(), 1, { POPOLAZIONE_RESIDENTE: 3700 }));
    const params = withParams({ populationChangeWarning: 0.05 });
    const findings = withRule(check(validSubmission(), { previous, params }), 'T2.4');
    expect(located(findings)).toEqual([
      { rule: 'T2.4', severity: 'warning', sheet: 'T2', row: 1, column: 'POPOLAZIONE_RESIDENTE' },
    ]);
    expect(findings[0]?.message).toContain('5%');
  });

  it('ignores a comune the previous period did not list', () => {
    const previous = previousYear(comuni().slice(1));
    expect(withRule(check(validSubmission(), { previous }), 'T2.4')).toEqual([]);
  });
});

describe('T2.5 — a comune in more than one Ambito of the Region (regional)', () => {
  const ours = validSubmission();

  it('passes when every comune is in one Ambito only', () => {
    const findings = validateRegion({
      region: VENETO,
      period: '2025-12-31',
      submissions: [ours, otherAts('ATS-05-002')],
      registered: [registeredOurs],
      comuni: loadComuni(),
    });
    expect(withRule(findings, 'T2.5')).toEqual([]);
  });

  it('reports the comune for each Ambito that lists it, on its row', () => {
    const findings = withRule(
      validateRegion({
        region: VENETO,
        period: '2025-12-31',
        submissions: [ours, otherAts('ATS-05-002', [comune('025001', 'Agordo', '00100010255', 4019)])],
        registered: [],
        comuni: loadComuni(),
      }),
      'T2.5',
    );
    expect(
      findings.map(({ ats, rule, severity, sheet, row, column }) => ({ ats, rule, severity, sheet, row, column })),
    ).toEqual([
      { ats: 'ATS-05-001', rule: 'T2.5', severity: 'error', sheet: 'T2', row: 1, column: 'COD_ISTAT_COMUNE' },
      { ats: 'ATS-05-002', rule: 'T2.5', severity: 'error', sheet: 'T2', row: 3, column: 'COD_ISTAT_COMUNE' },
    ]);
    expect(findings[0]?.message).toBe(
      'Il comune 025001 Agordo risulta assegnato a più Ambiti: ATS-05-001, ATS-05-002.',
    );
  });

  it('counts the registered composition of an Ambito that has not submitted', () => {
    const findings = withRule(
      validateRegion({
        region: VENETO,
        period: '2025-12-31',
        submissions: [ours],
        registered: [registeredOurs, { ats: 'ATS-05-003', name: 'Agordino', comuni: ['025003', '025010'] }],
        comuni: loadComuni(),
      }),
      'T2.5',
    );
    expect(findings.map(({ ats, row }) => ({ ats, row }))).toEqual([
      { ats: 'ATS-05-001', row: 2 },
      { ats: 'ATS-05-003', row: null },
    ]);
    expect(findings[0]?.message).toContain('025003 Alleghe');
  });

  it('takes a submitting Ambito at its word over its stale registration', () => {
    // ATS-05-002 took Agordo over; ATS-05-001's registration still lists it, but its sheet no longer does.
    const findings = validateRegion({
      region: VENETO,
      period: '2025-12-31',
      submissions: [
        validSubmission({ T1: [anagrafica({ POPOLAZIONE_TOT: 42818 - 4019 })], T2: comuni().slice(1) }),
        otherAts('ATS-05-002', [comune('025001', 'Agordo', '00100010255', 4019)]),
      ],
      registered: [registeredOurs],
      comuni: loadComuni(),
    });
    expect(withRule(findings, 'T2.5')).toEqual([]);
  });

  it('does not count a comune that has left an Ambito', () => {
    const other = otherAts('ATS-05-002', [
      comune('025001', 'Agordo', '00100010255', 4019, { DATA_USCITA: '2025-06-30' }),
    ]);
    const findings = validateRegion({
      region: VENETO,
      period: '2025-12-31',
      submissions: [ours, other],
      registered: [],
      comuni: loadComuni(),
    });
    expect(withRule(findings, 'T2.5')).toEqual([]);
  });
});

describe('T2.6 — comuni of the Region in no Ambito (regional)', () => {
  const ours = validSubmission();
  const others = ['025005', '025007'];

  it('passes when every comune of the Region is covered', () => {
    const findings = validateRegion({
      region: VENETO,
      period: '2025-12-31',
      submissions: [ours, otherAts('ATS-05-002')],
      registered: [restOfRegion([...OUR_COMUNI, ...others])],
      comuni: loadComuni(),
    });
    expect(withRule(findings, 'T2.6')).toEqual([]);
  });

  it('lists the comuni left out, once for the Region', () => {
    const findings = withRule(
      validateRegion({
        region: VENETO,
        period: '2025-12-31',
        submissions: [ours],
        registered: [restOfRegion([...OUR_COMUNI, ...others])],
        comuni: loadComuni(),
      }),
      'T2.6',
    );
    expect(
      findings.map(({ ats, rule, severity, sheet, row, column }) => ({ ats, rule, severity, sheet, row, column })),
    ).toEqual([{ ats: undefined, rule: 'T2.6', severity: 'warning', sheet: 'T2', row: null, column: null }]);
    expect(findings[0]?.message).toBe(
      'Comuni della Regione non assegnati ad alcun Ambito (2): 025005 Auronzo di Cadore, 025007 Borca di Cadore.',
    );
  });

  it('counts a comune registered to an Ambito as covered even if its sheet dropped it', () => {
    const findings = validateRegion({
      region: VENETO,
      period: '2025-12-31',
      submissions: [validSubmission({ T1: [anagrafica({ POPOLAZIONE_TOT: 42818 - 4019 })], T2: comuni().slice(1) })],
      registered: [registeredOurs, restOfRegion(OUR_COMUNI)],
      comuni: loadComuni(),
    });
    expect(withRule(findings, 'T2.6')).toEqual([]);
  });

  it('caps a long list', () => {
    const findings = withRule(
      validateRegion({
        region: VENETO,
        period: '2025-12-31',
        submissions: [ours],
        registered: [],
        comuni: loadComuni(),
      }),
      'T2.6',
    );
    const uncovered = loadComuni().byRegion(VENETO).length - OUR_COMUNI.length;
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(`(${uncovered})`);
    expect(findings[0]?.message).toContain(`e altri ${uncovered - 50}.`);
  });

  it('is silent without the ISTAT list or without any Ambito', () => {
    expect(validateRegion({ region: VENETO, period: '2025-12-31', submissions: [ours], registered: [] })).toEqual([]);
    expect(
      withRule(
        validateRegion({ region: VENETO, period: '2025-12-31', submissions: [], registered: [], comuni: loadComuni() }),
        'T2.6',
      ),
    ).toEqual([]);
  });
});

describe('T2.7 — composition against the one registered by the Region', () => {
  it('is silent without a registered composition', () => {
    expect(withRule(check(validSubmission()), 'T2.7')).toEqual([]);
  });

  it('passes the registered composition, in any order', () => {
    const registered = { ...registeredOurs, comuni: [...OUR_COMUNI].reverse() };
    expect(withRule(check(validSubmission(), { registered }), 'T2.7')).toEqual([]);
  });

  it('marks an extra comune on its row and lists the missing ones', () => {
    const registered: RegisteredAts = { ...registeredOurs, comuni: ['025001', '025003', '025006', '025007'] };
    const findings = withRule(check(validSubmission(), { registered }), 'T2.7');
    expect(located(findings)).toEqual([
      { rule: 'T2.7', severity: 'warning', sheet: 'T2', row: null, column: null },
      { rule: 'T2.7', severity: 'warning', sheet: 'T2', row: 3, column: 'COD_ISTAT_COMUNE' },
    ]);
    expect(findings[0]?.message).toContain('mancano 025007 Borca di Cadore');
    expect(findings[1]?.message).toContain('025004 Arsiè');
  });

  it('treats a comune that has left as no longer part of the Ambito', () => {
    const rows = withRow(comuni(), 2, { DATA_USCITA: '2025-06-30' });
    const submission = validSubmission({ T1: [anagrafica({ POPOLAZIONE_TOT: 42818 - 1088 })], T2: rows });
    const findings = withRule(check(submission, { registered: registeredOurs }), 'T2.7');
    expect(located(findings)).toEqual([{ rule: 'T2.7', severity: 'warning', sheet: 'T2', row: null, column: null }]);
    expect(findings[0]?.message).toContain('025003 Alleghe');
  });

  it('ignores a registration that belongs to another Ambito', () => {
    const registered: RegisteredAts = { ats: 'ATS-05-002', name: 'Altro', comuni: ['025005'] };
    expect(withRule(check(validSubmission(), { registered }), 'T2.7')).toEqual([]);
  });
});
