import { boundFindings } from '../../shared/checks/bound.ts';
import type { Receipt } from '../../shared/contract/api.ts';
import type { CurrentVersion, StoredVersion } from '../store/types.ts';

/**
 * A version's receipt, its findings bounded (contract v1.1: 1,000 per rule, 10,000 in all, errors first) with their
 * full counts in `findingsBound`. A version given without its findings (the consolidated view's entries of ATS on
 * other pages) gets an empty list and no counts, as in v1.
 */
export function receiptOf(version: StoredVersion, status: CurrentVersion['status']): Receipt {
  const withFindings = version.findings.length > 0 || version.errors + version.warnings === 0;
  const bounded = boundFindings(version.findings);
  return {
    ats: version.ats,
    period: version.period,
    template: version.template,
    templateVersion: version.templateVersion,
    version: version.version,
    sha256: version.sha256,
    receivedAt: version.receivedAt,
    status,
    findings: bounded.findings,
    ...(withFindings ? { findingsBound: { countsByRule: bounded.countsByRule, truncated: bounded.truncated } } : {}),
  };
}
