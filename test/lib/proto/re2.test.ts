import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { re2ToRegExp, Re2Error } from '../../../lib/proto/index.js';

describe('re2ToRegExp', () => {
  const matches = (pattern: string, yes: string[], no: string[]): void => {
    const re = re2ToRegExp(pattern);
    for (const s of yes) assert.ok(re.test(s), `${pattern} should match ${JSON.stringify(s)}`);
    for (const s of no) assert.ok(!re.test(s), `${pattern} should not match ${JSON.stringify(s)}`);
  };

  it('should turn leading inline flags into JS flags ((?i) of the go-kratos validate example)', () => {
    matches('(?i)^[0-9a-f]+$', ['DEADbeef', '00'], ['xyz', '']);
    matches('(?s)^a.b$', ['a\nb'], ['ab']);
    matches('(?m)^b$', ['a\nb'], ['ab']);
  });

  it('should translate \\A and \\z to start and end of text, even in multi-line mode', () => {
    matches('\\Aab\\z', ['ab'], ['ab\n', 'xab']);
    matches('(?m)^a\\z', ['x\na'], ['a\nx']);
  });

  it('should translate named groups (?P<n>...) and keep (?:...)', () => {
    assert.equal(re2ToRegExp('^(?P<year>\\d{4})-(?:\\d\\d)$').exec('2026-11')?.groups?.['year'], '2026');
  });

  it('should translate Unicode classes \\pL, \\PL, \\p{Greek} and \\p{^Greek}', () => {
    matches('^\\pL+$', ['kratosÄ', 'αβ'], ['a1']);
    matches('^\\PL+$', ['12'], ['a']);
    matches('^\\p{Greek}+$', ['αβγ'], ['abc']);
    matches('^\\p{^Greek}+$', ['abc'], ['α']);
    matches('^\\p{Lu}\\p{Ll}*$', ['Kratos'], ['kratos']);
  });

  it('should expand POSIX classes, negated ones alone in a class', () => {
    matches('^[[:alpha:]_][[:alnum:]_]*$', ['_a1', 'abc'], ['1a']);
    matches('^[[:^digit:]]+$', ['abc'], ['a1']);
    matches('^[[:xdigit:][:space:]]+$', ['ab 12'], ['xyz']);
  });

  it('should keep RE2 meanings JS differs on: ASCII \\s, "." not matching \\n only, a leading ] in a class, escaped punctuation', () => {
    matches('^\\s$', [' ', '\t'], ['\u00a0', '\v']);
    matches('^a.b$', ['a\rb'], ['a\nb']);
    matches('^[]a]+$', [']a'], ['b']);
    matches('^\\@\\-\\#$', ['@-#'], []);
    matches('^\\Qa.b\\E$', ['a.b'], ['axb']);
    matches('^\\x{1F600}\\101$', ['\u{1F600}A'], []);
  });

  it('should refuse what JavaScript cannot express, saying what', () => {
    for (const [p, why] of [
      ['^ab(?i)cd$', /flags must lead/],
      ['(?U)a+', /no JavaScript equivalent/],
      ['(a)\\1', /backreference/],
      ['a(?=b)', /no JavaScript equivalent/],
      ['(?<=a)b', /no JavaScript equivalent/],
      ['[[:word:]-[:^alpha:]]', /combined/],
      ['[[:nope:]]', /unknown POSIX class/],
      ['a**', /Nothing to repeat|nothing to repeat/i],
      ['\\Z', /unknown escape/],
    ] as const) assert.throws(() => re2ToRegExp(p), (e: unknown) => e instanceof Re2Error && why.test((e as Error).message), p);
  });
});

describe('re2Matcher', () => {
  // re2js, a port of RE2 maintained outside kratos-ts, is the oracle for what a pattern means.
  it('should match exactly what RE2 matches, on the translated and the fallback paths', async () => {
    const { RE2JS } = await import('re2js');
    const { re2Matcher } = await import('../../../lib/proto/index.js');
    const inputs = ['', 'abc', 'ABC', 'a\nb', 'a\rb', ' \t', '\u00a0', 'αβγ', 'Kratos1', 'x_y-z', '2026-11-27', 'abCD', 'ab\n', ']a', 'ſ', '\u{1F600}', 'A.B', 'AxB', 'A', 'KRATOS1', 'x\nabc', 'Ab1', 'a\u2028b', '!?', '😀😀😀'];
    for (const p of ['(?i)^[0-9a-f]+$', '^\\pL+$', '\\A[[:alpha:]]+\\z', '^a.b$', '(?s)^a.b$', '(?m)^b$', '^\\s+$', '^[]a]+$', '^\\p{Greek}+$', '^ab(?i)cd$', '(?i)k', '^(?P<y>\\d{4})-\\d\\d-\\d\\d$', '[[:^alpha:]]', '(a+)+$', '^[^a]$', '\\bx\\b', '^\\W+$', '^\\w+$', '[\\d\\s]+', '^\\QA.B\\E', '\\x{1F600}', '^\\101', '(?i)^kratos\\d$', '^[\\p{Lu}\\d]+$', '(?im)^abc$', '^.{3}$', '[[:punct:]]', '^\\PN+$']) {
      const ours = re2Matcher(p);
      const oracle = RE2JS.compile(p);
      for (const s of inputs) assert.equal(ours(s), oracle.matcher(s).find(), `${p} on ${JSON.stringify(s)}`);
    }
  });

  it('should run mid-pattern flags, and patterns that would backtrack catastrophically, in linear time', async () => {
    const { re2Matcher } = await import('../../../lib/proto/index.js');
    assert.equal(re2Matcher('^ab(?i)cd$')('abCD'), true);
    assert.equal(re2Matcher('^ab(?i)cd$')('ABcd'), false);
    // (a+)+$ against a long run of 'a' ending in 'b' never finishes with a backtracking engine.
    assert.equal(re2Matcher('(a+)+$')(`${'a'.repeat(5000)}b`), false);
  });

  it('should refuse what RE2 refuses', async () => {
    const { re2Matcher } = await import('../../../lib/proto/index.js');
    for (const p of ['(a)\\1', 'a(?=b)', '(?<=a)b', 'a**', '[z-a]', '\\Z']) assert.throws(() => re2Matcher(p), (e: unknown) => e instanceof Re2Error && /not valid RE2/.test((e as Error).message), p);
  });
});
