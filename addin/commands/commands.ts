import { LEPS_ATS } from '../../shared/template/index.ts';
import { localCheck } from '../app/checks.ts';
import { loadComuniOnce } from '../app/reference.ts';
import { insertTemplate } from '../excel/draw.ts';
import { excelRunFromOffice } from '../excel/host.ts';
import { officeFeatures } from '../excel/office.ts';
import { validateWorkbook } from '../excel/validate.ts';

/**
 * The ribbon's buttons that run without the task pane. "Valida" runs every check of shared/ on this computer (the
 * ribbon has no sign-in: the task pane adds the server's cross-period checks) and opens the Controlli sheet.
 */

const SCOPE_KEY = 'rendiconta-leps.scope';

function savedScope(): { ats?: string; period?: string } {
  try {
    return JSON.parse(window.localStorage.getItem(SCOPE_KEY) ?? '{}') as { ats?: string; period?: string };
  } catch {
    return {};
  }
}

async function onInsertTemplate(event: Office.AddinCommands.Event): Promise<void> {
  try {
    await insertTemplate(excelRunFromOffice(), LEPS_ATS);
  } finally {
    event.completed();
  }
}

async function onValidate(event: Office.AddinCommands.Event): Promise<void> {
  try {
    const comuni = await loadComuniOnce();
    await validateWorkbook({
      run: excelRunFromOffice(),
      template: LEPS_ATS,
      features: officeFeatures(),
      envelope: savedScope(),
      check: async (read) => localCheck(read.submission, comuni),
      activateChecks: true,
    });
  } finally {
    event.completed();
  }
}

// Older hosts (perpetual Excel 2019) look function names up on the global object; newer ones use associate().
const commands = { insertTemplate: onInsertTemplate, validateWorkbook: onValidate };
Object.assign(globalThis, commands);

Office.onReady(() => {
  if (Office.actions?.associate) {
    for (const [name, handler] of Object.entries(commands)) Office.actions.associate(name, handler);
  }
});
