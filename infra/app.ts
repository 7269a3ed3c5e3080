import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildAddinForDeployment } from './addin-files.ts';
import { readConfig } from './config.ts';
import { REPO_ROOT } from './paths.ts';
import { RendicontaStack } from './stack.ts';

/**
 * `npm run synth` / `cdk deploy`. Environment-agnostic: the account and Region come from the deployer's AWS profile at
 * deploy time, so synthesis needs no credentials and makes no AWS call.
 */
const app = new App();
const stackName = String(app.node.tryGetContext('stackName') ?? 'RendicontaLeps');
const addinVersion = String(app.node.tryGetContext('addinVersion') ?? packageVersion());
const addinAssetPath = await addinFolder(app.node.tryGetContext('addinAssetPath'));
if (!existsSync(join(REPO_ROOT, 'dist', 'templates'))) {
  // Not fatal: everything works except the .xlsx download, which answers 404 until the next deploy with them.
  console.warn(
    'Attenzione: dist/templates non esiste, GET /v1/templates/{id}/{version}.xlsx risponderà 404. ' +
      'Eseguire `npm run build:templates` prima del deploy.',
  );
}

new RendicontaStack(app, stackName, {
  config: readConfig(app.node),
  addinAssetPath,
  addinVersion,
  description: 'Rendiconta LEPS: LEPS reporting for Ambiti Territoriali Sociali (API, user pool, add-in hosting)',
});
// A finding fails synthesis (and so `cdk deploy`); acknowledged ones are written into the template's Metadata with
// their reasons, so whoever reviews the template sees why.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));

function packageVersion(): string {
  const pkg: { version: string } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  return pkg.version;
}

/**
 * By default the add-in is built here for deployment (dist/addin-aws, its addresses filled in at deploy time), so one
 * `cdk deploy` ships everything; `-c addinAssetPath=…` uploads an existing build instead, as it is.
 */
async function addinFolder(contextPath: unknown): Promise<string> {
  if (contextPath === undefined) {
    const buildDir = String(app.node.tryGetContext('addinBuildDir') ?? join(REPO_ROOT, 'dist', 'addin-aws'));
    return buildAddinForDeployment(buildDir, addinVersion);
  }
  const path = String(contextPath);
  const folder = isAbsolute(path) ? path : join(REPO_ROOT, path);
  if (!existsSync(folder)) {
    throw new Error(
      `La build dell'add-in ${folder} non esiste: eseguire \`npm run build\` oppure togliere -c addinAssetPath.`,
    );
  }
  return folder;
}
