import { renderManifest } from '../addin/manifest/generate.ts';

/**
 * Syntactically valid stand-ins for the CloudFront and Cognito addresses, which are deploy-time tokens: the add-in's
 * generator parses its URLs, so it renders with these and they are then swapped for the tokens, which CloudFormation
 * resolves when the BucketDeployment writes manifest.xml.
 */
const ADDIN_PLACEHOLDER = 'https://rendiconta-addin-placeholder.invalid';
const AUTH_PLACEHOLDER = 'https://rendiconta-auth-placeholder.invalid';

export interface DeployedManifestOptions {
  /** https://<cloudfront domain>, no trailing slash (may be a token). */
  readonly addinOrigin: string;
  /** The Cognito hosted UI, which the sign-in dialog navigates to (may be a token). */
  readonly authBaseUrl: string;
  /** Four-part add-in version. */
  readonly version: string;
}

/** The production manifest.xml, rendered by the add-in's own generator for the deployed addresses. */
export function deployedManifest(options: DeployedManifestOptions): string {
  const xml = renderManifest({
    addinBaseUrl: ADDIN_PLACEHOLDER,
    appDomains: [AUTH_PLACEHOLDER],
    version: options.version,
  });
  if (!xml.includes(ADDIN_PLACEHOLDER)) throw new Error('The manifest generator no longer writes the add-in base URL');
  return xml.split(ADDIN_PLACEHOLDER).join(options.addinOrigin).split(AUTH_PLACEHOLDER).join(options.authBaseUrl);
}
