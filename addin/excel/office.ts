import type { HostFeatures } from './host.ts';

/** What only a real Office host provides: feature detection and the dialog API. */

export function officeFeatures(): HostFeatures {
  return { notes: Office.context.requirements.isSetSupported('ExcelApi', '1.18') };
}

/** Opens a page in the Office dialog and resolves with its first message (the sign-in page sends the token). */
export function officeDialog(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(url, { height: 60, width: 30, displayInIframe: false }, (opened) => {
      if (opened.status !== Office.AsyncResultStatus.Succeeded) {
        reject(new Error(`Impossibile aprire la finestra di accesso (${opened.error.message}).`));
        return;
      }
      const dialog = opened.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (event) => {
        dialog.close();
        if ('message' in event) resolve(event.message);
        else reject(new Error('Finestra di accesso chiusa.'));
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, () => {
        reject(new Error('Finestra di accesso chiusa prima di completare l’accesso.'));
      });
    });
  });
}
