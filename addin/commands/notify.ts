import { type CommandOutcome, failureOutcome, messagePageUrl } from './outcome.ts';

/**
 * Shows a command's outcome in an Office dialog (Dialog API 1.1: every Excel that has ExcelApi 1.8). A ribbon command
 * has no other surface on Excel 2019: notification messages exist only in Outlook. Resolves when the user closes the
 * dialog, or at once if it cannot open (the command must still complete).
 */

/** The slice of Office.context.ui used here; officeDialogHost adapts the real one, the tests supply a fake. */
export interface DialogHost {
  displayDialogAsync(
    url: string,
    options: { height: number; width: number },
    callback: (result: DialogOpenResult) => void,
  ): void;
}

export type DialogOpenResult =
  | { status: 'succeeded'; value: DialogHandle }
  | { status: 'failed'; error: { code: number; message: string } };

export interface DialogHandle {
  close(): void;
  addEventHandler(event: 'dialogMessageReceived' | 'dialogEventReceived', handler: () => void): void;
}

export function showOutcome(ui: DialogHost, pageUrl: string, outcome: CommandOutcome): Promise<void> {
  return new Promise((resolve) => {
    ui.displayDialogAsync(messagePageUrl(pageUrl, outcome), { height: 35, width: 30 }, (opened) => {
      if (opened.status !== 'succeeded') {
        resolve();
        return;
      }
      const dialog = opened.value;
      dialog.addEventHandler('dialogMessageReceived', () => {
        dialog.close();
        resolve();
      });
      // The user closed the dialog with its own button (12006) or it failed to load: either way it is gone.
      dialog.addEventHandler('dialogEventReceived', resolve);
    });
  });
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

/** Office's Dialog API behind that slice (its enums are the same strings; mapped here so tsc checks them). */
export const officeDialogHost = (ui: Office.UI): DialogHost => ({
  displayDialogAsync: (url, options, callback) =>
    ui.displayDialogAsync(url, options, (result) =>
      callback(
        result.status === Office.AsyncResultStatus.Succeeded
          ? {
              status: 'succeeded',
              value: {
                close: () => result.value.close(),
                addEventHandler: (event, handler) =>
                  result.value.addEventHandler(
                    event === 'dialogMessageReceived'
                      ? Office.EventType.DialogMessageReceived
                      : Office.EventType.DialogEventReceived,
                    handler,
                  ),
              },
            }
          : { status: 'failed', error: { code: result.error.code, message: result.error.message } },
      ),
    ),
});
