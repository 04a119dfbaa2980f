/**
 * JSON values written straight into a buffer as the UTF-8 bytes of their `JSON.stringify` text, so
 * that an access line never exists as a string: no rope of pieces to flatten, no string to encode
 * (docs/performance.md "The eighth round: the access line as bytes"). Values of a prepared line are
 * short ASCII nearly always (timestamps, hex ids, codes, a request's JSON), which a byte loop copies
 * faster than a call into the runtime; anything else (a quote, a backslash, a control character,
 * non-ASCII, a lone surrogate) takes JSON.stringify and the runtime's UTF-8 encoder, so escaping is
 * exactly what it always was.
 */

/** The most bytes one UTF-16 code unit can take in JSON text as UTF-8 (`\u001f`, or a lone surrogate's `\udXXX`). */
const UNIT_BYTES = 6;
/** Longer than any JSON.stringify of a number (`-1.7976931348623157e+308` is 24). */
const NUMBER_BYTES = 32;
const LOOP_CHARS = 32;
const PLAIN_LOOP_CHARS = 16;
// Text JSON writes as it is, one byte a character: ASCII from space up, but `"` and `\`.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7f]*$/;

/** The most bytes `putValue` writes for `v` (a primitive of a prepared line). */
export function boundOf(v: unknown): number {
  return typeof v === 'string' ? v.length * UNIT_BYTES + 2 : NUMBER_BYTES;
}

/** Copies prepared bytes (a line's constant parts); returns where they end. */
export function putBytes(into: Buffer, pos: number, bytes: Buffer): number {
  const n = bytes.length;
  if (n > 24) {
    into.set(bytes, pos);
    return pos + n;
  }
  for (let i = 0; i < n; i++) into[pos + i] = bytes[i] as number;
  return pos + n;
}

/** Writes the JSON of a string; returns where it ends. Room for `boundOf(s)` bytes is the caller's. */
export function putString(into: Buffer, pos: number, s: string): number {
  const n = s.length;
  // Longer plain text is checked by one regular expression and copied by the runtime, which beats the
  // byte loop past about 32 characters (measured: 94 against 102 ns at 32, 112 against 197 at 64).
  if (n > LOOP_CHARS && PLAIN.test(s)) {
    into[pos] = 0x22;
    const end = pos + 1 + into.write(s, pos + 1, 'latin1');
    into[end] = 0x22;
    return end + 1;
  }
  into[pos] = 0x22;
  let p = pos + 1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // ASCII from space up is one byte of UTF-8 and written as it is, `"` and `\` after a backslash;
    // control characters (`\n`, `\u001f`) and everything past ASCII are JSON.stringify's.
    if (c < 0x20 || c > 0x7f) return pos + into.write(JSON.stringify(s), pos);
    if (c === 0x22 || c === 0x5c) into[p++] = 0x5c;
    into[p++] = c;
  }
  into[p] = 0x22;
  return p + 1;
}

/**
 * Writes a string that is JSON text as it is (ASCII from space up, no `"` or `\`: a valuer's
 * promise, not checked), quoted; returns where it ends. The runtime copies all but short ones: it
 * takes about the same time for 1 to 32 characters, where the byte loop, on the sliced strings ids
 * are, grows past it at about 16.
 */
export function putPlain(into: Buffer, pos: number, s: string): number {
  const n = s.length;
  into[pos] = 0x22;
  let p = pos + 1;
  if (n > PLAIN_LOOP_CHARS) p += into.write(s, p, 'latin1');
  else for (let i = 0; i < n; i++) into[p++] = s.charCodeAt(i);
  into[p] = 0x22;
  return p + 1;
}

/** Writes ASCII text (a number's JSON); returns where it ends. */
function putAscii(into: Buffer, pos: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) into[pos + i] = s.charCodeAt(i);
  return pos + n;
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/**
 * Writes the JSON of a primitive JSON.stringify writes (string, number, boolean, null); undefined is
 * the caller's (JSON leaves its member out). Returns where it ends.
 */
export function putValue(into: Buffer, pos: number, v: unknown): number {
  if (typeof v === 'string') return putString(into, pos, v);
  // JSON.stringify, not String: String(number) goes through V8's number-to-string cache, which keeps
  // every latency's text alive past a scavenge (more GC than the text of the whole line cost before).
  if (typeof v === 'number') return putAscii(into, pos, JSON.stringify(v));
  if (v === true) return putBytes(into, pos, TRUE);
  if (v === false) return putBytes(into, pos, FALSE);
  return putBytes(into, pos, NULL);
}
