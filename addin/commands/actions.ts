import type { ComuniIndex } from '../../shared/reference/comuni.ts';
import type { TemplateDef } from '../../shared/template/types.ts';
import { localCheck } from '../app/checks.ts';
import { insertTemplate } from '../excel/draw.ts';
import type { ExcelRun, HostFeatures } from '../excel/host.ts';
import { validateWorkbook } from '../excel/validate.ts';
import { type CommandOutcome, templateOutcome, validationOutcome } from './outcome.ts';

/** The ribbon's two commands as functions of the host, so the fake Excel runs exactly what the ribbon runs. */

export async function newTemplateCommand(run: ExcelRun, template: TemplateDef): Promise<CommandOutcome> {
  return templateOutcome(await insertTemplate(run, template));
}

export interface ValidateCommandHost {
  readonly run: ExcelRun;
  readonly template: TemplateDef;
  readonly features: HostFeatures;
  readonly envelope: { ats?: string; period?: string };
  readonly comuni: () => Promise<ComuniIndex | undefined>;
  readonly now?: Date;
}

export async function validateCommand(host: ValidateCommandHost): Promise<CommandOutcome> {
  const comuni = await host.comuni();
  return validationOutcome(
    await validateWorkbook({
      run: host.run,
      template: host.template,
      features: host.features,
      envelope: host.envelope,
      check: async (read) => localCheck(read.submission, comuni, host.now),
      activateChecks: true,
    }),
  );
}
