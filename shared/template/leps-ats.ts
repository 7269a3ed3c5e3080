import { CODE_LISTS, INDICATORS } from './code-lists.ts';
import type { CodeListId, ColumnDef, ColumnType, Requirement, SheetDef, TemplateDef } from './types.ts';

/**
 * Template LEPS-ATS: the six sheets of domain.md §4, written once as data.
 * Columns follow the spec's tables in order; columns the spec does not list come from verify.md (R-AS-2, §2.2, §5)
 * and from checks that need a place for their inputs (T3.9/T3.10, S.5). Those are optional and say so in their help.
 */

const EXCEL_FORMAT: Record<ColumnType, string> = {
  code: '@',
  text: '@',
  flag: '@',
  integer: '0',
  decimal: '0.00',
  money: '#,##0.00',
  date: 'dd/mm/yyyy',
};

const DEFAULT_WIDTH: Record<ColumnType, number> = {
  code: 14,
  text: 28,
  flag: 8,
  integer: 12,
  decimal: 12,
  money: 16,
  date: 12,
};

type ColumnOptions = Partial<Omit<ColumnDef, 'key' | 'header' | 'type' | 'requirement'>>;

/** A column; its help text is in leps-ats-help.ts. */
function column(
  key: string,
  type: ColumnType,
  requirement: Requirement,
  header: string,
  options: ColumnOptions = {},
): ColumnDef {
  return {
    key,
    header,
    type,
    requirement,
    excelFormat: EXCEL_FORMAT[type],
    width: DEFAULT_WIDTH[type],
    ...options,
  };
}

const code = (list: CodeListId, extra: ColumnOptions = {}): ColumnOptions => ({ codeList: list, ...extra });
const flag: ColumnOptions = { codeList: 'SN' };
const nonNegative: ColumnOptions = { min: 0 };
const euro: ColumnOptions = { min: 0, unit: 'EUR' };
const requiredIf = (column: string, equals: string, text: string, rule?: string): Requirement => ({
  when: { column, equals },
  text,
  ...(rule ? { rule } : {}),
});

const COD_ATS = column('COD_ATS', 'code', 'required', 'Codice Ambito', {
  pattern: '^ATS-\\d{2}-\\d{3}$',
  patternText: 'ATS-RR-NNN',
});
const ANNO_RIF = column('ANNO_RIF', 'integer', 'required', 'Anno di riferimento', {
  min: 2018,
  max: 2030,
  unit: 'anno',
  excelFormat: '0',
});
const DATA_RIF = column('DATA_RIF', 'date', 'required', 'Data di riferimento');
const CF_PATTERN = { pattern: '^\\d{11}$', patternText: '11 cifre' };

const T1: SheetDef = {
  id: 'T1',
  name: 'T1_ATS_Anagrafica',
  title: 'Anagrafica Ambito',
  description: 'Una riga per Ambito: forma di gestione, ente gestore, Ufficio di Piano, contributo assistenti sociali.',
  specSection: '§4.2',
  singleRow: true,
  columns: [
    COD_ATS,
    column('DENOMINAZIONE_ATS', 'text', 'required', 'Denominazione Ambito', { maxLength: 200, width: 36 }),
    column('COD_REGIONE', 'code', 'required', 'Regione', code('COD_REGIONE', { width: 8 })),
    column('CODICE_REGIONALE_ATS', 'text', 'optional', 'Codice regionale Ambito'),
    column('ID_SIOSS', 'text', 'optional', 'Identificativo SIOSS'),
    ANNO_RIF,
    column('FORMA_GESTIONE', 'code', 'required', 'Forma di gestione', code('FORMA_GESTIONE')),
    column('ENTE_GESTORE_DENOM', 'text', 'required', 'Ente gestore', {
      width: 32,
    }),
    column('ENTE_GESTORE_CF', 'code', 'required', 'CF ente gestore', {
      ...CF_PATTERN,
      rule: 'T1.2',
    }),
    column(
      'ENTE_CAPOFILA_ISTAT',
      'code',
      requiredIf('FORMA_GESTIONE', 'CONV', 'obbligatorio in convenzione', 'T1.3'),
      'Comune capofila (ISTAT)',
      { pattern: '^\\d{6}$', patternText: '6 cifre' },
    ),
    column('AUTONOMIA_ART23', 'flag', 'required', 'Autonomia art. 23', flag),
    column('ATTO_COSTITUTIVO_TIPO', 'text', 'required', 'Atto costitutivo: tipo'),
    column('ATTO_COSTITUTIVO_NUM', 'text', 'optional', 'Atto costitutivo: numero'),
    column('ATTO_COSTITUTIVO_DATA', 'date', 'required', 'Atto costitutivo: data'),
    column('ATTO_COSTITUTIVO_SCADENZA', 'date', 'optional', 'Atto costitutivo: scadenza'),
    column('UDP_PRESENTE', 'flag', 'required', 'Ufficio di Piano presente', flag),
    column(
      'UDP_ATTO_DATA',
      'date',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: data atto',
    ),
    column(
      'UDP_RESPONSABILE',
      'text',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: responsabile',
    ),
    column(
      'UDP_FTE_TOT',
      'decimal',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: FTE totali',
      { ...nonNegative, unit: 'FTE' },
    ),
    column(
      'UDP_FTE_AMM',
      'decimal',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: FTE amministrativi',
      { ...nonNegative, unit: 'FTE' },
    ),
    column(
      'UDP_FTE_CONT',
      'decimal',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: FTE contabili',
      { ...nonNegative, unit: 'FTE' },
    ),
    column(
      'UDP_FTE_PROGR',
      'decimal',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: FTE programmazione',
      { ...nonNegative, unit: 'FTE' },
    ),
    column(
      'UDP_FTE_MONIT',
      'decimal',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: FTE monitoraggio',
      { ...nonNegative, unit: 'FTE' },
    ),
    column('FUNZIONI_TECNICHE_ASSICURATE', 'text', 'optional', 'Funzioni tecniche assicurate'),
    column('ORGANO_POLITICO_PRESENTE', 'flag', 'required', 'Organo politico presente', flag),
    column('PDZ_PERIODO', 'text', 'required', 'Piano di Zona: periodo', {
      pattern: '^\\d{4}-\\d{4}$',
      patternText: 'AAAA-AAAA',
    }),
    column('PDZ_DATA_APPROVAZIONE', 'date', 'optional', 'Piano di Zona: approvazione'),
    column('DISTRETTO_COD', 'text', 'optional', 'Distretto sanitario'),
    column(
      'COINCIDENZA_DISTRETTO',
      'code',
      'required',
      'Coincide con il distretto',
      code('COINCIDENZA_DISTRETTO', { width: 8 }),
    ),
    column('ACCORDO_SOCIOSANITARIO', 'flag', 'required', 'Accordo socio-sanitario', flag),
    column('N_PUA_ATTIVI', 'integer', 'required', 'PUA attivi', {
      ...nonNegative,
      unit: 'n',
    }),
    column('REFERENTE_SIOSS', 'text', 'required', 'Referente SIOSS'),
    column('REFERENTE_MULTIFONDO', 'text', 'required', 'Referente Multifondo'),
    column('PEC', 'text', 'required', 'PEC', {
      pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      patternText: 'indirizzo email',
      width: 32,
    }),
    column('POPOLAZIONE_TOT', 'integer', 'computed', 'Popolazione totale', {
      computed: 'T1_POPOLAZIONE_TOT',
      unit: 'abitanti',
      excelFormat: '#,##0',
    }),
    column('POP_RIF', 'integer', 'optional', 'Popolazione per il contributo AS', {
      minExclusive: 0,
      unit: 'abitanti',
      excelFormat: '#,##0',
    }),
    column('POP_RIF_FONTE', 'text', 'optional', 'Popolazione: fonte'),
    column('POP_RIF_DATA', 'date', 'optional', 'Popolazione: data'),
    column('FTE_AS_TI', 'decimal', 'computed', 'FTE assistenti sociali TI', { computed: 'T1_FTE_AS_TI', unit: 'FTE' }),
    column('CONTRIBUTO_AS_CALCOLATO', 'money', 'computed', 'Contributo AS calcolato', {
      computed: 'T1_CONTRIBUTO_AS',
      unit: 'EUR',
    }),
    column('CONTRIBUTO_AS_PRENOTATO', 'money', 'optional', 'Contributo AS prenotato', euro),
    column('CONTRIBUTO_AS_LIQUIDATO', 'money', 'optional', 'Contributo AS liquidato', euro),
    column('FTE_AS_CONSUNTIVO_SIOSS', 'decimal', 'optional', 'FTE consuntivati su SIOSS', {
      ...nonNegative,
      unit: 'FTE',
    }),
    column('CERTIFICAZIONE_AS', 'flag', 'optional', 'Invio di certificazione AS', flag),
    column(
      'FIRMA_LEGALE_RAPPRESENTANTE',
      'text',
      requiredIf('CERTIFICAZIONE_AS', 'S', 'obbligatorio per la certificazione', 'S.5'),
      'Firmatario: legale rappresentante',
    ),
    column(
      'FIRMA_RESP_FINANZIARIO',
      'text',
      requiredIf('CERTIFICAZIONE_AS', 'S', 'obbligatorio per la certificazione', 'S.5'),
      'Firmatario: responsabile finanziario',
    ),
  ],
};

const T2: SheetDef = {
  id: 'T2',
  name: 'T2_ATS_Comuni',
  title: "Comuni dell'Ambito",
  description: 'Una riga per comune dell’Ambito.',
  specSection: '§4.3',
  singleRow: false,
  columns: [
    COD_ATS,
    column('COD_ISTAT_COMUNE', 'code', 'required', 'Codice ISTAT comune', {
      pattern: '^\\d{6}$',
      patternText: '6 cifre',
      width: 10,
      rule: 'T2.1',
    }),
    column('DENOMINAZIONE_COMUNE', 'text', 'required', 'Comune'),
    column('SIGLA_PROVINCIA', 'code', 'required', 'Provincia', {
      pattern: '^[A-Z]{2}$',
      patternText: 'due lettere',
      width: 8,
    }),
    column('CF_COMUNE', 'code', 'required', 'CF comune', CF_PATTERN),
    column('POPOLAZIONE_RESIDENTE', 'integer', 'required', 'Popolazione residente', {
      minExclusive: 0,
      unit: 'abitanti',
      excelFormat: '#,##0',
    }),
    column('DATA_RIF_POP', 'date', 'required', 'Data popolazione'),
    column('FLAG_CAPOFILA', 'flag', 'required', 'Capofila', flag),
    column('DATA_INGRESSO', 'date', 'optional', 'Data ingresso'),
    column('DATA_USCITA', 'date', 'optional', 'Data uscita'),
  ],
};

const T3: SheetDef = {
  id: 'T3',
  name: 'T3_Personale_SS',
  title: 'Personale del servizio sociale',
  description: 'Una riga per dipendente e anno (pseudonimo, nessun dato nominativo).',
  specSection: '§4.4',
  singleRow: false,
  columns: [
    COD_ATS,
    ANNO_RIF,
    column('TIPO_DATO', 'code', 'required', 'Tipo dato', code('TIPO_DATO')),
    column('ENTE_DATORE_CF', 'code', 'required', 'CF ente datore', CF_PATTERN),
    column('ENTE_DATORE_TIPO', 'code', 'required', 'Tipo ente datore', code('ENTE_DATORE_TIPO', { width: 20 })),
    column('ID_DIPENDENTE', 'text', 'required', 'ID dipendente'),
    column('PROFILO', 'code', 'required', 'Profilo', code('PROFILO', { width: 20 })),
    column('TIPO_RAPPORTO', 'code', 'required', 'Rapporto', code('TIPO_RAPPORTO')),
    column('ORE_SETT', 'decimal', 'required', 'Ore settimanali', {
      minExclusive: 0,
      unit: 'ore/settimana',
      rule: 'T3.1',
    }),
    column('ORE_TEMPO_PIENO', 'decimal', 'required', 'Ore tempo pieno', { minExclusive: 0, unit: 'ore/settimana' }),
    column('DATA_INIZIO', 'date', 'required', 'Inizio servizio', { rule: 'T3.1' }),
    column('DATA_FINE', 'date', 'optional', 'Fine servizio', { rule: 'T3.1' }),
    column('GIORNI_IN_SERVIZIO', 'integer', 'computed', 'Giorni in servizio', {
      computed: 'T3_GIORNI_IN_SERVIZIO',
      unit: 'giorni',
    }),
    column('FTE', 'decimal', 'computed', 'FTE', {
      computed: 'T3_FTE',
      unit: 'FTE',
      excelFormat: '0.0000',
    }),
    column('IMPIEGO_SERVIZI_TERRITORIALI', 'flag', 'required', 'Impiego nei servizi territoriali', flag),
    column('ONERI_A_CARICO_ENTE_ATS', 'flag', 'required', 'Oneri a carico dell’Ambito', flag),
    column('FONTE_COSTO', 'code', 'optional', 'Fonte del costo', code('FONTE_COSTO')),
    column('COSTO_ANNUO', 'money', 'optional', 'Costo annuo', euro),
  ],
};

const requiredIfPnrr = requiredIf('FONDO', 'PNRR', 'obbligatorio per il PNRR', 'T4.10');
const T4_NON_IMPEGNATO: Requirement = {
  when: { column: 'IMPORTO_NON_IMPEGNATO', greaterThan: 0 },
  text: 'obbligatorio se restano somme non impegnate',
  rule: 'T4.5',
};

const T4: SheetDef = {
  id: 'T4',
  name: 'T4_Quadro_Fondi',
  title: 'Quadro finanziario dei fondi',
  description: 'Una riga per fondo, quota, annualità e CUP. Valori cumulati alla data di riferimento.',
  specSection: '§4.5',
  singleRow: false,
  columns: [
    COD_ATS,
    DATA_RIF,
    column('FONDO', 'code', 'required', 'Fondo', code('FONDO')),
    column('QUOTA', 'code', 'required', 'Quota', code('QUOTA')),
    column('ANNUALITA', 'integer', 'required', 'Annualità', {
      min: 2015,
      max: 2035,
      unit: 'anno',
    }),
    column('ATTO_ASSEGNAZIONE', 'text', 'required', 'Atto di assegnazione'),
    column('CUP', 'code', requiredIfPnrr, 'CUP', {
      pattern: '^[A-Z]\\d{2}[A-Z]\\d{11}$',
      patternText: 'lettera, 2 cifre, lettera, 11 cifre',
      width: 18,
      rule: 'T4.10',
    }),
    column('LINEA_PNRR', 'code', requiredIfPnrr, 'Linea PNRR', code('LINEA_PNRR', { width: 10 })),
    column('IMPORTO_ASSEGNATO', 'money', 'required', 'Assegnato', euro),
    column('IMPORTO_INCASSATO', 'money', 'optional', 'Incassato', euro),
    column('IMPORTO_IMPEGNATO', 'money', 'required', 'Impegnato', euro),
    column('IMPORTO_LIQUIDATO', 'money', 'required', 'Liquidato', euro),
    column('IMPORTO_PAGATO', 'money', 'optional', 'Pagato', euro),
    column('IMPORTO_RENDICONTATO', 'money', 'optional', 'Rendicontato', euro),
    column('IMPORTO_NON_IMPEGNATO', 'money', 'computed', 'Non impegnato', {
      computed: 'T4_IMPORTO_NON_IMPEGNATO',
      unit: 'EUR',
    }),
    column(
      'MOTIVAZIONE_NON_IMPEGNATO',
      'code',
      T4_NON_IMPEGNATO,
      'Motivazione non impegnato',
      code('MOTIVAZIONE_NON_IMPEGNATO', { width: 22 }),
    ),
    column('DATA_PREVISTA_IMPEGNO', 'date', T4_NON_IMPEGNATO, 'Data prevista impegno'),
    column('DATA_FINE_SPESA_PROGRAMMATA', 'date', 'required', 'Fine spesa programmata'),
    column('DISIMPEGNO_PERIODO', 'money', 'optional', 'Disimpegno del periodo', euro),
    column('NUOVI_IMPEGNI_PERIODO', 'money', 'optional', 'Nuovi impegni del periodo', euro),
    column('FLAG_ERRORE_MATERIALE', 'flag', 'optional', 'Errore materiale', flag),
    column('MOTIVAZIONE_RETTIFICA', 'text', 'optional', 'Motivazione rettifica'),
    column('TARGET_PROGRAMMATO', 'integer', requiredIfPnrr, 'Target programmato', {
      ...nonNegative,
      unit: 'n',
    }),
    column('TARGET_REALIZZATO', 'integer', requiredIfPnrr, 'Target realizzato', {
      ...nonNegative,
      unit: 'n',
    }),
  ],
};

const T5: SheetDef = {
  id: 'T5',
  name: 'T5_Spesa_LEPS',
  title: 'Spesa per LEPS e interventi',
  description: 'Ripartizione del quadro finanziario per LEPS, intervento, area e modalità.',
  specSection: '§4.6',
  singleRow: false,
  columns: [
    COD_ATS,
    DATA_RIF,
    column('FONDO', 'code', 'required', 'Fondo', code('FONDO')),
    column('QUOTA', 'code', 'required', 'Quota', code('QUOTA')),
    column('ANNUALITA', 'integer', 'required', 'Annualità', {
      min: 2015,
      max: 2035,
      unit: 'anno',
    }),
    column('COD_LEPS', 'code', 'required', 'LEPS', code('LEPS', { width: 16 })),
    column('COD_INTERVENTO', 'code', 'required', 'Intervento', code('INTERVENTO')),
    column('AREA', 'code', 'required', 'Area', code('AREA')),
    column('MODALITA', 'code', 'required', 'Modalità', code('MODALITA', { width: 22 })),
    column('IMPEGNATO', 'money', 'required', 'Impegnato', euro),
    column('LIQUIDATO', 'money', 'required', 'Liquidato', euro),
    column('DI_CUI_PERSONALE', 'money', 'optional', 'Di cui personale', euro),
    column('CIG', 'code', 'optional', 'CIG', {
      pattern: '^[A-Z0-9]{10}$',
      patternText: '10 caratteri alfanumerici',
    }),
    column('CUP', 'code', requiredIfPnrr, 'CUP', {
      pattern: '^[A-Z]\\d{2}[A-Z]\\d{11}$',
      patternText: 'lettera, 2 cifre, lettera, 11 cifre',
      width: 18,
    }),
    column('NOTE', 'text', 'optional', 'Note', { maxLength: 1000, width: 36 }),
  ],
};

const T6: SheetDef = {
  id: 'T6',
  name: 'T6_Indicatori_LEPS',
  title: 'Indicatori LEPS',
  description: 'Una riga per LEPS e indicatore.',
  specSection: '§4.7',
  singleRow: false,
  columns: [
    COD_ATS,
    ANNO_RIF,
    column('COD_LEPS', 'code', 'required', 'LEPS', code('LEPS', { width: 16 })),
    column('COD_INDICATORE', 'code', 'required', 'Indicatore', code('INDICATORE', { width: 28 })),
    column('VALORE', 'decimal', 'required', 'Valore', {
      min: 0,
      rule: 'T6.1',
    }),
    column('UNITA', 'text', 'computed', 'Unità', {
      computed: 'T6_UNITA',
      width: 10,
    }),
    column('FONTE', 'code', 'optional', 'Fonte', code('FONTE_INDICATORE')),
    column('NOTE', 'text', 'optional', 'Note', { maxLength: 1000, width: 36 }),
  ],
};

export const LEPS_ATS: TemplateDef = {
  id: 'LEPS-ATS',
  version: '2025.1',
  title: 'Rendicontazione LEPS dell’Ambito Territoriale Sociale',
  publishedAt: '2026-11-26',
  sheets: [T1, T2, T3, T4, T5, T6],
  codeLists: CODE_LISTS,
  indicators: INDICATORS,
};
