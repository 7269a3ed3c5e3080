/**
 * Build-time configuration (addin/build.ts defines __LEPS_CONFIG__ from the environment). The local build talks to
 * the API on its own origin and signs in through the local stack's /dev/token; a production build points at the
 * deployed API and Cognito's hosted UI.
 */
export type AuthConfig =
  | { readonly mode: 'local' }
  | {
      readonly mode: 'cognito';
      /** https://<prefix>.auth.<region>.amazoncognito.com */
      readonly domain: string;
      readonly clientId: string;
      readonly scopes: readonly string[];
    };

export interface AddinConfig {
  /** '' means the origin that serves the add-in. */
  readonly apiBaseUrl: string;
  readonly auth: AuthConfig;
  readonly version: string;
}

declare const __LEPS_CONFIG__: AddinConfig | undefined;

export const CONFIG: AddinConfig =
  typeof __LEPS_CONFIG__ === 'undefined'
    ? { apiBaseUrl: '', auth: { mode: 'local' }, version: 'dev' }
    : __LEPS_CONFIG__;

export function apiBaseUrl(config: AddinConfig, origin: string): string {
  return (config.apiBaseUrl || origin).replace(/\/+$/, '');
}
