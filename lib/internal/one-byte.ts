/**
 * `s` as V8 holds a string of Latin-1 text, one byte a character. Some strings of plain ASCII are
 * held two bytes a character (protobufjs' parser, unbundled, hands out such names: `%DebugPrint`
 * shows `.helloworld.v1.Greeter` as a two-byte string), and every string joined with one then is too:
 * twice the memory to flatten and the slow path to encode as UTF-8 on every access line, span name
 * and metric label built from it. Text outside Latin-1 is returned as it is.
 */
export function oneByte(s: string): string {
  return /[^\0-\xff]/.test(s) ? s : Buffer.from(s, 'latin1').toString('latin1');
}
