import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson } from '../../shared/contract/canonical.ts';
import { deepNestingAt, MAX_JSON_DEPTH, wireJsonIssue } from '../../shared/contract/wire-json.ts';

/** What the API accepts as JSON, and that its canonical form is the one any RFC 8785 library computes. */

const nested = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth);

describe('nesting depth, counted on the text before parsing', () => {
  it('accepts a submission-shaped body and refuses one level more, at the bracket that goes too deep', () => {
    const submission = '{"sheets":{"T1":[{"COD_ATS":"ATS-05-001"}]}}';
    expect(deepNestingAt(submission)).toBe(-1);
    expect(deepNestingAt(nested(MAX_JSON_DEPTH))).toBe(-1);
    expect(deepNestingAt(nested(MAX_JSON_DEPTH + 1))).toBe(MAX_JSON_DEPTH);
    expect(deepNestingAt('{"sheets":{"T1":[{"COD_ATS":[1]}]}}')).toBe(28);
  });
  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(deepNestingAt(`{"a":"${'[{'.repeat(50)}"}`)).toBe(-1);
    expect(deepNestingAt(`["\\"[[[[[[", "\\\\", [[[]]]]`)).toBe(-1);
    expect(deepNestingAt(`["\\\\"${'['.repeat(5)}`)).toBe(8);
  });
  it('refuses a million levels at once, without parsing them', () => {
    const started = performance.now();
    expect(deepNestingAt(nested(1_000_000))).toBe(MAX_JSON_DEPTH);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('values JSON or RFC 8785 cannot carry, with their path', () => {
  const issueOf = (text: string) => wireJsonIssue(JSON.parse(text), text);
  it.each([
    ['{"sheets":{"T1":[{"POP_RIF":1e309}]}}', 'sheets.T1.0.POP_RIF', /1e309/],
    ['{"a":[1,-1e400]}', 'a.1', /rappresentabile/],
    ['1e999', '(radice)', /rappresentabile/],
    ['{"comment":"a\\ud800b"}', 'comment', /surrogato isolato/],
    ['{"sheets":{"T1":[{"PEC":"\\udfff"}]}}', 'sheets.T1.0.PEC', /surrogato isolato/],
    ['{"x":["ok","nul\\u0000"]}', 'x.1', /NUL/],
    ['{"sheets":{"T1":[{"__proto__":{"x":1}}]}}', 'sheets.T1.0.__proto__', /__proto__/],
    ['{"k\\ud800":1}', 'k\ud800', /surrogato/],
  ])('%s → %s', (text, path, message) => {
    const issue = issueOf(text);
    expect(issue?.path).toBe(path);
    expect(issue?.message).toMatch(message);
  });
  it('passes well-formed pairs, escapes and finite numbers', () => {
    expect(issueOf('{"a":"\\ud83d\\ude00 \\u00e8 \\n","b":[1e308,-0,1e-400,null,true]}')).toBeUndefined();
  });
});

describe('canonical serialisation: iterative, and the same as a standard RFC 8785 library', () => {
  it('writes 100,000 levels of nesting without overflowing the stack', () => {
    let deep: unknown = 'fondo';
    for (let level = 0; level < 100_000; level++) deep = level % 2 ? [deep] : { l: deep };
    const text = canonicalJson(deep);
    expect(text.length).toBeGreaterThan(400_000);
    expect(text.startsWith('[{"l":[{"l":')).toBe(true);
  });
  it('refuses lone surrogates in values and in member names, which RFC 8785 cannot write', () => {
    expect(() => canonicalJson({ a: 'x\ud800' })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ '\udc00': 1 })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(CanonicalJsonError);
  });
  it('gives what `canonicalize` (npm, RFC 8785) gives for any JSON the API accepts', () => {
    const text = fc.string({ unit: fc.constantFrom('grapheme', 'binary', 'grapheme-ascii'), maxLength: 12 });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constant(null),
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        text,
        fc.array(tie('value'), { maxLength: 5 }),
        fc.dictionary(text, tie('value'), { maxKeys: 5 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const wire = JSON.stringify(value);
        const parsed: unknown = JSON.parse(wire);
        if (wireJsonIssue(parsed, wire) !== undefined) return;
        const ours = canonicalJson(parsed);
        expect(ours).toBe(canonicalize(parsed));
        expect(createHash('sha256').update(ours).digest('hex')).toBe(
          createHash('sha256')
            .update(canonicalize(parsed) ?? '')
            .digest('hex'),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
