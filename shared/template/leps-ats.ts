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

type ColumnOptions = Partial<Omit<ColumnDef, 'key' | 'header' | 'help' | 'type' | 'requirement'>>;

function column(
  key: string,
  type: ColumnType,
  requirement: Requirement,
  header: string,
  help: string,
  options: ColumnOptions = {},
): ColumnDef {
  return {
    key,
    header,
    help,
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

const COD_ATS = column('COD_ATS', 'code', 'required', 'Codice Ambito', 'Codice interno ATS-RR-NNN (RR = regione).', {
  pattern: '^ATS-\\d{2}-\\d{3}$',
  patternText: 'ATS-RR-NNN',
});
const ANNO_RIF = column('ANNO_RIF', 'integer', 'required', 'Anno di riferimento', 'Anno a cui si riferiscono i dati.', {
  min: 2018,
  max: 2030,
  unit: 'anno',
  excelFormat: '0',
});
const DATA_RIF = column(
  'DATA_RIF',
  'date',
  'required',
  'Data di riferimento',
  'Data della rilevazione cumulata (es. 31/08 o 31/12).',
);
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
    column(
      'DENOMINAZIONE_ATS',
      'text',
      'required',
      'Denominazione Ambito',
      'Nome come nelle tabelle dei decreti ministeriali.',
      { maxLength: 200, width: 36 },
    ),
    column(
      'COD_REGIONE',
      'code',
      'required',
      'Regione',
      'Codice ISTAT della Regione (01–20).',
      code('COD_REGIONE', { width: 8 }),
    ),
    column(
      'CODICE_REGIONALE_ATS',
      'text',
      'optional',
      'Codice regionale Ambito',
      'Etichetta usata dalla Regione (es. "TA/2").',
    ),
    column(
      'ID_SIOSS',
      'text',
      'optional',
      'Identificativo SIOSS',
      'Identificativo dell’Ambito su SIOSS/Multifondo, se noto (formato libero).',
    ),
    ANNO_RIF,
    column(
      'FORMA_GESTIONE',
      'code',
      'required',
      'Forma di gestione',
      'Forma di gestione associata (§3.2).',
      code('FORMA_GESTIONE'),
    ),
    column('ENTE_GESTORE_DENOM', 'text', 'required', 'Ente gestore', 'Denominazione dell’ente capofila o gestore.', {
      width: 32,
    }),
    column('ENTE_GESTORE_CF', 'code', 'required', 'CF ente gestore', 'Codice fiscale numerico dell’ente (11 cifre).', {
      ...CF_PATTERN,
      rule: 'T1.2',
    }),
    column(
      'ENTE_CAPOFILA_ISTAT',
      'code',
      requiredIf('FORMA_GESTIONE', 'CONV', 'obbligatorio in convenzione', 'T1.3'),
      'Comune capofila (ISTAT)',
      'Codice ISTAT del comune capofila; obbligatorio in convenzione.',
      { pattern: '^\\d{6}$', patternText: '6 cifre' },
    ),
    column(
      'AUTONOMIA_ART23',
      'flag',
      'required',
      'Autonomia art. 23',
      'Autonomia gestionale, amministrativa e finanziaria (art. 23 D.Lgs. 147/2017).',
      flag,
    ),
    column('ATTO_COSTITUTIVO_TIPO', 'text', 'required', 'Atto costitutivo: tipo', 'Es. "Convenzione art. 30 TUEL".'),
    column('ATTO_COSTITUTIVO_NUM', 'text', 'optional', 'Atto costitutivo: numero', 'Numero dell’atto.'),
    column('ATTO_COSTITUTIVO_DATA', 'date', 'required', 'Atto costitutivo: data', 'Data dell’atto.'),
    column(
      'ATTO_COSTITUTIVO_SCADENZA',
      'date',
      'optional',
      'Atto costitutivo: scadenza',
      'Scadenza della convenzione o dell’atto, se prevista.',
    ),
    column(
      'UDP_PRESENTE',
      'flag',
      'required',
      'Ufficio di Piano presente',
      'S se l’Ufficio di Piano è costituito.',
      flag,
    ),
    column(
      'UDP_ATTO_DATA',
      'date',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: data atto',
      'Data dell’atto istitutivo dell’Ufficio di Piano.',
    ),
    column(
      'UDP_RESPONSABILE',
      'text',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: responsabile',
      'Ruolo del responsabile o coordinatore (nessun dato personale).',
    ),
    column(
      'UDP_FTE_TOT',
      'decimal',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: FTE totali',
      'Somma degli FTE per funzione.',
      { ...nonNegative, unit: 'FTE' },
    ),
    column(
      'UDP_FTE_AMM',
      'decimal',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: FTE amministrativi',
      'FTE amministrativo-contabili.',
      { ...nonNegative, unit: 'FTE' },
    ),
    column(
      'UDP_FTE_CONT',
      'decimal',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: FTE contabili',
      'FTE contabili e di rendicontazione.',
      { ...nonNegative, unit: 'FTE' },
    ),
    column(
      'UDP_FTE_PROGR',
      'decimal',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: FTE programmazione',
      'FTE di programmazione.',
      { ...nonNegative, unit: 'FTE' },
    ),
    column(
      'UDP_FTE_MONIT',
      'decimal',
      requiredIf('UDP_PRESENTE', 'S', "obbligatorio se l'Ufficio di Piano è presente", 'T1.4'),
      'UdP: FTE monitoraggio',
      'FTE di monitoraggio e rendicontazione.',
      { ...nonNegative, unit: 'FTE' },
    ),
    column(
      'FUNZIONI_TECNICHE_ASSICURATE',
      'text',
      'optional',
      'Funzioni tecniche assicurate',
      'Elenco tra programmazione, gestione, erogazione, monitoraggio (L. 33/2023 art. 1 lett. b).',
    ),
    column(
      'ORGANO_POLITICO_PRESENTE',
      'flag',
      'required',
      'Organo politico presente',
      'Comitato/Assemblea dei sindaci o coordinamento istituzionale.',
      flag,
    ),
    column('PDZ_PERIODO', 'text', 'required', 'Piano di Zona: periodo', 'Nel formato AAAA-AAAA.', {
      pattern: '^\\d{4}-\\d{4}$',
      patternText: 'AAAA-AAAA',
    }),
    column('PDZ_DATA_APPROVAZIONE', 'date', 'optional', 'Piano di Zona: approvazione', 'Data di approvazione.'),
    column('DISTRETTO_COD', 'text', 'optional', 'Distretto sanitario', 'Codice regionale del distretto.'),
    column(
      'COINCIDENZA_DISTRETTO',
      'code',
      'required',
      'Coincide con il distretto',
      'S, N o P (parziale).',
      code('COINCIDENZA_DISTRETTO', { width: 8 }),
    ),
    column('ACCORDO_SOCIOSANITARIO', 'flag', 'required', 'Accordo socio-sanitario', 'Accordo ATS–ASL in vigore.', flag),
    column('N_PUA_ATTIVI', 'integer', 'required', 'PUA attivi', 'Numero di Punti unici di accesso attivi.', {
      ...nonNegative,
      unit: 'n',
    }),
    column('REFERENTE_SIOSS', 'text', 'required', 'Referente SIOSS', 'Ruolo del referente (nessun dato personale).'),
    column(
      'REFERENTE_MULTIFONDO',
      'text',
      'required',
      'Referente Multifondo',
      'Ruolo del referente (nessun dato personale).',
    ),
    column('PEC', 'text', 'required', 'PEC', 'Indirizzo PEC dell’Ambito.', {
      pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      patternText: 'indirizzo email',
      width: 32,
    }),
    column(
      'POPOLAZIONE_TOT',
      'integer',
      'computed',
      'Popolazione totale',
      'Somma della popolazione dei comuni (foglio T2). Calcolata.',
      { computed: 'T1_POPOLAZIONE_TOT', unit: 'abitanti', excelFormat: '#,##0' },
    ),
    column(
      'POP_RIF',
      'integer',
      'optional',
      'Popolazione per il contributo AS',
      'Popolazione di riferimento usata dal Ministero, se diversa dal totale dei comuni (verify R-AS-2).',
      { minExclusive: 0, unit: 'abitanti', excelFormat: '#,##0' },
    ),
    column('POP_RIF_FONTE', 'text', 'optional', 'Popolazione: fonte', 'Fonte della popolazione di riferimento.'),
    column(
      'POP_RIF_DATA',
      'date',
      'optional',
      'Popolazione: data',
      'Data di riferimento della popolazione (es. 01/01/AAAA).',
    ),
    column(
      'FTE_AS_TI',
      'decimal',
      'computed',
      'FTE assistenti sociali TI',
      'FTE degli assistenti sociali a tempo indeterminato che contano per il contributo (T3, consuntivo dell’anno). Calcolato.',
      { computed: 'T1_FTE_AS_TI', unit: 'FTE' },
    ),
    column(
      'CONTRIBUTO_AS_CALCOLATO',
      'money',
      'computed',
      'Contributo AS calcolato',
      '40.000 €/FTE tra 1:6.500 e 1:5.000; 20.000 €/FTE tra 1:5.000 e 1:4.000 (L. 178/2020 c. 797). Calcolato.',
      { computed: 'T1_CONTRIBUTO_AS', unit: 'EUR' },
    ),
    column(
      'CONTRIBUTO_AS_PRENOTATO',
      'money',
      'optional',
      'Contributo AS prenotato',
      'Importo prenotato dal decreto ministeriale.',
      euro,
    ),
    column(
      'CONTRIBUTO_AS_LIQUIDATO',
      'money',
      'optional',
      'Contributo AS liquidato',
      'Importo liquidato dal decreto ministeriale.',
      euro,
    ),
    column(
      'FTE_AS_CONSUNTIVO_SIOSS',
      'decimal',
      'optional',
      'FTE consuntivati su SIOSS',
      'FTE dichiarati su SIOSS per l’anno, da confrontare con la certificazione.',
      { ...nonNegative, unit: 'FTE' },
    ),
    column(
      'CERTIFICAZIONE_AS',
      'flag',
      'optional',
      'Invio di certificazione AS',
      'S se questo invio certifica il contributo assistenti sociali.',
      flag,
    ),
    column(
      'FIRMA_LEGALE_RAPPRESENTANTE',
      'text',
      requiredIf('CERTIFICAZIONE_AS', 'S', 'obbligatorio per la certificazione', 'S.5'),
      'Firmatario: legale rappresentante',
      'Ruolo e atto del legale rappresentante firmatario.',
    ),
    column(
      'FIRMA_RESP_FINANZIARIO',
      'text',
      requiredIf('CERTIFICAZIONE_AS', 'S', 'obbligatorio per la certificazione', 'S.5'),
      'Firmatario: responsabile finanziario',
      'Ruolo del Ragioniere generale / Responsabile del servizio finanziario.',
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
    column('COD_ISTAT_COMUNE', 'code', 'required', 'Codice ISTAT comune', 'Sei cifre, zeri iniziali compresi.', {
      pattern: '^\\d{6}$',
      patternText: '6 cifre',
      width: 10,
      rule: 'T2.1',
    }),
    column('DENOMINAZIONE_COMUNE', 'text', 'required', 'Comune', 'Nome come nell’elenco ISTAT.'),
    column('SIGLA_PROVINCIA', 'code', 'required', 'Provincia', 'Sigla della provincia.', {
      pattern: '^[A-Z]{2}$',
      patternText: 'due lettere',
      width: 8,
    }),
    column('CF_COMUNE', 'code', 'required', 'CF comune', 'Codice fiscale numerico del comune (11 cifre).', CF_PATTERN),
    column(
      'POPOLAZIONE_RESIDENTE',
      'integer',
      'required',
      'Popolazione residente',
      'Residenti ISTAT alla data di riferimento.',
      { minExclusive: 0, unit: 'abitanti', excelFormat: '#,##0' },
    ),
    column('DATA_RIF_POP', 'date', 'required', 'Data popolazione', 'Di norma 01/01 dell’anno.'),
    column('FLAG_CAPOFILA', 'flag', 'required', 'Capofila', 'S per il comune capofila.', flag),
    column('DATA_INGRESSO', 'date', 'optional', 'Data ingresso', 'Per variazioni di composizione.'),
    column(
      'DATA_USCITA',
      'date',
      'optional',
      'Data uscita',
      'Per variazioni di composizione: il comune non è più attivo.',
    ),
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
    column('TIPO_DATO', 'code', 'required', 'Tipo dato', 'CONSUNTIVO o PREVISIONE.', code('TIPO_DATO')),
    column(
      'ENTE_DATORE_CF',
      'code',
      'required',
      'CF ente datore',
      'Codice fiscale dell’ente datore di lavoro.',
      CF_PATTERN,
    ),
    column(
      'ENTE_DATORE_TIPO',
      'code',
      'required',
      'Tipo ente datore',
      'Comune, ente gestore, ente strumentale, ASL con rimborso, altro.',
      code('ENTE_DATORE_TIPO', { width: 20 }),
    ),
    column(
      'ID_DIPENDENTE',
      'text',
      'required',
      'ID dipendente',
      'Pseudonimo: nessun nome né codice fiscale personale.',
    ),
    column('PROFILO', 'code', 'required', 'Profilo', 'Profilo professionale.', code('PROFILO', { width: 20 })),
    column('TIPO_RAPPORTO', 'code', 'required', 'Rapporto', 'TI, TD, somministrato, incarico.', code('TIPO_RAPPORTO')),
    column('ORE_SETT', 'decimal', 'required', 'Ore settimanali', 'Ore da contratto (0 < ore ≤ tempo pieno).', {
      minExclusive: 0,
      unit: 'ore/settimana',
      rule: 'T3.1',
    }),
    column(
      'ORE_TEMPO_PIENO',
      'decimal',
      'required',
      'Ore tempo pieno',
      'Ore settimanali del tempo pieno (di norma 36, CCNL Funzioni Locali).',
      { minExclusive: 0, unit: 'ore/settimana' },
    ),
    column('DATA_INIZIO', 'date', 'required', 'Inizio servizio', 'Data di inizio del rapporto.', { rule: 'T3.1' }),
    column('DATA_FINE', 'date', 'optional', 'Fine servizio', 'Vuota se ancora in servizio.', { rule: 'T3.1' }),
    column(
      'GIORNI_IN_SERVIZIO',
      'integer',
      'computed',
      'Giorni in servizio',
      'Giorni di servizio nell’anno di riferimento. Calcolato.',
      { computed: 'T3_GIORNI_IN_SERVIZIO', unit: 'giorni' },
    ),
    column('FTE', 'decimal', 'computed', 'FTE', 'Ore/tempo pieno × giorni/giorni dell’anno. Calcolato.', {
      computed: 'T3_FTE',
      unit: 'FTE',
      excelFormat: '0.0000',
    }),
    column(
      'IMPIEGO_SERVIZI_TERRITORIALI',
      'flag',
      'required',
      'Impiego nei servizi territoriali',
      'S se impiegato nei servizi territoriali e nella loro organizzazione.',
      flag,
    ),
    column(
      'ONERI_A_CARICO_ENTE_ATS',
      'flag',
      'required',
      'Oneri a carico dell’Ambito',
      'S se il costo è a carico di comuni o Ambito (personale ASL).',
      flag,
    ),
    column('FONTE_COSTO', 'code', 'optional', 'Fonte del costo', 'Copertura del costo.', code('FONTE_COSTO')),
    column('COSTO_ANNUO', 'money', 'optional', 'Costo annuo', 'Costo annuo in euro.', euro),
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
    column('FONDO', 'code', 'required', 'Fondo', 'Fondo di finanziamento.', code('FONDO')),
    column('QUOTA', 'code', 'required', 'Quota', 'Quota del fondo (UNICA se il fondo non ha quote).', code('QUOTA')),
    column('ANNUALITA', 'integer', 'required', 'Annualità', 'Anno dell’assegnazione.', {
      min: 2015,
      max: 2035,
      unit: 'anno',
    }),
    column('ATTO_ASSEGNAZIONE', 'text', 'required', 'Atto di assegnazione', 'Decreto di riparto: numero e data.'),
    column('CUP', 'code', requiredIfPnrr, 'CUP', 'Codice unico di progetto (15 caratteri).', {
      pattern: '^[A-Z]\\d{2}[A-Z]\\d{11}$',
      patternText: 'lettera, 2 cifre, lettera, 11 cifre',
      width: 18,
      rule: 'T4.10',
    }),
    column(
      'LINEA_PNRR',
      'code',
      requiredIfPnrr,
      'Linea PNRR',
      'Linea M5C2 del progetto.',
      code('LINEA_PNRR', { width: 10 }),
    ),
    column('IMPORTO_ASSEGNATO', 'money', 'required', 'Assegnato', 'Importo assegnato.', euro),
    column('IMPORTO_INCASSATO', 'money', 'optional', 'Incassato', 'Importo incassato.', euro),
    column('IMPORTO_IMPEGNATO', 'money', 'required', 'Impegnato', 'Cumulato impegnato (art. 183 TUEL).', euro),
    column('IMPORTO_LIQUIDATO', 'money', 'required', 'Liquidato', 'Cumulato liquidato.', euro),
    column('IMPORTO_PAGATO', 'money', 'optional', 'Pagato', 'Cumulato pagato (mandati).', euro),
    column('IMPORTO_RENDICONTATO', 'money', 'optional', 'Rendicontato', 'Cumulato rendicontato.', euro),
    column('IMPORTO_NON_IMPEGNATO', 'money', 'computed', 'Non impegnato', 'Assegnato − impegnato. Calcolato.', {
      computed: 'T4_IMPORTO_NON_IMPEGNATO',
      unit: 'EUR',
    }),
    column(
      'MOTIVAZIONE_NON_IMPEGNATO',
      'code',
      T4_NON_IMPEGNATO,
      'Motivazione non impegnato',
      'Motivo delle somme non impegnate.',
      code('MOTIVAZIONE_NON_IMPEGNATO', { width: 22 }),
    ),
    column(
      'DATA_PREVISTA_IMPEGNO',
      'date',
      T4_NON_IMPEGNATO,
      'Data prevista impegno',
      'Data prevista per impegnare le somme residue.',
    ),
    column(
      'DATA_FINE_SPESA_PROGRAMMATA',
      'date',
      'required',
      'Fine spesa programmata',
      'Data programmata di fine spesa.',
    ),
    column(
      'DISIMPEGNO_PERIODO',
      'money',
      'optional',
      'Disimpegno del periodo',
      'Somme disimpegnate nel periodo.',
      euro,
    ),
    column(
      'NUOVI_IMPEGNI_PERIODO',
      'money',
      'optional',
      'Nuovi impegni del periodo',
      'Impegni assunti nel periodo (se tracciati, per il controllo del cumulato).',
      euro,
    ),
    column(
      'FLAG_ERRORE_MATERIALE',
      'flag',
      'optional',
      'Errore materiale',
      'S per rettificare un errore materiale della rilevazione precedente.',
      flag,
    ),
    column(
      'MOTIVAZIONE_RETTIFICA',
      'text',
      'optional',
      'Motivazione rettifica',
      'Obbligatoria se un cumulato diminuisce rispetto alla rilevazione precedente.',
    ),
    column('TARGET_PROGRAMMATO', 'integer', requiredIfPnrr, 'Target programmato', 'Solo PNRR.', {
      ...nonNegative,
      unit: 'n',
    }),
    column('TARGET_REALIZZATO', 'integer', requiredIfPnrr, 'Target realizzato', 'Solo PNRR.', {
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
    column('FONDO', 'code', 'required', 'Fondo', 'Fondo di finanziamento.', code('FONDO')),
    column('QUOTA', 'code', 'required', 'Quota', 'Quota del fondo.', code('QUOTA')),
    column('ANNUALITA', 'integer', 'required', 'Annualità', 'Anno dell’assegnazione.', {
      min: 2015,
      max: 2035,
      unit: 'anno',
    }),
    column('COD_LEPS', 'code', 'required', 'LEPS', 'LEPS a cui si riferisce la spesa.', code('LEPS', { width: 16 })),
    column(
      'COD_INTERVENTO',
      'code',
      'required',
      'Intervento',
      'Intervento (art. 7 D.Lgs. 147/2017 o obiettivi FNPS).',
      code('INTERVENTO'),
    ),
    column('AREA', 'code', 'required', 'Area', 'Area di utenza.', code('AREA')),
    column('MODALITA', 'code', 'required', 'Modalità', 'Modalità di gestione.', code('MODALITA', { width: 22 })),
    column('IMPEGNATO', 'money', 'required', 'Impegnato', 'Impegnato cumulato.', euro),
    column('LIQUIDATO', 'money', 'required', 'Liquidato', 'Liquidato cumulato.', euro),
    column('DI_CUI_PERSONALE', 'money', 'optional', 'Di cui personale', 'Quota del liquidato per personale.', euro),
    column('CIG', 'code', 'optional', 'CIG', 'Codice identificativo gara (10 caratteri).', {
      pattern: '^[A-Z0-9]{10}$',
      patternText: '10 caratteri alfanumerici',
    }),
    column('CUP', 'code', requiredIfPnrr, 'CUP', 'Come nel quadro finanziario.', {
      pattern: '^[A-Z]\\d{2}[A-Z]\\d{11}$',
      patternText: 'lettera, 2 cifre, lettera, 11 cifre',
      width: 18,
    }),
    column('NOTE', 'text', 'optional', 'Note', 'Note libere.', { maxLength: 1000, width: 36 }),
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
    column('COD_LEPS', 'code', 'required', 'LEPS', 'LEPS dell’indicatore.', code('LEPS', { width: 16 })),
    column(
      'COD_INDICATORE',
      'code',
      'required',
      'Indicatore',
      'Codice dell’indicatore.',
      code('INDICATORE', { width: 28 }),
    ),
    column('VALORE', 'decimal', 'required', 'Valore', 'Valore dell’indicatore (≥ 0; intero per i conteggi).', {
      min: 0,
      rule: 'T6.1',
    }),
    column('UNITA', 'text', 'computed', 'Unità', 'Unità di misura dell’indicatore. Calcolata.', {
      computed: 'T6_UNITA',
      width: 10,
    }),
    column('FONTE', 'code', 'optional', 'Fonte', 'Fonte del dato.', code('FONTE_INDICATORE')),
    column('NOTE', 'text', 'optional', 'Note', 'Note libere.', { maxLength: 1000, width: 36 }),
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
