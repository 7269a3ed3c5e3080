import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildAddin, optionsFromEnv } from '../../addin/build.ts';
import { latestTemplate } from '../../shared/template/index.ts';
import { templateFileName } from '../../shared/workbook/index.ts';
import { DEMO_USERS, REPO_ROOT, startLocalStack } from './stack.ts';

/**
 * `npm start`: the whole stack, the add-in on https://localhost:3000 and the API on https://localhost:3001 (PORT
 * changes the first, the API takes the next; DATA_DIR moves the data folder). Ctrl-C stops everything it started.
 * Everything it prints is for a person at a terminal, so it is in Italian.
 */

function buildTemplatesIfMissing(): void {
  const workbook = join(
    process.env.TEMPLATE_XLSX_DIR ?? join(REPO_ROOT, 'dist', 'templates'),
    templateFileName(latestTemplate()),
  );
  const script = join(REPO_ROOT, 'cli', 'build-templates.ts');
  if (existsSync(workbook) || !existsSync(script)) return;
  console.log('Preparo il modello Excel (npm run build:templates)…');
  const result = spawnSync('npx', ['tsx', script], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) console.log('Modello Excel non generato: il download da /v1/templates risponderà 404.');
}

async function main(): Promise<void> {
  // Built here rather than by a chained npm script, so that npm's shell runs this one process and a supervisor's
  // SIGTERM (passed on by npm) reaches the stack, which stops DynamoDB Local with it.
  const addin = await buildAddin(optionsFromEnv());
  console.log(
    `Componente aggiuntivo compilato in ${addin.outDir} (pannello: ${(addin.taskpaneBytes / 1024).toFixed(1)} KB).`,
  );
  buildTemplatesIfMissing();
  console.log('Avvio di DynamoDB Local e del servizio…');
  // DATA_DIR moves the data folder (default .data), e.g. to keep two checkouts apart.
  const stack = await startLocalStack({
    seed: true,
    ...(process.env.DATA_DIR ? { dataDir: process.env.DATA_DIR } : {}),
  });
  const near = relative(process.cwd(), stack.caCertPath);
  const ca = near && !near.startsWith('..') ? near : stack.caCertPath;
  const dataDir = process.env.DATA_DIR ?? '.data';
  const manifest = join(REPO_ROOT, 'dist', 'addin', 'manifest.xml');
  const lines = [
    '',
    `Rendiconta LEPS in locale, su due origini come in AWS (CloudFront e API Gateway):`,
    `  Add-in         ${stack.url}/  (file di dist/addin e pagina di accesso; pagina provvisoria se non compilato)`,
    `  API            ${stack.apiUrl}/v1  (stato: ${stack.apiUrl}/v1/health; CORS solo per ${stack.url})`,
    `  Manifest       ${existsSync(manifest) ? `${stack.url}/manifest.xml (file ${relative(process.cwd(), manifest)})` : 'non ancora generato: eseguire npm run build'}`,
    `  DynamoDB Local ${process.env.AWS_ENDPOINT_URL_DYNAMODB ?? ''} (solo da questo computer; dati in ${join(dataDir, 'dynamodb')}, leggibili solo dal proprietario e conservati tra un avvio e l\u2019altro)`,
    `  Certificato    ${ca} (fidarsene nel browser o con NODE_EXTRA_CA_CERTS=${ca})`,
    '',
    'Caricare il componente aggiuntivo in Excel (sideload):',
    '  Excel sul web: Inserisci > Componenti aggiuntivi > Carica il componente aggiuntivo > scegliere manifest.xml;',
    '  Excel desktop (Windows/Mac): copiare manifest.xml in una cartella condivisa indicata come catalogo',
    '  attendibile (Windows) o nella cartella wef di Excel (Mac): i passi sono in docs/addin.md.',
    '',
    'Utenti dimostrativi (Regione 05, Veneto, con Ambiti sintetici già registrati):',
  ];
  for (const user of DEMO_USERS) {
    const body = JSON.stringify({
      sub: user.sub,
      groups: user.groups,
      ...(user.ats ? { ats: user.ats } : {}),
      ...(user.region ? { region: user.region } : {}),
    });
    lines.push(`  ${user.sub.padEnd(15)} ${user.description}`);
    lines.push(
      `    curl --cacert ${ca} -X POST ${stack.apiUrl}/dev/token -H 'content-type: application/json' -d '${body}'`,
    );
  }
  lines.push(
    '',
    `Poi: curl --cacert ${ca} -H "Authorization: Bearer <token>" ${stack.apiUrl}/v1/templates`,
    '',
    `Riga di comando: NODE_EXTRA_CA_CERTS=${ca} npx rendiconta accedi --addin ${stack.url}`,
    '  (accesso dal browser con la pagina locale; poi invia e consolida usano il token conservato)',
    '',
    'Ctrl-C per fermare tutto.',
    '',
  );
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nArresto in corso…');
    await stack.stop();
    console.log('Servizio e DynamoDB Local fermati.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error('Avvio non riuscito:', error instanceof Error ? error.message : error);
  process.exit(1);
});
