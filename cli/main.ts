import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './errors.ts';
import { XlsxFileError } from './xlsx/guard.ts';

/**
 * `npx rendiconta …`: the templates and checks without the add-in. Exit status 0 = done, 1 = errors found in the data,
 * 2 = the command could not run (usage, file, network, authorization). Each command is imported when it runs, so
 * `modello` does not pay for the ISTAT list nor `--help` for exceljs.
 */

/** Commander speaks English; the few phrases a user can meet are translated here. */
const TITLES: Record<string, string> = {
  'Usage:': 'Uso:',
  'Options:': 'Opzioni:',
  'Commands:': 'Comandi:',
  'Arguments:': 'Argomenti:',
  'Global Options:': 'Opzioni generali:',
};

const ERRORS: ReadonlyArray<readonly [RegExp, (match: RegExpExecArray) => string]> = [
  [/^error: missing required argument '([^']+)'/, (m) => `manca l’argomento obbligatorio '${m[1]}'`],
  [/^error: required option '([^']+)' not specified/, (m) => `opzione obbligatoria '${m[1]}' non indicata`],
  [/^error: option '([^']+)' argument missing/, (m) => `manca il valore dell’opzione '${m[1]}'`],
  [/^error: unknown option '([^']+)'/, (m) => `opzione sconosciuta '${m[1]}'`],
  [/^error: unknown command '([^']+)'/, (m) => `comando sconosciuto '${m[1]}'`],
  [/^error: too many arguments/, () => 'troppi argomenti'],
];

export function italianError(text: string): string {
  for (const [pattern, message] of ERRORS) {
    const match = pattern.exec(text);
    if (match) return `Errore: ${message(match)}.\n`;
  }
  return text.replace(/^error:/, 'Errore:');
}

function program(setCode: (code: number) => void): Command {
  const root = new Command('rendiconta')
    .description('Rendiconta LEPS: modelli Excel, controlli e invio senza il componente aggiuntivo.')
    .configureHelp({
      styleTitle: (title) => TITLES[title] ?? title,
      styleOptionText: (text) => (text === '[options]' ? '[opzioni]' : text),
      styleSubcommandText: (text) => (text === '[command]' ? '[comando]' : text),
    })
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(italianError(text)),
    })
    .helpOption('-h, --help', 'mostra questo aiuto')
    .helpCommand('help [comando]', 'mostra l’aiuto di un comando')
    .showHelpAfterError('(usare --help per l’elenco delle opzioni)')
    .exitOverride();

  root
    .command('modello')
    .description('scrive il modello vuoto (.xlsx)')
    .argument('[file]', 'file da scrivere (predefinito: LEPS-ATS-<versione>.xlsx)')
    .option('--modello <id>', 'identificativo del modello', 'LEPS-ATS')
    .option('--versione <versione>', 'versione del modello (predefinita: l’ultima pubblicata)')
    .action(async (file: string | undefined, options: { modello?: string; versione?: string }) =>
      setCode(await (await import('./commands/modello.ts')).modelloCommand(file, options)),
    );

  root
    .command('valida')
    .description('controlla un file compilato e stampa ogni rilievo (cella, gravità, regola, messaggio)')
    .argument('<file>', 'file .xlsx compilato')
    .option('--json', 'risultato in JSON, per altri programmi')
    .option('--ambito <codice>', 'codice Ambito, se diverso da quello del foglio anagrafica')
    .option('--periodo <data>', 'periodo AAAA-12-31 o AAAA-08-31, se non ricavabile dal file')
    .option('--api <url>', 'indirizzo dell’API: i controlli usano i parametri della Regione (senza, i predefiniti)')
    .action(async (file: string, options: { json?: boolean; ambito?: string; periodo?: string; api?: string }) =>
      setCode(await (await import('./commands/valida.ts')).validaCommand(file, options)),
    );

  root
    .command('invia')
    .description('invia un file compilato alla piattaforma (token da accedi, o nella variabile RENDICONTA_TOKEN)')
    .argument('<file>', 'file .xlsx compilato')
    .requiredOption('--api <url>', 'indirizzo dell’API, es. https://localhost:3000')
    .option('--commento <testo>', 'motivo degli avvisi accettati o della rettifica')
    .option('--ambito <codice>', 'codice Ambito, se diverso da quello del foglio anagrafica')
    .option('--periodo <data>', 'periodo AAAA-12-31 o AAAA-08-31, se non ricavabile dal file')
    .option('--json', 'ricevuta in JSON')
    .action(
      async (
        file: string,
        options: { api: string; commento?: string; ambito?: string; periodo?: string; json?: boolean },
      ) => setCode(await (await import('./commands/invia.ts')).inviaCommand(file, options)),
    );

  root
    .command('consolida')
    .description('scrive la cartella consolidata di una Regione')
    .requiredOption('--regione <codice>', 'codice ISTAT della Regione (due cifre)')
    .requiredOption('--periodo <data>', 'periodo AAAA-12-31 o AAAA-08-31')
    .requiredOption('--out <file>', 'file .xlsx da scrivere')
    .requiredOption('--api <url>', 'indirizzo dell’API, es. https://localhost:3000')
    .action(async (options: { regione: string; periodo: string; out: string; api: string }) =>
      setCode(await (await import('./commands/consolida.ts')).consolidaCommand(options)),
    );

  root
    .command('accedi')
    .description('accede alla piattaforma dal browser e conserva il token per invia e consolida')
    .option('--addin <url>', 'indirizzo del componente aggiuntivo di uno stack su AWS (output AddinUrl)')
    .option('--api <url>', 'indirizzo dell’API (stack locale: vi si legge la configurazione di accesso)')
    .option('--senza-browser', 'non apre il browser: stampa solo l’indirizzo da aprire')
    .option('--attesa <secondi>', 'quanto attendere l’accesso nel browser (predefinito: 300)')
    .action(async (options: { addin?: string; api?: string; senzaBrowser?: boolean; attesa?: string }) =>
      setCode(
        await (await import('./commands/accedi.ts')).accediCommand({
          addin: options.addin,
          api: options.api,
          browser: !options.senzaBrowser,
          attesa: options.attesa,
        }),
      ),
    );

  root
    .command('esci')
    .description('chiude la sessione: rimuove il token conservato da accedi e lo revoca')
    .option('--api <url>', 'solo la sessione di questa API (predefinito: tutte)')
    .action(async (options: { api?: string }) =>
      setCode(await (await import('./commands/esci.ts')).esciCommand(options)),
    );
  return root;
}

/** Runs the command line; returns the exit status instead of exiting, so it can be called from a test. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  try {
    await program((value) => {
      code = value;
    }).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError || error instanceof XlsxFileError) {
      process.stderr.write(`Errore: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write('Errore imprevisto: il comando non è stato completato.\n');
    if (process.env.RENDICONTA_DEBUG) process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
    return EXIT.usage;
  }
}
