import { truncationNotes } from '../checks/bound.ts';
import type { ConsolidatedResponse } from '../contract/api.ts';

/**
 * What the consolidated view left out (contract v1.1 bounds findings: 1,000 per rule, 10,000 in all), in Italian: the
 * Region's own findings first, then each ATS whose receipt was cut. The regional panel and `rendiconta consolida`
 * print the same lines.
 */
export function consolidatedTruncationNotes(consolidated: ConsolidatedResponse): string[] {
  const bound = consolidated.findingsBound;
  return [
    ...truncationNotes(consolidated.findings, bound?.countsByRule, bound?.truncated).map(
      (note) => `Rilievi regionali: ${note}`,
    ),
    ...consolidated.ats.flatMap((entry) =>
      entry.receipt
        ? truncationNotes(
            entry.receipt.findings,
            entry.receipt.findingsBound?.countsByRule,
            entry.receipt.findingsBound?.truncated,
          ).map((note) => `Ambito ${entry.ats}: ${note}`)
        : [],
    ),
  ];
}
