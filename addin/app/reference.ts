import { type ComuniIndex, parseComuniCsv } from '../../shared/reference/comuni.ts';

/** The ISTAT list, fetched once from the add-in's own origin (the build copies it); undefined if unavailable. */
let cached: Promise<ComuniIndex | undefined> | undefined;

export function loadComuniOnce(url = 'data/comuni_italia_2025.csv'): Promise<ComuniIndex | undefined> {
  cached ??= fetch(url)
    .then((response) => (response.ok ? response.text() : Promise.reject(new Error(String(response.status)))))
    .then((text) => parseComuniCsv(text))
    .catch(() => {
      cached = undefined;
      return undefined;
    });
  return cached;
}
