import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { buildAddin } from '../addin/build.ts';

/**
 * The add-in is built before the stack exists, but its code must know the API URL, the Cognito domain and client id,
 * and the manifest its CloudFront address: values CloudFormation creates. So the deployment build uses syntactically
 * valid placeholders, and every built file that contains one is uploaded as an s3deploy data source with the
 * placeholders replaced by deploy-time tokens (the BucketDeployment writes the real values). One `cdk deploy` then
 * ships a working add-in, with no second build-and-deploy pass.
 */
export const PLACEHOLDERS = {
  addinOrigin: 'https://rendiconta-addin-placeholder.invalid',
  apiBaseUrl: 'https://rendiconta-api-placeholder.invalid',
  authBaseUrl: 'https://rendiconta-auth-placeholder.invalid',
  clientId: 'rendiconta-client-placeholder',
} as const;

export type DeployedValues = { readonly [K in keyof typeof PLACEHOLDERS]: string };

/** Files the stack writes itself; a copy in the build is left out. */
const GENERATED = ['manifest.xml', 'config.json'];
const TEXT_FILE = /\.(?:html|js|mjs|css|json|xml|txt|map)$/;

/** Builds the production add-in (office.js from Microsoft's CDN, Cognito sign-in) with placeholders into `outDir`. */
export async function buildAddinForDeployment(outDir: string, version: string): Promise<string> {
  await buildAddin({
    outDir,
    addinBaseUrl: PLACEHOLDERS.addinOrigin,
    apiBaseUrl: PLACEHOLDERS.apiBaseUrl,
    officeJs: 'cdn',
    cognito: { domain: PLACEHOLDERS.authBaseUrl, clientId: PLACEHOLDERS.clientId },
    version,
  });
  return outDir;
}

/** Replaces every placeholder in `text` with its deployed value (tokens at synthesis). */
export function substitute(text: string, values: DeployedValues): string {
  let result = text;
  for (const key of Object.keys(PLACEHOLDERS) as Array<keyof typeof PLACEHOLDERS>) {
    result = result.split(PLACEHOLDERS[key]).join(values[key]);
  }
  return result;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/**
 * The sources that upload the built add-in in `dir`: the files as one asset, except those holding placeholders,
 * which become data sources with the deployed values, and except the files the stack generates.
 */
export function addinSources(dir: string, values: DeployedValues): s3deploy.ISource[] {
  const placeholders = Object.values(PLACEHOLDERS);
  const substituted: s3deploy.ISource[] = [];
  const exclude = [...GENERATED];
  for (const file of filesUnder(dir)) {
    if (GENERATED.includes(file) || !TEXT_FILE.test(file)) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    if (!placeholders.some((placeholder) => text.includes(placeholder))) continue;
    substituted.push(s3deploy.Source.data(file, substitute(text, values)));
    exclude.push(file);
  }
  return [s3deploy.Source.asset(dir, { exclude }), ...substituted];
}
