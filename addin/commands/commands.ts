import { LEPS_ATS } from '../../shared/template/index.ts';
import { localCheck } from '../app/checks.ts';
import { loadComuniOnce } from '../app/reference.ts';
import { insertTemplate } from '../excel/draw.ts';
import { excelRunFromOffice } from '../excel/host.ts';
import { officeFeatures } from '../excel/office.ts';
import { validateWorkbook } from '../excel/validate.ts';
import { type DialogHost, officeDialogHost, showOutcome } from './notify.ts';
import { type CommandOutcome, failureOutcome, templateOutcome, validationOutcome } from './outcome.ts';

/**
 * The ribbon's buttons that run without the task pane. "Valida" runs every check of shared/ on this computer (the
 * ribbon has no sign-in: the task pane adds the server's cross-period checks) and opens the Controlli sheet. Every
 * command ends with a dialog saying, in Italian, what happened — including refusals and exceptions.
 */

const SCOPE_KEY = 'rendiconta-leps.scope';

function savedScope(): { ats?: string; period?: string } {
  try {
    return JSON.parse(window.localStorage.getItem(SCOPE_KEY) ?? '{}') as { ats?: string; period?: string };
  } catch {
    return {};
  }
}

/** Runs a command, shows its outcome, and completes the event whatever happened (Excel waits for it). */
export async function reportCommand(
  title: string,
  action: () => Promise<CommandOutcome>,
  dialogs: DialogHost,
  pageUrl: string,
  event: { completed(): void },
): Promise<void> {
  let outcome: CommandOutcome;
  try {
    outcome = await action();
  } catch (error) {
    outcome = failureOutcome(title, error);
  }
  try {
    await showOutcome(dialogs, pageUrl, outcome);
  } finally {
    event.completed();
  }
}

const report = (title: string, action: () => Promise<CommandOutcome>) => (event: Office.AddinCommands.Event) =>
  reportCommand(title, action, officeDialogHost(Office.context.ui), window.location.href, event);

const onInsertTemplate = report('Nuovo modello', async () =>
  templateOutcome(await insertTemplate(excelRunFromOffice(), LEPS_ATS)),
);

const onValidate = report('Valida', async () => {
  const comuni = await loadComuniOnce();
  return validationOutcome(
    await validateWorkbook({
      run: excelRunFromOffice(),
      template: LEPS_ATS,
      features: officeFeatures(),
      envelope: savedScope(),
      check: async (read) => localCheck(read.submission, comuni),
      activateChecks: true,
    }),
  );
});

// Older hosts (perpetual Excel 2019) look function names up on the global object; newer ones use associate().
const commands = { insertTemplate: onInsertTemplate, validateWorkbook: onValidate };
Object.assign(window, commands);

Office.onReady(() => {
  if (Office.actions?.associate) {
    for (const [name, handler] of Object.entries(commands)) Office.actions.associate(name, handler);
  }
});
