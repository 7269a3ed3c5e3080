import { localApiOrigin } from '../../../addin/app/config.ts';
import { fetchRegionalApi } from '../../../addin/regional/api.ts';
import { mountRegionalPanel } from '../../../addin/regional/panel.ts';
import { fetchRegionParametersApi } from '../../../addin/regional/parameters-api.ts';
import { type ComuniIndex, parseComuniCsv } from '../../../shared/reference/comuni.ts';
import { FakeWorkbook } from '../fake-host.ts';

/**
 * The page of the regional browser test: the real panel and the real HTTP client against the local stack, with the
 * regional fake Excel host standing in for the workbook (no Excel runs in a plain browser). The test drives the panel
 * through its buttons and inspects the workbook through `window.regionalTest`.
 */

interface PageConfig {
  readonly region: string;
  readonly period: string;
  readonly token: string;
}

declare global {
  interface Window {
    regionalTest: { book: FakeWorkbook };
  }
}

const configElement = document.getElementById('config');
const container = document.getElementById('app');
if (!configElement || !container) throw new Error('page without #config or #app');
const config = JSON.parse(configElement.textContent ?? '{}') as PageConfig;

const book = new FakeWorkbook();
window.regionalTest = { book };

let comuni: ComuniIndex | undefined;
mountRegionalPanel(container, {
  region: config.region,
  defaultPeriod: config.period,
  // The API's own origin, as in AWS: every call is cross-origin and goes through the API's CORS (X-Client-Version too).
  api: fetchRegionalApi({
    baseUrl: localApiOrigin(window.location.origin),
    token: () => config.token,
    clientVersion: 'addin/test',
  }),
  parameters: fetchRegionParametersApi({
    baseUrl: localApiOrigin(window.location.origin),
    token: () => config.token,
    clientVersion: 'addin/test',
  }),
  excel: book.run,
  comuni: async () => {
    comuni ??= parseComuniCsv(document.getElementById('comuni')?.textContent ?? '');
    return comuni;
  },
});
