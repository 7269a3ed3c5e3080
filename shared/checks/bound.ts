/**
 * Bounded findings (contract v1.1): a response carries at most 1,000 findings per rule and 10,000 in all, errors
 * before warnings, each in the engine's stable order; the full counts per rule always travel beside them
 * (`countsByRule`), with `truncated: true` when findings were left out. The server bounds every response with this
 * function and the add-in and the command line bound their local checks with it too, so all three show the same.
 *
 * Besides the contract's counts, the kept findings' JSON is held within FINDINGS_MAX_BYTES (counted as it travels
 * escaped inside Lambda's result, every `"` and `\` doubled): a finding's message names the values involved, so a
 * count alone bounds no size, and GET submission carries the list twice (`receipt.findings` and `findings`). A
 * finding of the catalogue takes about 300 bytes escaped (T3.11's), so 10,000 of them take about 3 MB: the byte
 * budget stops such a list at about 7,000, before the count does (docs/backend.md, "Bounded findings").
 */

/** What the bound needs of a finding (engine findings and wire findings both fit). */
export interface BoundableFinding {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
}

/** Full counts of one rule, before any finding was left out. */
export interface RuleCounts {
  readonly errors: number;
  readonly warnings: number;
}

export interface BoundedFindings<F extends BoundableFinding> {
  /** The kept findings: errors first, then warnings, each in the order given (the engine's stable order). */
  readonly findings: F[];
  /** Every rule that has findings, with its full counts by severity. */
  readonly countsByRule: Record<string, RuleCounts>;
  /** True when findings were left out. */
  readonly truncated: boolean;
}

export const FINDINGS_PER_RULE = 1000;
export const FINDINGS_TOTAL = 10_000;
/** The most bytes of findings one list carries, counted escaped (twice in GET submission: 4 MiB of 5). */
export const FINDINGS_MAX_BYTES = 2 * 1024 * 1024;

export interface FindingLimits {
  readonly perRule: number;
  readonly total: number;
  readonly maxBytes: number;
}

export const FINDING_LIMITS: FindingLimits = {
  perRule: FINDINGS_PER_RULE,
  total: FINDINGS_TOTAL,
  maxBytes: FINDINGS_MAX_BYTES,
};

/** UTF-8 bytes of a text without an encoder (runs in Node and in every webview). */
function utf8Bytes(text: string): number {
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2; // a surrogate pair: 2 code units, 4 bytes
      index++;
    } else bytes += 2;
  }
  return bytes;
}

/** A finding's size in an array as it travels escaped inside Lambda's result: its JSON, its quotes doubled, a comma. */
export function escapedFindingBytes(finding: unknown): number {
  const json = JSON.stringify(finding);
  let escapes = 0;
  for (let index = 0; index < json.length; index++) {
    const code = json.charCodeAt(index);
    if (code === 0x22 || code === 0x5c) escapes++;
  }
  return utf8Bytes(json) + escapes + 1;
}

/** Bounds a list of findings as the contract asks (see the module comment); the input is left as it is. */
export function boundFindings<F extends BoundableFinding>(
  findings: readonly F[],
  limits: FindingLimits = FINDING_LIMITS,
): BoundedFindings<F> {
  const counts = new Map<string, { errors: number; warnings: number }>();
  for (const finding of findings) {
    let count = counts.get(finding.rule);
    if (!count) {
      count = { errors: 0, warnings: 0 };
      counts.set(finding.rule, count);
    }
    if (finding.severity === 'error') count.errors++;
    else count.warnings++;
  }
  const kept: F[] = [];
  const keptByRule = new Map<string, number>();
  let bytes = 0;
  let full = false;
  for (const severity of ['error', 'warning'] as const) {
    for (const finding of findings) {
      if (full) break;
      if (finding.severity !== severity) continue;
      const ofRule = keptByRule.get(finding.rule) ?? 0;
      if (ofRule >= limits.perRule) continue;
      if (kept.length >= limits.total) {
        full = true;
        break;
      }
      const size = escapedFindingBytes(finding);
      // Past the byte budget nothing more is kept, so every rule's kept findings stay a prefix of its own.
      if (bytes + size > limits.maxBytes) {
        full = true;
        break;
      }
      bytes += size;
      kept.push(finding);
      keptByRule.set(finding.rule, ofRule + 1);
    }
  }
  const countsByRule: Record<string, RuleCounts> = {};
  for (const [rule, count] of counts) countsByRule[rule] = count;
  return { findings: kept, countsByRule, truncated: kept.length < findings.length };
}

/** 4512 → "4.512" (Italian grouping, without ICU). */
export function italianCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/**
 * The Italian lines a client shows when findings were left out: one per rule that lost some
 * ("Mostrate 1.000 di 4.512 segnalazioni per la regola T5.3."), or nothing when the list is complete.
 */
export function truncationNotes(
  shown: readonly BoundableFinding[],
  countsByRule: Readonly<Record<string, RuleCounts>> | undefined,
  truncated: boolean | undefined,
): string[] {
  if (!truncated || !countsByRule) return [];
  const shownByRule = new Map<string, number>();
  for (const finding of shown) shownByRule.set(finding.rule, (shownByRule.get(finding.rule) ?? 0) + 1);
  const notes: string[] = [];
  let total = 0;
  for (const [rule, count] of Object.entries(countsByRule)) {
    const all = count.errors + count.warnings;
    total += all;
    const kept = shownByRule.get(rule) ?? 0;
    if (kept < all) {
      notes.push(`Mostrate ${italianCount(kept)} di ${italianCount(all)} segnalazioni per la regola ${rule}.`);
    }
  }
  notes.unshift(
    `Mostrate ${italianCount(shown.length)} di ${italianCount(total)} segnalazioni: le altre non sono elencate (limite di 1.000 per regola e 10.000 in tutto).`,
  );
  return notes;
}
