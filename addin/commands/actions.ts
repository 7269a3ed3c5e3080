import type { ParamsInUse } from '../../shared/checks/region-params-source.ts';
import type { ComuniIndex } from '../../shared/reference/comuni.ts';
import type { TemplateDef } from '../../shared/template/types.ts';
import { localCheck } from '../app/checks.ts';
import { deleteSelectedRows } from '../excel/delete-rows.ts';
import { insertTemplate } from '../excel/draw.ts';
import type { ExcelRun, HostFeatures } from '../excel/host.ts';
import { validateWorkbook } from '../excel/validate.ts';
import { type CommandOutcome, deleteRowsOutcome, templateOutcome, validationOutcome } from './outcome.ts';

/** The ribbon's commands as functions of the host, so the fake Excel runs exactly what the ribbon runs. */

export async function newTemplateCommand(run: ExcelRun, template: TemplateDef): Promise<CommandOutcome> {
  return templateOutcome(await insertTemplate(run, template));
}

export interface ValidateCommandHost {
  readonly run: ExcelRun;
  readonly template: TemplateDef;
  readonly features: HostFeatures;
  readonly envelope: { ats?: string; period?: string };
  readonly comuni: () => Promise<ComuniIndex | undefined>;
  /** The Region's parameters for the ATS read from the workbook; without it, or for null, the defaults. */
  readonly parameters?: (ats: string) => ParamsInUse | null;
  readonly now?: Date;
}

export async function validateCommand(host: ValidateCommandHost): Promise<CommandOutcome> {
  const comuni = await host.comuni();
  let inUse: ParamsInUse | null = null;
  const validation = await validateWorkbook({
    run: host.run,
    template: host.template,
    features: host.features,
    envelope: host.envelope,
    check: async (read) => {
      inUse = host.parameters?.(read.submission.ats) ?? null;
      return localCheck(read.submission, comuni, host.now, inUse?.params);
    },
    activateChecks: true,
  });
  return validationOutcome(validation, (inUse as ParamsInUse | null)?.note);
}

export async function deleteRowsCommand(run: ExcelRun, template: TemplateDef): Promise<CommandOutcome> {
  return deleteRowsOutcome(await deleteSelectedRows(run, template));
}
