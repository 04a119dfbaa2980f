import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

// Loaded on the first pattern only: most apps declare none.
const require = createRequire(import.meta.url);
let engines: { RE2JS: typeof RE2JS; safeRegex: (re: RegExp) => boolean } | undefined;
function load(): NonNullable<typeof engines> {
  engines ??= { RE2JS: (require('re2js') as typeof import('re2js')).RE2JS, safeRegex: require('safe-regex2') as (re: RegExp) => boolean };
  return engines;
}

/**
 * RE2 (Go regexp) patterns, as protoc-gen-validate and protovalidate write them, rewritten for
 * JavaScript's `u` mode where the two disagree. What has no JavaScript equivalent throws
 * {@link Re2Error} naming the construct; callers turn it into a boot error naming file and field.
 */
export class Re2Error extends Error {}

// ASCII sets of RE2's POSIX classes, written as JS class contents.
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
// RE2's \s is ASCII whitespace without \v; JS's includes every Unicode space.
const SPACE = '\\t\\n\\f\\r ';
// Unicode general categories keep their name; anything else RE2 accepts in \p{..} is a script.
const CATEGORY = /^(?:[LMNPSZC][a-z]?|Any)$/;
// Characters that must stay escaped in a JS `u` pattern (outside a class / inside one).
const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const CLASS_SYNTAX = new Set('\\]^-[');

function property(name: string, negated: boolean): string {
  const neg = name.startsWith('^') ? !negated : negated;
  const n = name.replace(/^\^/, '');
  if (!/^[A-Za-z_]+$/.test(n)) throw new Re2Error(`unknown Unicode class \\p{${name}}`);
  const body = CATEGORY.test(n) ? n : `Script=${n}`;
  return `\\${neg ? 'P' : 'p'}{${body}}`;
}

function literal(ch: string, inClass: boolean): string {
  if ((inClass ? CLASS_SYNTAX : SYNTAX).has(ch)) return `\\${ch}`;
  if (/[A-Za-z0-9]/.test(ch)) throw new Re2Error(`unknown escape \\${ch}`);
  return ch;
}

interface Cursor {
  src: string;
  i: number;
  dotAll: boolean;
}

/** One escape sequence starting after the backslash at `c.i`; returns its JS text. */
function escape(c: Cursor, inClass: boolean): string {
  const ch = c.src[c.i++];
  if (ch === undefined) throw new Re2Error('trailing backslash');
  switch (ch) {
    case 'z': if (inClass) break; return '(?![\\s\\S])';
    case 'A': if (inClass) break; return '(?<![\\s\\S])';
    case 'b': case 'B': if (inClass) break; return `\\${ch}`;
    case 'd': case 'D': case 'w': case 'W': case 'n': case 't': case 'r': case 'f': case 'v': return `\\${ch}`;
    case 'a': return '\\x07';
    case 's': return inClass ? SPACE : `[${SPACE}]`;
    case 'S': if (inClass) break; return `[^${SPACE}]`;
    case 'p': case 'P': {
      if (c.src[c.i] === '{') {
        const end = c.src.indexOf('}', c.i);
        if (end < 0) throw new Re2Error('unterminated \\p{');
        const name = c.src.slice(c.i + 1, end);
        c.i = end + 1;
        return property(name, ch === 'P');
      }
      const one = c.src[c.i++];
      if (one === undefined) throw new Re2Error('trailing \\p');
      return property(one, ch === 'P');
    }
    case 'x': {
      if (c.src[c.i] === '{') {
        const end = c.src.indexOf('}', c.i);
        const hex = c.src.slice(c.i + 1, end);
        if (end < 0 || !/^[0-9A-Fa-f]{1,6}$/.test(hex)) throw new Re2Error('bad \\x{...} escape');
        c.i = end + 1;
        return `\\u{${hex}}`;
      }
      const hex = c.src.slice(c.i, c.i + 2);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Re2Error('bad \\x escape');
      c.i += 2;
      return `\\x${hex}`;
    }
    case 'Q': {
      const end = c.src.indexOf('\\E', c.i);
      const text = c.src.slice(c.i, end < 0 ? undefined : end);
      c.i = end < 0 ? c.src.length : end + 2;
      return [...text].map((t) => (/[A-Za-z0-9]/.test(t) ? t : literal(t, inClass))).join('');
    }
    default:
      if (/[0-7]/.test(ch)) {
        if (ch !== '0' && !/[0-7]/.test(c.src[c.i] ?? '')) throw new Re2Error(`backreference \\${ch} (RE2 has none)`);
        let oct = ch;
        while (oct.length < 3 && /[0-7]/.test(c.src[c.i] ?? '')) oct += c.src[c.i++];
        return `\\u{${parseInt(oct, 8).toString(16)}}`;
      }
      return literal(ch, inClass);
  }
  throw new Re2Error(`\\${ch} inside a character class`);
}

/** A bracket expression starting after `[`; POSIX classes expanded, a leading `]` kept literal. */
function bracket(c: Cursor): string {
  let out = '[';
  if (c.src[c.i] === '^') { out += '^'; c.i++; }
  const negated = out === '[^';
  let first = true;
  for (;;) {
    const ch = c.src[c.i];
    if (ch === undefined) throw new Re2Error('missing closing ]');
    if (ch === ']' && !first) { c.i++; return `${out}]`; }
    if (ch === ']') { c.i++; out += '\\]'; first = false; continue; }
    first = false;
    if (ch === '[' && c.src[c.i + 1] === ':') {
      const end = c.src.indexOf(':]', c.i);
      const name = end < 0 ? '' : c.src.slice(c.i + 2, end);
      const neg = name.startsWith('^');
      const set = POSIX[name.replace(/^\^/, '')];
      if (set === undefined) throw new Re2Error(`unknown POSIX class [:${name}:]`);
      c.i = end + 2;
      if (!neg) { out += set; continue; }
      // A negated POSIX class is expressible only as the whole bracket: [[:^alpha:]] is [^A-Za-z].
      if (negated || out !== '[' || c.src[c.i] !== ']') throw new Re2Error(`[:${name}:] combined with other items in one class`);
      c.i++;
      return `[^${set}]`;
    }
    c.i++;
    if (ch === '\\') out += escape(c, true);
    else out += ch === '[' ? '\\[' : ch;
  }
}

/** Leading RE2 flag groups, `(?i)`, `(?is)`: JS flags; `(?U)` and `(?-i)` have no JS counterpart. */
function leadingFlags(c: Cursor): string {
  let flags = '';
  for (let m = /^\(\?([a-zA-Z-]+)\)/.exec(c.src.slice(c.i)); m !== null; m = /^\(\?([a-zA-Z-]+)\)/.exec(c.src.slice(c.i))) {
    for (const f of m[1] as string) {
      if (f === 'i' || f === 'm' || f === 's') { if (!flags.includes(f)) flags += f; }
      else throw new Re2Error(`flag (?${m[1] as string}) has no JavaScript equivalent`);
    }
    c.i += m[0].length;
  }
  return flags;
}

/** The JavaScript RegExp equivalent to the RE2 `pattern`; throws Re2Error when there is none. */
export function re2ToRegExp(pattern: string): RegExp {
  const c: Cursor = { src: pattern, i: 0, dotAll: false };
  const flags = leadingFlags(c);
  c.dotAll = flags.includes('s');
  const multiline = flags.includes('m');
  let out = '';
  while (c.i < c.src.length) {
    const ch = c.src[c.i++] as string;
    if (ch === '\\') out += escape(c, false);
    else if (ch === '[') out += bracket(c);
    else if (ch === '.') out += c.dotAll ? '[^]' : '[^\\n]';
    // RE2's multi-line anchors break lines at \n only; JS's also at \r, U+2028 and U+2029.
    else if (ch === '^') out += multiline ? '(?<![^\\n])' : '^';
    else if (ch === '$') out += multiline ? '(?![^\\n])' : '$';
    else if (ch === '(' && c.src[c.i] === '?') {
      const rest = c.src.slice(c.i + 1);
      if (rest.startsWith('P<')) { out += '(?<'; c.i += 3; }
      else if (rest.startsWith(':') || (rest.startsWith('<') && !/^<[=!]/.test(rest))) { out += '(?'; c.i += 1; }
      else throw new Re2Error(`group (?${rest.slice(0, 4)}... has no JavaScript equivalent (flags must lead the pattern)`);
    } else out += ch;
  }
  try {
    return new RegExp(out, `u${flags.includes('i') ? 'i' : ''}`);
  } catch (err) {
    throw new Re2Error((err as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}

/**
 * A search (`regexp.MatchString`) with RE2's meaning of `pattern`: the translated JS RegExp where the
 * translation exists and cannot backtrack catastrophically, else re2js (a port of RE2: linear time, so
 * `(a+)+$` on hostile input cannot stall the event loop). A pattern RE2 itself refuses throws Re2Error.
 */
export function re2Matcher(pattern: string): (s: string) => boolean {
  const { RE2JS: Re2, safeRegex } = load();
  let re2: RE2JS;
  try {
    re2 = Re2.compile(pattern);
  } catch (err) {
    throw new Re2Error(`not valid RE2: ${(err as Error).message}`);
  }
  try {
    const js = re2ToRegExp(pattern);
    if (safeRegex(js)) return (s) => js.test(s);
  } catch (err) {
    if (!(err instanceof Re2Error)) throw err;
  }
  return (s) => re2.matcher(s).find();
}
