import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateWorkbook } from '../../cli/commands/valida.ts';
import { readWorkbook, type WorkbookRead } from '../../cli/xlsx/read.ts';
import { boundFindings } from '../../shared/checks/bound.ts';
import {
  contributionOf,
  DEFAULT_PARAMS,
  type Finding,
  populationTotal,
  type Submission,
  staffRow,
  toNormalized,
} from '../../shared/index.ts';
import {
  anagrafica,
  check,
  comuni,
  funds,
  NOW,
  staff,
  staffRows,
  validSubmission,
  withRow,
} from '../support/builders.ts';
import { runCli } from './support/cli.ts';
import { type LibreOffice, startLibreOffice } from './support/libreoffice.ts';
import { filledXlsx, type TempDir, tempDir } from './support/workbooks.ts';

/**
 * The round trip through a real spreadsheet program: the template is generated, filled, recalculated and saved by
 * LibreOffice (headless, every formula recomputed on load), then read back by the command line. What the file says
 * must be judged exactly as the same data sent as JSON, and what LibreOffice computed must be what shared/ computes.
 */

const comparable = (findings: readonly Finding[]) =>
  findings.map(({ rule, severity, sheet, row, column, message }) => ({ rule, severity, sheet, row, column, message }));

const variants: Record<string, Submission> = {
  valid: validSubmission(),
  /** Part-year and part-time staff, an ASL row without costs borne, a comune that left, an explicit POP_RIF. */
  staffing: validSubmission({
    T1: [anagrafica({ POP_RIF: 43000, POPOLAZIONE_TOT: 40650 })],
    T2: withRow(comuni(), 3, { DATA_USCITA: '2025-06-30' }),
    T3: [
      ...staffRows(),
      staff('AS-011', { DATA_INIZIO: '2025-03-01', ORE_SETT: 30 }),
      staff('AS-012', { DATA_INIZIO: '2019-05-01', DATA_FINE: '2025-09-15' }),
      staff('AS-013', { ENTE_DATORE_TIPO: 'ASL_DELEGA_RIMBORSO', ONERI_A_CARICO_ENTE_ATS: 'N' }),
      staff('AS-014', { TIPO_RAPPORTO: 'TD' }),
      staff('AS-015', { ORE_TEMPO_PIENO: 38, ORE_SETT: 19 }),
    ],
  }),
  /** Broken on purpose: liquidato over impegnato, an amount typed as Italian text, a bad CF, a date as text. */
  broken: validSubmission({
    T1: [anagrafica({ ENTE_GESTORE_CF: '00100060251', ATTO_COSTITUTIVO_DATA: '15/03/2022' })],
    T4: withRow(withRow(funds(), 1, { IMPORTO_LIQUIDATO: 450000 }), 2, { IMPORTO_ASSEGNATO: '440.000,00' }),
  }),
};

let lo: LibreOffice;
let dir: TempDir;
const recalculated = new Map<string, { path: string; read: WorkbookRead }>();

beforeAll(async () => {
  expect(execFileSync('which', ['soffice']).toString().trim()).not.toBe('');
  lo = startLibreOffice();
  dir = tempDir();
  const names = Object.keys(variants);
  const inputs: string[] = [];
  for (const name of names) {
    const submission = variants[name];
    if (!submission) continue;
    inputs.push(dir.file(`${name}.xlsx`, await filledXlsx(submission)));
  }
  const outputs = await lo.convert(inputs);
  for (const [index, name] of names.entries()) {
    const path = outputs[index];
    if (!path) throw new Error(`no output for ${name}`);
    recalculated.set(name, { path, read: await readWorkbook(readFileSync(path)) });
  }
}, 180_000);

afterAll(() => {
  lo?.dispose();
  dir?.dispose();
});

function roundTrip(name: string): { path: string; read: WorkbookRead } {
  const entry = recalculated.get(name);
  if (!entry) throw new Error(`variant ${name} not converted`);
  return entry;
}

describe('LibreOffice round trip', () => {
  it.each(Object.keys(variants))('%s: the file gives the same findings as the same data sent as JSON', async (name) => {
    const submission = variants[name] as Submission;
    const { path, read } = roundTrip(name);
    expect(read.findings).toEqual([]);
    expect(read.submission.ats).toBe(submission.ats);
    expect(read.submission.period).toBe(submission.period);
    // valida's report is bounded as the API's answers are: errors first, then warnings, each in the engine's order.
    const fromJson = boundFindings(check(submission)).findings;
    const fromFile = await validateWorkbook(readFileSync(path), { now: NOW });
    expect(comparable(fromFile.findings)).toEqual(comparable(fromJson));
  });

  it('the broken variant is rejected for the reasons it was broken, on the cells that hold them', async () => {
    const report = await validateWorkbook(readFileSync(roundTrip('broken').path), { now: NOW });
    const cellsOf = (rule: string) => report.findings.filter((finding) => finding.rule === rule).map((f) => f.cell);
    expect(cellsOf('T1.2')).toContain('T1_ATS_Anagrafica!I2');
    expect(cellsOf('S.3')).toEqual(expect.arrayContaining(['T1_ATS_Anagrafica!N2', 'T4_Quadro_Fondi!I3']));
    expect(report.errors).toBeGreaterThan(0);
  });

  it.each(Object.keys(variants))('%s: every formula LibreOffice computed equals the domain functions', (name) => {
    const submission = variants[name] as Submission;
    const { read } = roundTrip(name);
    const normalized = toNormalized(submission);
    if (!normalized) throw new Error('fixture does not normalise');
    const t1 = read.submission.sheets.T1?.[0] ?? {};
    const expected = contributionOf(normalized, DEFAULT_PARAMS);
    expect(t1.POPOLAZIONE_TOT).toBe(populationTotal(normalized));
    expect(t1.FTE_AS_TI).toBeCloseTo(expected.fte, 9);
    expect(Math.abs(Number(t1.CONTRIBUTO_AS_CALCOLATO) - expected.contribution)).toBeLessThan(0.005);

    const staffRead = read.submission.sheets.T3 ?? [];
    normalized.sheets.T3.forEach((row, index) => {
      const derived = staffRow(row, DEFAULT_PARAMS);
      expect(staffRead[index]?.GIORNI_IN_SERVIZIO).toBe(derived.days);
      expect(staffRead[index]?.FTE).toBeCloseTo(derived.fte ?? Number.NaN, 9);
    });
    const fundsRead = read.submission.sheets.T4 ?? [];
    // Amounts typed as text are read by the checks (and reported, S.3) but a spreadsheet cannot compute with them.
    (submission.sheets.T4 ?? []).forEach((row, index) => {
      const assigned = row.IMPORTO_ASSEGNATO;
      const committed = row.IMPORTO_IMPEGNATO;
      if (typeof assigned === 'number' && typeof committed === 'number') {
        expect(fundsRead[index]?.IMPORTO_NON_IMPEGNATO).toBeCloseTo(assigned - committed, 6);
      }
    });
    const indicatorsRead = read.submission.sheets.T6 ?? [];
    for (const row of indicatorsRead) {
      const unit = read.template.indicators.find((indicator) => indicator.code === row.COD_INDICATORE)?.unit;
      expect(row.UNITA).toBe(unit);
    }
  });

  it('the valid example computes the contract’s contribution, 97.776,62 €', () => {
    const t1 = roundTrip('valid').read.submission.sheets.T1?.[0] ?? {};
    expect(t1.POPOLAZIONE_TOT).toBe(42818);
    expect(t1.FTE_AS_TI).toBeCloseTo(9.5, 9);
    expect(t1.CONTRIBUTO_AS_CALCOLATO).toBe(97776.62);
  });

  it('the command line reads the recalculated file: exit 0 for the valid one, 1 with cells for the broken one', () => {
    const valid = runCli(['valida', roundTrip('valid').path]);
    expect(valid.status).toBe(0);
    expect(valid.stdout).toContain('0 errori');

    const broken = runCli(['valida', roundTrip('broken').path, '--json']);
    expect(broken.status).toBe(1);
    const parsed = JSON.parse(broken.stdout) as { summary: { errors: number }; findings: Array<{ cell: string }> };
    expect(parsed.summary.errors).toBeGreaterThan(0);
    expect(parsed.findings.map((finding) => finding.cell)).toContain('T4_Quadro_Fondi!I3');
  });
});
