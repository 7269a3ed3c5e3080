import { writeFile } from 'node:fs/promises';
import { buildConsolidatedWorkbook } from '../../shared/consolidation/build.ts';
import { followConsolidatedPages } from '../../shared/consolidation/pages.ts';
import { consolidatedTruncationNotes } from '../../shared/consolidation/truncation.ts';
import type { ConsolidatedResponse } from '../../shared/contract/api.ts';
import { PERIOD } from '../../shared/contract/submission.ts';
import { apiBase, cliApiClient, failureMessage, okBody } from '../api.ts';
import { CliError, EXIT } from '../errors.ts';
import { bearerToken } from '../session.ts';
import { workbookModelXlsx } from '../xlsx/write-model.ts';

export interface ConsolidaOptions {
  readonly api: string;
  readonly regione: string;
  readonly periodo: string;
  readonly out: string;
}

/** Writes the Region's consolidated workbook from GET /v1/regions/{region}/consolidated. */
export async function consolidaCommand(options: ConsolidaOptions): Promise<number> {
  if (!/^\d{2}$/.test(options.regione)) throw new CliError('Regione non valida: attese due cifre (es. 05).');
  if (!PERIOD.test(options.periodo)) {
    throw new CliError('Periodo non valido: atteso AAAA-12-31 (annuale) o AAAA-08-31 (intermedio).');
  }
  const base = apiBase(options.api);
  const api = cliApiClient({ base, token: await bearerToken(base) });
  // v1.1: the view comes in pages of whole ATS; every page is fetched and merged before the workbook is built, with
  // the rows of an ATS too large for a page read from its stored document (`rowsFromDocument`).
  type Page = { ok: true; body: ConsolidatedResponse } | { ok: false; message: string };
  const merged = await followConsolidatedPages<Page>(
    async (pageToken) => {
      const response = await api.call('consolidated', {
        params: { region: options.regione },
        query: { period: options.periodo, pageToken },
      });
      return { ok: true, body: okBody(response) };
    },
    (failure) => ({ ok: false, message: failure.message }),
    async (documentPath) => {
      const response = await api.getLink(documentPath);
      return response.kind === 'ok'
        ? { ok: true, body: response.body }
        : { ok: false, status: response.status, message: failureMessage(response) };
    },
  );
  if (!merged.ok) throw new CliError(merged.message);
  const consolidated = merged.body;
  const model = buildConsolidatedWorkbook(consolidated);
  try {
    await writeFile(options.out, await workbookModelXlsx(model));
  } catch {
    throw new CliError(`Impossibile scrivere "${options.out}".`);
  }
  const submitted = consolidated.ats.filter((entry) => entry.submitted).length;
  process.stdout.write(
    `${[
      `Consolidato della Regione ${consolidated.region} al ${consolidated.period} scritto in ${options.out}.`,
      `Ambiti che hanno inviato: ${submitted} di ${consolidated.ats.length}.`,
      ...(consolidated.missing.length > 0 ? [`Ambiti senza invio: ${consolidated.missing.join(', ')}.`] : []),
      // Findings are bounded (1,000 per rule, 10,000 in all): say which were left out of the workbook.
      ...consolidatedTruncationNotes(consolidated),
    ].join('\n')}\n`,
  );
  return EXIT.ok;
}
