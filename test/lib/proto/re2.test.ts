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
