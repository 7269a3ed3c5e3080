import { excelRunFromOffice } from '../excel/host.ts';
import { officeDialog, officeFeatures } from '../excel/office.ts';
import { regionalRunFromOffice } from '../regional/host.ts';
import { startTaskPane } from './main.ts';

/**
 * Production entry: wires the task pane to Excel. Outside Excel (a browser) it exposes startTaskPane so a test page
 * can supply a host, and tells the user to open the pane from Excel.
 */
declare global {
  interface Window {
    rendicontaLeps?: { start: typeof startTaskPane };
  }
}

window.rendicontaLeps = { start: startTaskPane };

Office.onReady((info) => {
  if (info.host === Office.HostType.Excel) {
    startTaskPane({
      run: excelRunFromOffice(),
      features: officeFeatures(),
      openDialog: officeDialog,
      storage: window.localStorage,
      session: window.sessionStorage,
      origin: window.location.origin,
      label: 'Collegato a Excel.',
      regionalRun: regionalRunFromOffice(Excel),
    });
  } else {
    const status = document.getElementById('host-status');
    if (status) status.textContent = 'Aprire questo pannello da Excel (scheda LEPS → Pannello).';
    window.dispatchEvent(new Event('rendiconta-leps:ready'));
  }
});
