import { loadComuni } from '../../functions/lib/reference-data.ts';
import type { Receipt } from '../../shared/contract/api.ts';
import {
  type Finding,
  LEPS_ATS,
  type Submission,
  type SubmissionRow,
  type ValidateOptions,
  validateSubmission,
} from '../../shared/index.ts';

/**
 * Fixture builders: a valid submission assembled from small row builders (the synthetic Belluno ATS of the contract's
 * example), so each test states only what it changes.
 */

type Row = Record<string, string | number | boolean | null>;

export const ATS = 'ATS-05-001';
export const PERIOD = '2025-12-31';
/** A fixed "today" inside the 31/12/2025 monitoring window, so deadline and expiry checks are reproducible. */
export const NOW = new Date('2026-01-25T10:00:00Z');

export function anagrafica(overrides: Row = {}): Row {
  return {
    COD_ATS: ATS,
    DENOMINAZIONE_ATS: 'Ambito sintetico Belluno (esempio)',
    COD_REGIONE: '05',
    CODICE_REGIONALE_ATS: 'BL-1',
    ANNO_RIF: 2025,
    FORMA_GESTIONE: 'CONV',
    ENTE_GESTORE_DENOM: 'Comune di Belluno',
    ENTE_GESTORE_CF: '00100060250',
    ENTE_CAPOFILA_ISTAT: '025006',
    AUTONOMIA_ART23: 'S',
    ATTO_COSTITUTIVO_TIPO: 'Convenzione art. 30 TUEL',
    ATTO_COSTITUTIVO_NUM: '12',
    ATTO_COSTITUTIVO_DATA: '2022-03-15',
    ATTO_COSTITUTIVO_SCADENZA: '2030-12-31',
    UDP_PRESENTE: 'S',
    UDP_ATTO_DATA: '2022-04-01',
    UDP_RESPONSABILE: 'Responsabile Ufficio di Piano',
    UDP_FTE_TOT: 3.5,
    UDP_FTE_AMM: 1,
    UDP_FTE_CONT: 1,
    UDP_FTE_PROGR: 1,
    UDP_FTE_MONIT: 0.5,
    ORGANO_POLITICO_PRESENTE: 'S',
    PDZ_PERIODO: '2025-2027',
    PDZ_DATA_APPROVAZIONE: '2025-02-10',
    DISTRETTO_COD: 'BL-1',
    COINCIDENZA_DISTRETTO: 'S',
    ACCORDO_SOCIOSANITARIO: 'S',
    N_PUA_ATTIVI: 1,
    REFERENTE_SIOSS: 'Referente SIOSS',
    REFERENTE_MULTIFONDO: 'Referente Multifondo',
    PEC: 'ambito.belluno@pec.example.it',
    POPOLAZIONE_TOT: 42818,
    ...overrides,
  };
}

export function comune(code: string, name: string, cf: string, population: number, overrides: Row = {}): Row {
  return {
    COD_ATS: ATS,
    COD_ISTAT_COMUNE: code,
    DENOMINAZIONE_COMUNE: name,
    SIGLA_PROVINCIA: 'BL',
    CF_COMUNE: cf,
    POPOLAZIONE_RESIDENTE: population,
    DATA_RIF_POP: '2025-01-01',
    FLAG_CAPOFILA: 'N',
    ...overrides,
  };
}

export function comuni(): Row[] {
  return [
    comune('025001', 'Agordo', '00100010255', 4019),
    comune('025003', 'Alleghe', '00100030253', 1088),
    comune('025004', 'Arsiè', '00100040252', 2168),
    comune('025006', 'Belluno', '00100060250', 35543, { FLAG_CAPOFILA: 'S' }),
  ];
}

export function staff(id: string, overrides: Row = {}): Row {
  return {
    COD_ATS: ATS,
    ANNO_RIF: 2025,
    TIPO_DATO: 'CONSUNTIVO',
    ENTE_DATORE_CF: '00100060250',
    ENTE_DATORE_TIPO: 'COMUNE',
    ID_DIPENDENTE: id,
    PROFILO: 'ASSISTENTE_SOCIALE',
    TIPO_RAPPORTO: 'TI',
    ORE_SETT: 36,
    ORE_TEMPO_PIENO: 36,
    DATA_INIZIO: '2020-01-01',
    IMPIEGO_SERVIZI_TERRITORIALI: 'S',
    ONERI_A_CARICO_ENTE_ATS: 'S',
    FONTE_COSTO: 'BIL_COMUNALE',
    COSTO_ANNUO: 38000,
    ...overrides,
  };
}

/** Nine full-time AS and one half-time: 9.5 FTE, as in the contract's example. */
export function staffRows(): Row[] {
  const rows = Array.from({ length: 9 }, (_, index) => staff(`AS-${String(index + 1).padStart(3, '0')}`));
  rows.push(staff('AS-010', { ORE_SETT: 18 }));
  return rows;
}

export function fund(overrides: Row = {}): Row {
  return {
    COD_ATS: ATS,
    DATA_RIF: PERIOD,
    FONDO: 'FP',
    QUOTA: 'QSFP',
    ANNUALITA: 2024,
    ATTO_ASSEGNAZIONE: 'DM 2 aprile 2025',
    IMPORTO_ASSEGNATO: 480000,
    IMPORTO_INCASSATO: 480000,
    IMPORTO_IMPEGNATO: 400000,
    IMPORTO_LIQUIDATO: 240000,
    IMPORTO_PAGATO: 220000,
    IMPORTO_RENDICONTATO: 200000,
    MOTIVAZIONE_NON_IMPEGNATO: 'PROCEDURA_IN_CORSO',
    DATA_PREVISTA_IMPEGNO: '2026-03-31',
    DATA_FINE_SPESA_PROGRAMMATA: '2026-12-31',
    ...overrides,
  };
}

export function funds(): Row[] {
  return [
    fund(),
    fund({
      ANNUALITA: 2023,
      ATTO_ASSEGNAZIONE: 'DM 2023',
      IMPORTO_ASSEGNATO: 440000,
      IMPORTO_INCASSATO: 440000,
      IMPORTO_IMPEGNATO: 440000,
      IMPORTO_LIQUIDATO: 400000,
      IMPORTO_PAGATO: 400000,
      IMPORTO_RENDICONTATO: 380000,
      MOTIVAZIONE_NON_IMPEGNATO: null,
      DATA_PREVISTA_IMPEGNO: null,
      DATA_FINE_SPESA_PROGRAMMATA: '2026-06-30',
    }),
  ];
}

export function spending(overrides: Row = {}): Row {
  return {
    COD_ATS: ATS,
    DATA_RIF: PERIOD,
    FONDO: 'FP',
    QUOTA: 'QSFP',
    ANNUALITA: 2024,
    COD_LEPS: 'LEPS_SSP',
    COD_INTERVENTO: 'INT_147_b',
    AREA: 'POV',
    MODALITA: 'DIRETTA',
    IMPEGNATO: 240000,
    LIQUIDATO: 160000,
    DI_CUI_PERSONALE: 160000,
    ...overrides,
  };
}

export function spendingRows(): Row[] {
  return [
    spending(),
    spending({
      COD_LEPS: 'LEPS_PIS',
      COD_INTERVENTO: 'INT_147_h',
      MODALITA: 'APPALTO',
      IMPEGNATO: 160000,
      LIQUIDATO: 80000,
      DI_CUI_PERSONALE: null,
      CIG: 'A1B2C3D4E5',
    }),
    spending({
      ANNUALITA: 2023,
      COD_LEPS: 'LEPS_ADI',
      COD_INTERVENTO: 'INT_147_a',
      IMPEGNATO: 440000,
      LIQUIDATO: 400000,
      DI_CUI_PERSONALE: null,
    }),
  ];
}

export function indicator(leps: string, code: string, value: number, overrides: Row = {}): Row {
  return {
    COD_ATS: ATS,
    ANNO_RIF: 2025,
    COD_LEPS: leps,
    COD_INDICATORE: code,
    VALORE: value,
    FONTE: 'GESTIONALE',
    ...overrides,
  };
}

export function indicators(): Row[] {
  return [
    indicator('LEPS_PIS', 'PIS_H24', 1),
    indicator('LEPS_PIS', 'PIS_ORE_COPERTURA_SETT', 168),
    indicator('LEPS_PIS', 'PIS_SEGNALAZIONI', 40),
    indicator('LEPS_PIS', 'PIS_PERSONE', 30),
    indicator('LEPS_ADI', 'ADI_NUCLEI_ASSEGNATI', 210),
    indicator('LEPS_ADI', 'ADI_PAIS_SOTTOSCRITTI', 160),
  ];
}

export interface SubmissionParts {
  T1?: Row[];
  T2?: Row[];
  T3?: Row[];
  T4?: Row[];
  T5?: Row[];
  T6?: Row[];
}

/** The valid submission; pass sheets to replace, or use `withRow` to change one row. */
export function validSubmission(parts: SubmissionParts = {}, envelope: Partial<Submission> = {}): Submission {
  return {
    template: LEPS_ATS.id,
    templateVersion: LEPS_ATS.version,
    ats: ATS,
    period: PERIOD,
    sheets: {
      T1: (parts.T1 ?? [anagrafica()]) as SubmissionRow[],
      T2: (parts.T2 ?? comuni()) as SubmissionRow[],
      T3: (parts.T3 ?? staffRows()) as SubmissionRow[],
      T4: (parts.T4 ?? funds()) as SubmissionRow[],
      T5: (parts.T5 ?? spendingRows()) as SubmissionRow[],
      T6: (parts.T6 ?? indicators()) as SubmissionRow[],
    },
    ...envelope,
  };
}

/** A copy of rows with one row changed (1-based index, as in findings). */
export function withRow(rows: Row[], rowNumber: number, overrides: Row): Row[] {
  return rows.map((row, index) => (index === rowNumber - 1 ? { ...row, ...overrides } : row));
}

/** Runs every check with the ISTAT reference and the fixed clock; throws on a schema error (tests want findings). */
export function check(submission: unknown, options: ValidateOptions = {}): Finding[] {
  const outcome = validateSubmission(submission, { comuni: loadComuni(), now: NOW, ...options });
  if (!outcome.ok) throw new Error(`schema error: ${JSON.stringify(outcome.issues)}`);
  return [...outcome.findings];
}

export const withRule = (findings: readonly Finding[], rule: string): Finding[] =>
  findings.filter((finding) => finding.rule === rule);

/** A receipt of version 3 of the example ATS's annual return, with no findings, as the API hands it back. */
export function receiptOf(overrides: Partial<Receipt> = {}): Receipt {
  return {
    ats: ATS,
    period: PERIOD,
    template: LEPS_ATS.id,
    templateVersion: LEPS_ATS.version,
    version: 3,
    sha256: 'a'.repeat(64),
    receivedAt: '2026-01-15T10:00:00.000Z',
    status: 'SUBMITTED',
    findings: [],
    ...overrides,
  };
}
