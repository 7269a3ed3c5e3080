import type { Receipt } from '../../shared/contract/api.ts';
import type { CurrentVersion, StoredVersion } from '../store/types.ts';

export function receiptOf(version: StoredVersion, status: CurrentVersion['status']): Receipt {
  return {
    ats: version.ats,
    period: version.period,
    template: version.template,
    templateVersion: version.templateVersion,
    version: version.version,
    sha256: version.sha256,
    receivedAt: version.receivedAt,
    status,
    findings: [...version.findings],
  };
}
