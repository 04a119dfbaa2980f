import type protobuf from 'protobufjs';
import { fieldByJsonKey } from './proto-json-read.js';

/**
 * The field a client names by its JSON name (`userName`) or its proto name (`user_name`), as
 * Kratos' form decoder looks fields up (ByName, then ByJSONName): a field with its own json_name is
 * not found by its lowerCamel name. Undefined when the message has no such field.
 */
export function findField(type: protobuf.Type, name: string): protobuf.Field | undefined {
  return fieldByJsonKey(type, name);
}

/** One step of a form key: a field name, or a bracketed part (`[key]`, or `[]` for "append"). */
export interface KeySegment {
  readonly text: string;
  readonly bracket: boolean;
}

/**
 * Splits `a.b`, `ids[]`, `m[k]`, `m[k].sub` into segments; brackets let map keys hold dots.
 * Undefined for keys with an unclosed bracket, which are ignored like unknown keys. Splitting stops
 * after `maxSegments + 1` segments, so callers can refuse an over-deep key without splitting it all.
 */
export function splitKey(key: string, maxSegments = Number.POSITIVE_INFINITY): KeySegment[] | undefined {
  const out: KeySegment[] = [];
  let i = 0;
  while (i < key.length) {
    // Stop as soon as the key is known to be too deep, before a hostile key costs its whole length.
    if (out.length > maxSegments) return out;
    if (key[i] === '[') {
      const end = key.indexOf(']', i + 1);
      if (end < 0) return undefined;
      out.push({ text: key.slice(i + 1, end), bracket: true });
      i = end + 1;
      if (key[i] === '.') i++;
      continue;
    }
    let end = i;
    while (end < key.length && key[end] !== '.' && key[end] !== '[') end++;
    out.push({ text: key.slice(i, end), bracket: false });
    i = key[end] === '.' ? end + 1 : end;
  }
  return out;
}
