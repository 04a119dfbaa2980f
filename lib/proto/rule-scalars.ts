import { isIPv4, isIPv6 } from 'node:net';
import { re2Matcher } from './re2.js';

/** One check of one value: undefined when it passes, else why it fails. */
export type ValueCheck = (v: unknown) => string | undefined;
export type Rules = Record<string, unknown>;

/** A rule that cannot be honoured (wrong type, bad pattern): the caller adds file, message and field. */
export class RuleError extends Error {}

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

// 64-bit values arrive as decimal strings, so every integer compares as a BigInt (no precision lost).
const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function toBig(v: unknown): bigint | undefined {
  try {
    return typeof v === 'bigint' ? v : BigInt(typeof v === 'object' && v !== null ? String(v) : (v as string | number));
  } catch {
    return undefined;
  }
}

/** Comparable form of a value of proto scalar type `type`: BigInt for integers, Number otherwise. */
export function numeric(type: string): (v: unknown) => number | bigint {
  if (INT64.has(type)) return (v) => toBig(v) ?? NaN;
  return (v) => Number(v);
}

/** const, lt/lte/gt/gte (ranges, and exclusive ranges when the lower bound is above the upper), in, not_in. */
export function rangeChecks<T>(r: Rules, conv: (v: unknown) => T, show: (v: T) => string, cmp: (a: T, b: T) => number): ValueCheck[] {
  const c: ValueCheck[] = [];
  const get = (k: string): T | undefined => (r[k] === undefined || r[k] === null ? undefined : conv(r[k]));
  const cst = get('const');
  if (cst !== undefined) c.push((v) => (cmp(conv(v), cst) === 0 ? undefined : `value must equal ${show(cst)}`));
  const [lt, lte, gt, gte] = [get('lt'), get('lte'), get('gt'), get('gte')];
  const upper = lt ?? lte;
  const lower = gt ?? gte;
  const below = (x: T): boolean => (lt !== undefined ? cmp(x, lt) < 0 : lte === undefined || cmp(x, lte) <= 0);
  const above = (x: T): boolean => (gt !== undefined ? cmp(x, gt) > 0 : gte === undefined || cmp(x, gte) >= 0);
  const lo = lower === undefined ? '' : `${gt !== undefined ? '(' : '['}${show(lower)}`;
  const hi = upper === undefined ? '' : `${show(upper)}${lt !== undefined ? ')' : ']'}`;
  if (upper !== undefined && lower !== undefined) {
    if (cmp(lower, upper) < 0) c.push((v) => { const x = conv(v); return above(x) && below(x) ? undefined : `value must be inside range ${lo}, ${hi}`; });
    else c.push((v) => { const x = conv(v); return above(x) || below(x) ? undefined : `value must be outside range ${lt !== undefined ? '[' : '('}${show(upper)}, ${show(lower)}${gt !== undefined ? ']' : ')'}`; });
  } else if (upper !== undefined) c.push((v) => (below(conv(v)) ? undefined : `value must be less than ${lte !== undefined ? 'or equal to ' : ''}${show(upper)}`));
  else if (lower !== undefined) c.push((v) => (above(conv(v)) ? undefined : `value must be greater than ${gte !== undefined ? 'or equal to ' : ''}${show(lower)}`));
  const inList = list(r['in']).map(conv);
  if (inList.length > 0) c.push((v) => (inList.some((x) => cmp(conv(v), x) === 0) ? undefined : `value must be in list [${inList.map(show).join(', ')}]`));
  const notIn = list(r['not_in']).map(conv);
  if (notIn.length > 0) c.push((v) => (notIn.some((x) => cmp(conv(v), x) === 0) ? `value must not be in list [${notIn.map(show).join(', ')}]` : undefined));
  return c;
}

const order = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN);

// The shortest decimal that reads back as the same float32 (99.99, not 99.98999786376953).
function showFloat32(v: number | bigint): string {
  const n = Number(v);
  for (let p = 1; p < 10; p++) if (Math.fround(Number(n.toPrecision(p))) === n) return String(Number(n.toPrecision(p)));
  return String(n);
}

/** Checks of numeric rules for a field of proto scalar `type`; float rules compare at float32 precision. */
export function numberChecks(type: string, r: Rules): ValueCheck[] {
  const conv = type === 'float' ? (v: unknown) => Math.fround(Number(v)) : numeric(type);
  return rangeChecks<number | bigint>(r, conv, type === 'float' ? showFloat32 : String, order);
}

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// RFC 3986 characters (unreserved, reserved, '%'); '%' must start a two-digit escape.
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const HEADER_NAME = /^:?[0-9a-zA-Z!#$%&'*+\-.^_|~`]+$/;
const HEADER_VALUE = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
const LOOSE_HEADER = /^[^\u0000\u000A\u000D]*$/;

// As Go's net.ParseIP: no IPv6 zone (`fe80::1%eth0`).
const ipv6 = (s: string): boolean => isIPv6(s) && !s.includes('%');
const anyIp = (s: string): boolean => isIPv4(s) || ipv6(s);

/** RFC 1034 hostname (no IDN): dot-separated labels of letters, digits and inner hyphens, 253 characters at most. */
export function isHostname(s: string): boolean {
  const h = s.endsWith('.') ? s.slice(0, -1) : s;
  return h.length > 0 && h.length <= 253 && h.split('.').every((l) => HOST_LABEL.test(l));
}

// protoc-gen-validate reads addresses as Go's net/mail does, so `Name <user@host>` passes;
// protovalidate takes the bare address only.
const DISPLAY_NAME = /^[^<>@]*<([^<>]+)>$/;

function isEmail(given: string, allowName = false): boolean {
  const named = allowName ? DISPLAY_NAME.exec(given) : null;
  const s = named === null ? given : (named[1] as string);
  const at = s.lastIndexOf('@');
  if (at <= 0 || s.length > 254) return false;
  const local = s.slice(0, at);
  return local.length <= 64 && ATEXT.test(local) && isHostname(s.slice(at + 1));
}

function isUri(s: string): boolean {
  if (!SCHEME.test(s) || !URI_CHARS.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

// Code points, counted without allocating: a surrogate pair is one.
function runes(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}
const bytesOf = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Checks of PGV/protovalidate string rules; a `pattern` is translated from RE2 (throws RuleError). */
export function stringChecks(r: Rules, set: 'pgv' | 'buf' = 'pgv'): ValueCheck[] {
  const c: ValueCheck[] = [];
  const s = (f: (x: string) => string | undefined): ValueCheck => (v) => f(String(v));
  const n = (k: string): number | undefined => (r[k] === undefined ? undefined : Number(r[k]));
  const str = (k: string): string | undefined => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
  const [len, min, max, lenB, minB, maxB] = [n('len'), n('min_len'), n('max_len'), n('len_bytes'), n('min_bytes'), n('max_bytes')];
  if (str('const') !== undefined) c.push(s((x) => (x === str('const') ? undefined : `value must equal ${JSON.stringify(str('const'))}`)));
  if (len !== undefined) c.push(s((x) => (runes(x) === len ? undefined : `value length must be ${len} characters`)));
  if (min !== undefined) c.push(s((x) => (runes(x) >= min ? undefined : `value length must be at least ${min} characters`)));
  if (max !== undefined) c.push(s((x) => (runes(x) <= max ? undefined : `value length must be at most ${max} characters`)));
  if (lenB !== undefined) c.push(s((x) => (bytesOf(x) === lenB ? undefined : `value length must be ${lenB} bytes`)));
  if (minB !== undefined) c.push(s((x) => (bytesOf(x) >= minB ? undefined : `value length must be at least ${minB} bytes`)));
  if (maxB !== undefined) c.push(s((x) => (bytesOf(x) <= maxB ? undefined : `value length must be at most ${maxB} bytes`)));
  const pattern = str('pattern');
  if (pattern !== undefined) {
    const re = compilePattern(pattern);
    c.push(s((x) => (re.test(x) ? undefined : `value does not match regex pattern ${JSON.stringify(pattern)}`)));
  }
  const affix = (k: string, test: (x: string, a: string) => boolean, msg: string): void => {
    const a = str(k);
    if (a !== undefined) c.push(s((x) => (test(x, a) ? undefined : `${msg} ${JSON.stringify(a)}`)));
  };
  affix('prefix', (x, a) => x.startsWith(a), 'value does not have prefix');
  affix('suffix', (x, a) => x.endsWith(a), 'value does not have suffix');
  affix('contains', (x, a) => x.includes(a), 'value does not contain substring');
  affix('not_contains', (x, a) => !x.includes(a), 'value contains substring');
  const inList = list(r['in']).map(String);
  if (inList.length > 0) c.push(s((x) => (inList.includes(x) ? undefined : `value must be in list [${inList.join(', ')}]`)));
  const notIn = list(r['not_in']).map(String);
  if (notIn.length > 0) c.push(s((x) => (notIn.includes(x) ? `value must not be in list [${notIn.join(', ')}]` : undefined)));
  const fmt = (k: string, ok: (x: string) => boolean, what: string): void => {
    if (r[k] === true) c.push(s((x) => (ok(x) ? undefined : `value must be a valid ${what}`)));
  };
  fmt('email', (x) => isEmail(x, set === 'pgv'), 'email address');
  fmt('hostname', isHostname, 'hostname');
  fmt('ip', anyIp, 'IP address');
  fmt('ipv4', isIPv4, 'IPv4 address');
  fmt('ipv6', ipv6, 'IPv6 address');
  fmt('uri', isUri, 'URI');
  fmt('uri_ref', (x) => URI_CHARS.test(x), 'URI reference');
  fmt('address', (x) => anyIp(x) || isHostname(x), 'hostname or IP address');
  fmt('uuid', (x) => UUID.test(x), 'UUID');
  const known = r['well_known_regex'];
  if (known !== undefined && known !== 'UNKNOWN' && known !== 'KNOWN_REGEX_UNSPECIFIED' && known !== 0) {
    const name = known === 1 || known === 'HTTP_HEADER_NAME' || known === 'KNOWN_REGEX_HTTP_HEADER_NAME';
    const re = r['strict'] === false ? LOOSE_HEADER : name ? HEADER_NAME : HEADER_VALUE;
    c.push(s((x) => (re.test(x) && (!name || x.length > 0) ? undefined : `value must be a valid HTTP header ${name ? 'name' : 'value'}`)));
  }
  return c;
}

/** An RE2 pattern as a matcher with RE2's meaning, or a RuleError naming it. */
export function compilePattern(pattern: string): { test(s: string): boolean } {
  try {
    const test = re2Matcher(pattern);
    return { test };
  } catch (err) {
    throw new RuleError(`pattern ${JSON.stringify(pattern)} cannot be used: ${(err as Error).message}`);
  }
}

const asBuffer = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v ?? ''), 'base64'));
// Option values of bytes rules are parsed from the .proto as strings (escapes already applied, one char per byte).
const ruleBytes = (v: unknown): Buffer => (typeof v === 'string' ? Buffer.from(v, 'latin1') : asBuffer(v));

/** Checks of PGV bytes rules (lengths in bytes, affixes, in/not_in, ip/ipv4/ipv6 as 4 or 16 raw bytes). */
export function bytesChecks(r: Rules): ValueCheck[] {
  const c: ValueCheck[] = [];
  const b = (f: (x: Buffer) => string | undefined): ValueCheck => (v) => f(asBuffer(v));
  const n = (k: string): number | undefined => (r[k] === undefined ? undefined : Number(r[k]));
  const [len, min, max] = [n('len'), n('min_len'), n('max_len')];
  if (r['const'] !== undefined) { const k = ruleBytes(r['const']); c.push(b((x) => (x.equals(k) ? undefined : `value must equal ${k.toString('hex')} (hex)`))); }
  if (len !== undefined) c.push(b((x) => (x.length === len ? undefined : `value length must be ${len} bytes`)));
  if (min !== undefined) c.push(b((x) => (x.length >= min ? undefined : `value length must be at least ${min} bytes`)));
  if (max !== undefined) c.push(b((x) => (x.length <= max ? undefined : `value length must be at most ${max} bytes`)));
  if (typeof r['pattern'] === 'string') {
    const re = compilePattern(r['pattern']);
    c.push(b((x) => (re.test(x.toString('utf8')) ? undefined : `value does not match regex pattern ${JSON.stringify(r['pattern'])}`)));
  }
  if (r['prefix'] !== undefined) { const k = ruleBytes(r['prefix']); c.push(b((x) => (x.subarray(0, k.length).equals(k) ? undefined : `value does not have prefix ${k.toString('hex')} (hex)`))); }
  if (r['suffix'] !== undefined) { const k = ruleBytes(r['suffix']); c.push(b((x) => (x.length >= k.length && x.subarray(x.length - k.length).equals(k) ? undefined : `value does not have suffix ${k.toString('hex')} (hex)`))); }
  if (r['contains'] !== undefined) { const k = ruleBytes(r['contains']); c.push(b((x) => (x.includes(k) ? undefined : `value does not contain ${k.toString('hex')} (hex)`))); }
  const inList = list(r['in']).map(ruleBytes);
  if (inList.length > 0) c.push(b((x) => (inList.some((k) => k.equals(x)) ? undefined : 'value must be in list')));
  const notIn = list(r['not_in']).map(ruleBytes);
  if (notIn.length > 0) c.push(b((x) => (notIn.some((k) => k.equals(x)) ? 'value must not be in list' : undefined)));
  if (r['ip'] === true) c.push(b((x) => (x.length === 4 || x.length === 16 ? undefined : 'value must be a valid IP address')));
  if (r['ipv4'] === true) c.push(b((x) => (x.length === 4 ? undefined : 'value must be a valid IPv4 address')));
  if (r['ipv6'] === true) c.push(b((x) => (x.length === 16 ? undefined : 'value must be a valid IPv6 address')));
  return c;
}
