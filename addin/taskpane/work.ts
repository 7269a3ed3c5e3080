import type { ParamsInUse } from '../../shared/checks/region-params-source.ts';
import type { Receipt } from '../../shared/contract/api.ts';
import { ATS_CODE } from '../../shared/contract/codes.ts';
import { latestTemplate } from '../../shared/template/index.ts';
import { ApiClient } from '../app/api.ts';
import { apiBaseUrl, CONFIG } from '../app/config.ts';
import { browserStorage, fetchRegionParameters, regionParamsForLocalChecks } from '../app/region-params.ts';
import { deletedRowsText, deleteSelectedRows } from '../excel/delete-rows.ts';
import { insertTemplate } from '../excel/draw.ts';
import { writeReceipt } from '../excel/receipt.ts';
import type { SetStatus } from './dom.ts';
import { type FindingsView, findingsView } from './findings.ts';
import type { PaneHost } from './main.ts';
import { type Envelope, runValidation, type Validated, validationVerdict } from './validation.ts';

/**
 * Everything the pane needs only once the user acts (Valida, Invia, Nuovo modello, a queued submission, a reviewer's
 * panel): the API client with its schemas, the checks engine, the template and the Excel code. Built as its own
 * bundle (taskpane-work.js, with the shared domain code in taskpane-shared.js) and loaded by load-work.ts, so the pane
 * paints and answers without parsing or running any of it (docs/addin.md, "Time to interactive"). The Region's panel
 * is regional.ts, loaded for reviewers only.
 */

export interface WorkContext {
  readonly host: PaneHost;
  readonly token: () => string | undefined;
  readonly setStatus: SetStatus;
}

export interface Work {
  readonly api: ApiClient;
  readonly findings: FindingsView;
  validate(envelope: Envelope): Promise<Validated | null>;
  verdict: typeof validationVerdict;
  insertTemplate(): Promise<void>;
  /** «Elimina righe»: the selected data rows of a template sheet, as the ribbon's button (addin/excel/delete-rows.ts). */
  deleteRows(): Promise<void>;
  writeReceipt(receipt: Receipt): Promise<void>;
}

/** The Region's parameters for the local checks of an ATS (RR of ATS-RR-NNN); none for a code that is not one. */
async function localRegionParams(
  ats: string,
  baseUrl: string,
  token: () => string | undefined,
  clientVersion: string,
): Promise<ParamsInUse | null> {
  if (!ATS_CODE.test(ats)) return null;
  const fetchParameters = fetchRegionParameters({ baseUrl, token, clientVersion });
  return regionParamsForLocalChecks(ats.slice(4, 6), fetchParameters, browserStorage());
}

export function createWork(context: WorkContext): Work {
  const { host, setStatus } = context;
  const baseUrl = apiBaseUrl(CONFIG, host.origin);
  const clientVersion = `addin-${CONFIG.version}`;
  const api = new ApiClient({ baseUrl, token: context.token, clientVersion });
  const findings = findingsView(host.run);
  return {
    api,
    findings,
    validate: (envelope) =>
      runValidation(
        {
          run: host.run,
          features: host.features,
          api,
          signedIn: () => !!context.token(),
          setStatus,
          findings,
          regionParams: (ats) => localRegionParams(ats, baseUrl, context.token, clientVersion),
        },
        envelope,
      ),
    verdict: validationVerdict,
    async insertTemplate() {
      const result = await insertTemplate(host.run, latestTemplate());
      setStatus(
        result.ok ? 'Modello inserito: compilare i fogli T1–T6.' : result.message,
        result.ok ? 'success' : 'error',
      );
    },
    async deleteRows() {
      const result = await deleteSelectedRows(host.run, latestTemplate());
      setStatus(result.ok ? deletedRowsText(result) : result.message, result.ok ? 'success' : 'error');
    },
    writeReceipt: (receipt) => writeReceipt(host.run, receipt),
  };
}
