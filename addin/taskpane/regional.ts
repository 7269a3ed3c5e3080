import { apiBaseUrl, CONFIG } from '../app/config.ts';
import { loadComuniOnce } from '../app/reference.ts';
import { fetchRegionalApi } from '../regional/api.ts';
import { type MountedPanel, mountRegionalPanel } from '../regional/panel.ts';
import { fetchRegionParametersApi } from '../regional/parameters-api.ts';
import type { WorkContext } from './work.ts';

/**
 * The Region's panel in the task pane: only a Region's reviewers see it, so it is a bundle of its own
 * (taskpane-regional.js), loaded after taskpane-shared.js for them alone (load-work.ts).
 */
export function mountRegional(context: WorkContext, section: HTMLElement, region: string): MountedPanel | null {
  const { host, setStatus } = context;
  if (!host.regionalRun) return null;
  const baseUrl = apiBaseUrl(CONFIG, host.origin);
  const clientVersion = `addin-${CONFIG.version}`;
  const token = () => context.token() ?? '';
  return mountRegionalPanel(section, {
    region,
    api: fetchRegionalApi({ baseUrl, token, clientVersion }),
    excel: host.regionalRun,
    comuni: async () => {
      const index = await loadComuniOnce();
      if (!index) throw new Error('Elenco dei comuni non disponibile.');
      return index;
    },
    notes: host.features.notes,
    notify: (notice) => setStatus(notice.text, notice.kind),
    parameters: fetchRegionParametersApi({ baseUrl, token, clientVersion }),
  });
}
