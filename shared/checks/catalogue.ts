import type { RuleDef, RuleScope, Severity } from './types.ts';

/**
 * Every check of the LEPS-ATS template (T1–T6 and whole-submission checks) with its stable ID, default severity,
 * Italian title and legal reference, as data.
 * Implementations live beside this file, one module per sheet, keyed by the same IDs; a test proves that each entry
 * has exactly one implementation.
 *
 * `Tn.0` is not a numbered check of the spec: it reports a value that breaks its column's definition in the template
 * (missing, wrong type, out of range, not in the code list) on sheets whose spec gives no check for it. T1 uses T1.1,
 * which the spec defines for exactly that.
 *
 * References follow verify.md §3: comma numbers of L. 234/2021 not read in a primary text are marked "da verificare".
 */

/**
 * A reference into the published template: what a user can open and read ("Modello LEPS-ATS, foglio T3_Personale_SS,
 * colonne «Ore settimanali» e «Inizio servizio»"). Sheet names and headers are the template's own (a test checks each
 * against shared/template).
 */
function templateRef(sheet: string | null, ...columns: string[]): string {
  const where = sheet === null ? 'Modello LEPS-ATS, tutti i fogli' : `Modello LEPS-ATS, foglio ${sheet}`;
  const quoted = columns.map((column) => `«${column}»`);
  if (quoted.length === 0) return `${where}, definizione delle colonne`;
  if (quoted.length === 1) return `${where}, colonna ${quoted[0]}`;
  return `${where}, colonne ${quoted.slice(0, -1).join(', ')} e ${quoted[quoted.length - 1]}`;
}

const T1 = 'T1_ATS_Anagrafica';
const T2 = 'T2_ATS_Comuni';
const T3 = 'T3_Personale_SS';
const T4 = 'T4_Quadro_Fondi';
const T5 = 'T5_Spesa_LEPS';
const T6 = 'T6_Indicatori_LEPS';

type Entry = readonly [id: string, severity: Severity, scope: RuleScope, title: string, ref: string];

const ENTRIES: readonly Entry[] = [
  ['T1.1', 'error', 'submission', 'Campi obbligatori e codici ammessi dell’anagrafica', templateRef(T1)],
  [
    'T1.2',
    'error',
    'submission',
    'Codice fiscale dell’ente gestore valido',
    'Codice fiscale enti: 11 cifre con cifra di controllo (DPR 605/1973)',
  ],
  [
    'T1.3',
    'error',
    'submission',
    'In convenzione il capofila è un comune dell’Ambito',
    'art. 30 D.Lgs. 267/2000 (TUEL)',
  ],
  [
    'T1.4',
    'error',
    'submission',
    'Ufficio di Piano: atto, responsabile e FTE coerenti',
    'Linee guida ATS, DI 24/6/2025',
  ],
  [
    'T1.5',
    'warning',
    'submission',
    'Ufficio di Piano assente o sotto la soglia di FTE',
    'Linee guida 2025: regia tecnica stabile (DI 24/6/2025); soglia non normativa',
  ],
  ['T1.6', 'warning', 'submission', 'Atto costitutivo in scadenza', templateRef(T1, 'Atto costitutivo: scadenza')],
  ['T1.7', 'warning', 'submission', 'Convenzione senza autonomia gestionale', 'art. 23 D.Lgs. 147/2017'],
  [
    'T1.8',
    'warning',
    'cross-period',
    'Forma di gestione o ente gestore variati',
    templateRef(T1, 'Forma di gestione', 'CF ente gestore'),
  ],
  [
    'T1.9',
    'error',
    'submission',
    'Popolazione totale coerente con i comuni',
    `${templateRef(T1, 'Popolazione totale')}; foglio ${T2}, colonna «Popolazione residente»`,
  ],
  [
    'T1.10',
    'warning',
    'reference',
    'Popolazione di riferimento lontana dal dato ISTAT',
    `${templateRef(T1, 'Popolazione per il contributo AS')}; ISTAT, popolazione residente al 1° gennaio; L. 178/2020 art. 1 c. 797`,
  ],
  ['T2.0', 'error', 'submission', 'Valori conformi al modello (foglio Comuni)', templateRef(T2)],
  ['T2.1', 'error', 'submission', 'Codice ISTAT comune valido e non duplicato', 'Codici ISTAT dei comuni'],
  ['T2.2', 'error', 'reference', 'Comune presente nell’elenco ISTAT e nella Regione', 'Elenco ISTAT dei comuni'],
  ['T2.3', 'error', 'submission', 'Uno e un solo comune capofila in convenzione', 'art. 30 D.Lgs. 267/2000 (TUEL)'],
  [
    'T2.4',
    'warning',
    'cross-period',
    'Variazione di popolazione oltre la soglia',
    templateRef(T2, 'Popolazione residente'),
  ],
  [
    'T2.5',
    'error',
    'regional',
    'Comune assegnato a più Ambiti',
    'L. 178/2020 c. 797: articolazione comunicata dalle Regioni su SIOSS',
  ],
  ['T2.6', 'warning', 'regional', 'Comuni della Regione non assegnati ad alcun Ambito', 'art. 8 c. 3 L. 328/2000'],
  [
    'T2.7',
    'warning',
    'reference',
    'Composizione diversa da quella registrata dalla Regione',
    'L. 178/2020 c. 797: articolazione comunicata dalle Regioni su SIOSS',
  ],
  ['T3.0', 'error', 'submission', 'Valori conformi al modello (foglio Personale)', templateRef(T3)],
  [
    'T3.1',
    'error',
    'submission',
    'Ore settimanali e date di servizio valide',
    templateRef(T3, 'Ore settimanali', 'Ore tempo pieno', 'Inizio servizio', 'Fine servizio'),
  ],
  ['T3.2', 'error', 'submission', 'Ente datore appartenente all’Ambito', 'L. 178/2020 c. 797'],
  [
    'T3.3',
    'error',
    'submission',
    'Personale ASL computabile solo con oneri a carico dell’Ambito',
    'L. 178/2020 c. 797; FAQ MLPS',
  ],
  [
    'T3.4',
    'error',
    'submission',
    'Dipendente duplicato con periodi sovrapposti',
    templateRef(T3, 'ID dipendente', 'Inizio servizio', 'Fine servizio'),
  ],
  ['T3.5', 'warning', 'submission', 'Rapporto assistenti sociali sotto 1:6.500', 'L. 178/2020 art. 1 c. 797'],
  ['T3.6', 'warning', 'submission', 'LEPS 1:5.000 non raggiunto', 'L. 178/2020 art. 1 c. 797'],
  ['T3.7', 'error', 'submission', 'Contributo assistenti sociali calcolato dal modello', 'L. 178/2020 art. 1 c. 797'],
  [
    'T3.8',
    'warning',
    'cross-period',
    'Consuntivo FTE inferiore alla previsione',
    'L. 178/2020 art. 1 c. 797; DM 125/2024',
  ],
  ['T3.9', 'error', 'cross-period', 'FTE certificati superiori al consuntivo SIOSS', 'L. 178/2020 art. 1 c. 798'],
  ['T3.10', 'error', 'cross-period', 'FTE certificati inferiori al consuntivo SIOSS', 'DM 125 del 26/7/2024'],
  [
    'T3.11',
    'warning',
    'submission',
    'Personale cessato in corso d’anno: FTE pro-quota',
    'nota MLPS 5635 del 22/3/2024',
  ],
  [
    'T3.12',
    'error',
    'submission',
    'Solo assistenti sociali a tempo indeterminato nel computo',
    'L. 178/2020 art. 1 c. 797',
  ],
  ['T3.13', 'warning', 'submission', 'Scadenza SIOSS del 28 febbraio superata', 'L. 178/2020 art. 1 c. 798'],
  ['T4.0', 'error', 'submission', 'Valori conformi al modello (quadro finanziario)', templateRef(T4)],
  ['T4.1', 'error', 'submission', 'Impegnato non superiore all’assegnato', 'art. 183 D.Lgs. 267/2000 (TUEL)'],
  ['T4.2', 'error', 'submission', 'Liquidato non superiore all’impegnato', 'nota MLPS 15638/2024'],
  ['T4.3', 'error', 'submission', 'Pagato non superiore al liquidato', 'art. 185 D.Lgs. 267/2000 (TUEL)'],
  [
    'T4.4',
    'error',
    'submission',
    'Rendicontato non superiore al liquidato',
    templateRef(T4, 'Rendicontato', 'Liquidato'),
  ],
  ['T4.5', 'error', 'submission', 'Motivazione e data per le somme non impegnate', 'nota MLPS 15638/2024'],
  ['T4.6', 'error', 'submission', 'Date programmate non anteriori alla data di riferimento', 'nota MLPS 15638/2024'],
  [
    'T4.7',
    'error',
    'cross-period',
    'Cumulati non inferiori alla rilevazione precedente',
    'note MLPS 5737/2024 e 15638/2024',
  ],
  ['T4.8', 'error', 'cross-period', 'Cumulato uguale al precedente più i movimenti', 'nota MLPS 5737/2024'],
  [
    'T4.9',
    'error',
    'reference',
    'Assegnato uguale al decreto di riparto',
    'DM 2 aprile 2025 (riparto FNPS e Fondo Povertà 2024-2026)',
  ],
  [
    'T4.10',
    'error',
    'submission',
    'Progetti PNRR: CUP, linea e massimale',
    'L. 3/2003 art. 11 (CUP); PNRR M5C2 Avviso 1/2022',
  ],
  ['T4.11', 'warning', 'submission', 'Target PNRR non raggiunto a fine progetto', 'PNRR M5C2; ReGiS'],
  [
    'T4.12',
    'warning',
    'submission',
    'Fondo Povertà: rendicontato sotto il 75% della seconda annualità precedente',
    'DL 48/2023 art. 6 c. 11; DL 95/2025 art. 5 c. 7-bis',
  ],
  [
    'T4.13',
    'error',
    'submission',
    'Fondo Povertà 2024-2026: rendicontazione dell’annualità precedente avviata',
    'DL 95/2025 art. 5 c. 7-bis',
  ],
  [
    'T4.14',
    'warning',
    'submission',
    'FNPS: utilizzo inferiore al 75%',
    'Decreto di riparto FNPS 2020: rendicontazione SIOSS ≥ 75%',
  ],
  ['T4.15', 'warning', 'submission', 'Finestra di rilevazione chiusa', 'nota MLPS sulla rilevazione al 31/12/2024'],
  [
    'T4.16',
    'warning',
    'cross-period',
    'Quota presente nella rilevazione precedente e assente ora',
    'nota MLPS 15638/2024',
  ],
  ['T5.0', 'error', 'submission', 'Valori conformi al modello (spesa per LEPS)', templateRef(T5)],
  [
    'T5.1',
    'error',
    'submission',
    'Liquidato e quota personale coerenti',
    templateRef(T5, 'Liquidato', 'Di cui personale'),
  ],
  [
    'T5.2',
    'error',
    'submission',
    'Ripartizione per LEPS coerente con il quadro finanziario',
    `${templateRef(T5, 'Impegnato', 'Liquidato')}; foglio ${T4}, colonne «Impegnato» e «Liquidato»`,
  ],
  ['T5.3', 'error', 'submission', 'Quota Servizi: interventi finanziabili', 'art. 7 c. 1 D.Lgs. 147/2017'],
  [
    'T5.4',
    'error',
    'submission',
    'Quota Povertà Estrema: solo povertà estrema e senza dimora',
    'art. 7 c. 9 D.Lgs. 147/2017',
  ],
  [
    'T5.5',
    'error',
    'submission',
    'FNA: spesa riconducibile ai LEPS della non autosufficienza',
    'L. 234/2021 art. 1 cc. 160-164; PNNA 2022-2024',
  ],
  ['T5.6', 'error', 'submission', 'PNRR: LEPS coerente con la linea del progetto', 'PNRR M5C2, D.D. 450/2021'],
  [
    'T5.7',
    'warning',
    'submission',
    'FNPS: quota infanzia e adolescenza almeno al 50%',
    'Decreto di riparto FNPS 2020 (quota 50%)',
  ],
  ['T5.8', 'warning', 'submission', 'Quota vincolata FNPS senza spesa', 'Programmazione FNPS regionale'],
  [
    'T5.9',
    'warning',
    'submission',
    'Prevalenza di trasferimenti ad altri enti',
    templateRef(T5, 'Modalità', 'Liquidato'),
  ],
  ['T6.0', 'error', 'submission', 'Valori conformi al modello (indicatori)', templateRef(T6)],
  ['T6.1', 'error', 'submission', 'Valori degli indicatori ammessi', templateRef(T6, 'Indicatore', 'Valore')],
  ['T6.2', 'error', 'submission', 'Indicatori collegati coerenti', templateRef(T6, 'Indicatore', 'Valore')],
  [
    'T6.3',
    'warning',
    'submission',
    'Pronto intervento sociale h24/365',
    'L. 234/2021 art. 1 c. 170 [da verificare]; scheda LEPS 3.7.1 Piano povertà 2021-2023',
  ],
  [
    'T6.4',
    'warning',
    'submission',
    'Spesa senza utenti o utenti senza spesa',
    `${templateRef(T6, 'Valore')}; foglio ${T5}, colonna «Liquidato»`,
  ],
  ['T6.5', 'error', 'submission', 'FTE assistenti sociali dal foglio Personale', 'L. 178/2020 art. 1 c. 797'],
  [
    'T6.6',
    'warning',
    'submission',
    'P.I.P.P.I. finanziato senza famiglie target',
    'Linee di indirizzo nazionali P.I.P.P.I. (CU 17/12/2017)',
  ],
  ['T6.7', 'warning', 'cross-period', 'Variazione anomala rispetto all’anno precedente', templateRef(T6, 'Valore')],
  [
    'T6.8',
    'warning',
    'regional',
    'Costo unitario fuori dall’intervallo regionale',
    `${templateRef(T6, 'Valore')}; foglio ${T5}, colonna «Liquidato»`,
  ],
  [
    'S.1',
    'error',
    'submission',
    'Codice Ambito e periodo coerenti tra i fogli',
    templateRef(null, 'Codice Ambito', 'Anno di riferimento', 'Data di riferimento'),
  ],
  ['S.2', 'error', 'submission', 'Modello alla versione pubblicata', 'Modello LEPS-ATS, versione pubblicata in vigore'],
  [
    'S.3',
    'error',
    'submission',
    'Numeri e date inseriti come tali, non come testo',
    'Modello LEPS-ATS, tutti i fogli, formato delle colonne numeriche e di data',
  ],
  [
    'S.4',
    'warning',
    'cross-period',
    'Nuovo invio per lo stesso periodo: motivo della rettifica',
    'Modello LEPS-ATS, invio: commento con il motivo della rettifica',
  ],
  [
    'S.5',
    'error',
    'submission',
    'Certificazione con i firmatari richiesti',
    'nota MLPS 5635 del 22/3/2024 (Allegato 2)',
  ],
];

export const RULES: readonly RuleDef[] = ENTRIES.map(([id, severity, scope, title, ref]) => ({
  id,
  severity,
  scope,
  title,
  ref,
}));

export const RULES_BY_ID: ReadonlyMap<string, RuleDef> = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleDef(id: string): RuleDef {
  const rule = RULES_BY_ID.get(id);
  if (!rule) throw new Error(`Unknown rule ${id}`);
  return rule;
}

/** Natural order of rule IDs: S after the sheets, T4.10 after T4.9. */
export function compareRuleIds(left: string, right: string): number {
  const key = (id: string): [number, number] => {
    const [prefix = '', number = '0'] = id.split('.');
    const group = prefix === 'S' ? 7 : Number(prefix.slice(1));
    return [group, Number(number)];
  };
  const [leftGroup, leftNumber] = key(left);
  const [rightGroup, rightNumber] = key(right);
  return leftGroup - rightGroup || leftNumber - rightNumber;
}
