/**
 * `s` as V8 holds a string of Latin-1 text, one byte a character. Text cut from a file that holds
 * any other character (a proto file with a comment in another script, say) stays two-byte however
 * plain it is, and every string joined with it then is too: twice the memory to flatten and the
 * slow path to encode as UTF-8 on every access line, span name and metric label built from it.
 * Text outside Latin-1 is returned as it is.
 */
export function oneByte(s: string): string {
  return /[^\0-\xff]/.test(s) ? s : Buffer.from(s, 'latin1').toString('latin1');
}
