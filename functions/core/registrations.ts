import type { RegisteredAts } from '../../shared/checks/types.ts';
import type { RegionAtsBody } from '../../shared/contract/api.ts';
import { type Caller, regionOfAts, requireRegionAccess } from '../lib/claims.ts';
import { badRequest } from '../lib/http.ts';
import type { RegistrationDeps, RegistrationListDeps } from './deps.ts';

/** PUT /v1/regions/{region}/ats/{ats}: registers (or updates) an ATS's composition, the reference of T2.5–T2.7. */
export async function putRegionAts(
  deps: RegistrationDeps,
  caller: Caller,
  region: string,
  ats: string,
  body: RegionAtsBody,
): Promise<{ created: boolean; region: string; registered: RegisteredAts & { updatedAt: string } }> {
  requireRegionAccess(caller, region);
  if (regionOfAts(ats) !== region) {
    throw badRequest(
      `Il codice ${ats} non appartiene alla Regione ${region}: le cifre RR di ATS-RR-NNN sono la Regione.`,
      [{ path: 'ats', message: `Atteso ATS-${region}-NNN.` }],
    );
  }
  const comuni = deps.comuni();
  const issues: Array<{ path: string; message: string }> = [];
  const seen = new Set<string>();
  body.comuni.forEach((code, index) => {
    const comune = comuni.get(code);
    if (seen.has(code)) issues.push({ path: `comuni.${index}`, message: `Comune ${code} ripetuto.` });
    else if (!comune) issues.push({ path: `comuni.${index}`, message: `Codice ISTAT ${code} sconosciuto.` });
    else if (comune.regionCode !== region) {
      issues.push({ path: `comuni.${index}`, message: `Il comune ${code} non è nella Regione ${region}.` });
    }
    seen.add(code);
  });
  if (issues.length > 0) {
    throw badRequest(
      'Composizione dell\u2019Ambito non valida: controllare i codici ISTAT dei comuni.',
      issues.slice(0, 50),
    );
  }
  const registered: RegisteredAts = {
    ats,
    name: body.name.trim(),
    comuni: [...body.comuni],
    ...(body.enteGestoreCf ? { enteGestoreCf: body.enteGestoreCf } : {}),
  };
  const { created, updatedAt } = await deps.store.putRegistration(region, registered, caller.sub);
  return { created, region, registered: { ...registered, updatedAt } };
}

export async function listRegionAts(deps: RegistrationListDeps, caller: Caller, region: string) {
  requireRegionAccess(caller, region);
  const registered = await deps.store.listRegistrations(region);
  return { region, ats: registered.map((entry) => ({ ...entry, comuni: [...entry.comuni] })) };
}
