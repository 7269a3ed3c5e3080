/**
 * Build-time configuration (addin/build.ts defines __LEPS_CONFIG__ from the environment). The local build talks to
 * the local stack's API origin, the add-in's port + 1 (contract.md, "Local stack"), and signs in through its
 * /dev/token; a production build points at the deployed API and Cognito's hosted UI.
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
  /** '' means the local stack: the add-in's origin with the next port (localApiOrigin). */
  readonly apiBaseUrl: string;
  readonly auth: AuthConfig;
  readonly version: string;
}

declare const __LEPS_CONFIG__: AddinConfig | undefined;

export const CONFIG: AddinConfig =
  typeof __LEPS_CONFIG__ === 'undefined'
    ? { apiBaseUrl: '', auth: { mode: 'local' }, version: 'dev' }
    : __LEPS_CONFIG__;

/**
 * The local stack's API origin for an add-in served from `origin`: same host, port + 1. Derived rather than fetched,
 * so the task pane's first paint waits for nothing and no request is spent to find the API.
 */
export function localApiOrigin(origin: string): string {
  const url = new URL(origin);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  url.port = String(port + 1);
  return url.origin;
}

export function apiBaseUrl(config: AddinConfig, origin: string): string {
  return (config.apiBaseUrl || localApiOrigin(origin)).replace(/\/+$/, '');
}
