import { latestTemplate } from '../../shared/template/index.ts';
import { loadComuniOnce } from '../app/reference.ts';
import { browserStorage, savedRegionParams } from '../app/region-params.ts';
import { excelRunFromOffice } from '../excel/host.ts';
import { officeFeatures } from '../excel/office.ts';
import { deleteRowsCommand, newTemplateCommand, validateCommand } from './actions.ts';
import { officeDialogHost, reportCommand } from './notify.ts';
import type { CommandOutcome } from './outcome.ts';

/**
 * The ribbon's buttons that run without the task pane. "Valida" runs every check of shared/ on this computer (the
 * ribbon has no sign-in: the task pane adds the server's cross-period checks), with the Region's parameters the task
 * pane last read, and opens the Controlli sheet. Every command ends with a dialog saying, in Italian, what happened — including refusals and exceptions.
 */

const SCOPE_KEY = 'rendiconta-leps.scope';

function savedScope(): { ats?: string; period?: string } {
  try {
    return JSON.parse(window.localStorage.getItem(SCOPE_KEY) ?? '{}') as { ats?: string; period?: string };
  } catch {
    return {};
  }
}

const report = (title: string, action: () => Promise<CommandOutcome>) => (event: Office.AddinCommands.Event) =>
  reportCommand(title, action, officeDialogHost(Office.context.ui), window.location.href, event);

// Older hosts (perpetual Excel 2019) look function names up on the global object; newer ones use associate().
const commands = {
  insertTemplate: report('Nuovo modello', () => newTemplateCommand(excelRunFromOffice(), latestTemplate())),
  validateWorkbook: report('Valida', () =>
    validateCommand({
      run: excelRunFromOffice(),
      template: latestTemplate(),
      features: officeFeatures(),
      envelope: savedScope(),
      comuni: () => loadComuniOnce(),
      parameters: (ats) => savedRegionParams(ats, browserStorage()),
    }),
  ),
  deleteRows: report('Elimina righe', () => deleteRowsCommand(excelRunFromOffice(), latestTemplate())),
};
Object.assign(window, commands);

Office.onReady(() => {
  if (Office.actions?.associate) {
    for (const [name, handler] of Object.entries(commands)) Office.actions.associate(name, handler);
  }
});
