import type { SchemaIssue } from './issues.ts';

/**
 * What JSON may travel to this API at all, whatever the route (contract v1.1, "Request body"): nothing deeper than a
 * submission, no number JSON cannot round-trip, no string RFC 8785 cannot canonicalise, no `__proto__` member. Each
 * refusal names the path, in the contract's dotted form (`sheets.T1.0.POP_RIF`).
 */

/** A submission is an object of sheets of rows of cells: four levels of containers, and no body of the API has more. */
export const MAX_JSON_DEPTH = 4;

/** A lone surrogate (u flag: a well-formed pair is one code point and does not match) or NUL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this refuses.
const UNSAFE_TEXT = /[\u0000\ud800-\udfff]/u;

/**
 * Where (the character offset of the opening bracket) the JSON text first nests deeper than MAX_JSON_DEPTH, or -1;
 * counted on the text before it is parsed: V8 parses deep
 * nesting without recursion but in time that grows faster than the depth (a million `[` take seconds), so such a
 * body is refused before JSON.parse ever sees it. Strings are skipped with indexOf; a malformed text is left to
 * JSON.parse, which refuses it.
 */
export function deepNestingAt(text: string, maxDepth: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22) {
      let end = text.indexOf('"', index + 1);
      while (end !== -1 && escapedAt(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) return -1;
      index = end;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return index;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return -1;
}

/** Whether the quote at `index` is escaped: preceded by an odd number of backslashes. */
function escapedAt(text: string, index: number): boolean {
  let backslashes = 0;
  for (let before = index - 1; text.charCodeAt(before) === 0x5c; before--) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * The containers met so far, as parallel lists (no object per container: a body of 400,000 rows has 400,000): each
 * one's parent (an index here, -1 for the root) and its key in that parent, for the path of a problem.
 */
interface Walk {
  readonly values: unknown[];
  readonly parents: number[];
  readonly keys: Array<string | number>;
}

function pathOf(walk: Walk, at: number, key?: string | number): string {
  const parts: Array<string | number> = key === undefined ? [] : [key];
  for (let node = at; node > 0; node = walk.parents[node] as number) parts.push(walk.keys[node] as string | number);
  return parts.length === 0 ? '(radice)' : parts.reverse().join('.');
}

function scalarProblem(value: unknown, checkText: boolean): string | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? undefined
      : 'Numero fuori dall\u2019intervallo rappresentabile in JSON (es. 1e309): indicare un valore finito.';
  }
  if (checkText && typeof value === 'string' && UNSAFE_TEXT.test(value)) return textProblem(value);
  return undefined;
}

function textProblem(value: string): string {
  return value.includes('\u0000')
    ? 'Testo con il carattere nullo (NUL, \\u0000): rimuoverlo.'
    : 'Testo con un carattere Unicode incompleto (surrogato isolato): correggere il testo.';
}

/**
 * The first problem of a parsed JSON value, walked with an explicit stack (no recursion, whatever the depth), or
 * undefined. `text` is the JSON it was parsed from: a lone surrogate or NUL can only come from a `\u` escape (raw
 * ones are not valid UTF-8, and a raw NUL is not valid JSON), so without one the strings need no test.
 */
export function wireJsonIssue(value: unknown, text: string): SchemaIssue | undefined {
  const checkText = text.includes('\\u');
  if (typeof value !== 'object' || value === null) {
    const problem = scalarProblem(value, checkText);
    return problem ? { path: '(radice)', message: problem } : undefined;
  }
  const walk: Walk = { values: [value], parents: [-1], keys: [''] };
  const pending: number[] = [0];
  const visit = (at: number, key: string | number, member: unknown): SchemaIssue | undefined => {
    if (typeof member === 'object' && member !== null) {
      pending.push(walk.values.length);
      walk.values.push(member);
      walk.parents.push(at);
      walk.keys.push(key);
      return undefined;
    }
    const problem = scalarProblem(member, checkText);
    return problem ? { path: pathOf(walk, at, key), message: problem } : undefined;
  };
  while (pending.length > 0) {
    const at = pending.pop() as number;
    const current = walk.values[at] as object;
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) {
        const issue = visit(at, index, current[index]);
        if (issue) return issue;
      }
      continue;
    }
    // JSON.parse makes plain objects with own members only: for…in lists them without building a key array.
    for (const key in current) {
      if (key === '__proto__')
        return { path: pathOf(walk, at, key), message: 'Nome di campo non ammesso ("__proto__").' };
      if (checkText && UNSAFE_TEXT.test(key)) return { path: pathOf(walk, at, key), message: textProblem(key) };
      const issue = visit(at, key, (current as Record<string, unknown>)[key]);
      if (issue) return issue;
    }
  }
  return undefined;
}
