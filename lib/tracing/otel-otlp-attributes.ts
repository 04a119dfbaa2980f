import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { ProtoWriter } from './otel-otlp-writer.js';

// OTLP KeyValue / AnyValue (opentelemetry-proto common/v1), written as the OTel SDK's serializer writes
// them; a string attribute is encoded once per key and value and copied after that.

const MAX_CACHED = 10_000;
const MAX_CACHED_LENGTH = 256;
const stringAttributes = new Map<string, Map<string, Uint8Array>>();
let cachedStringAttributes = 0;

/** Bytes `write` puts in a writer of their own. */
export function encoded(write: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter(256);
  write(w);
  return w.finish();
}

/** Each own attribute as a KeyValue after `tag`; a string value from the cache of key and value. */
export function writeAttributes(w: ProtoWriter, attributes: Attributes, tag: number): void {
  for (const key in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    const value = attributes[key];
    w.byte(tag);
    if (typeof value === 'string') {
      w.raw(stringAttribute(key, value));
      continue;
    }
    const kv = w.begin();
    writeKeyValue(w, key, value);
    w.end(kv);
  }
}

function writeKeyValue(w: ProtoWriter, key: string, value: unknown): void {
  w.byte(0x0a);
  w.string(key);
  w.byte(0x12);
  const v = w.begin();
  writeAnyValue(w, value);
  w.end(v);
}

function writeAnyValue(w: ProtoWriter, value: unknown): void {
  if (typeof value === 'string') {
    w.byte(0x0a);
    w.string(value);
  } else if (typeof value === 'boolean') {
    w.byte(0x10);
    w.byte(value ? 1 : 0);
  } else if (typeof value === 'number') {
    // int64 when the number is an integer int64 holds, else double.
    if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
      w.byte(0x18);
      w.varint(value);
    } else {
      w.byte(0x21);
      w.double(value);
    }
  } else if (value instanceof Uint8Array) {
    w.byte(0x3a);
    w.bytes(value);
  } else if (Array.isArray(value)) {
    w.byte(0x2a);
    const array = w.begin();
    for (const item of value as AttributeValue[]) {
      w.byte(0x0a);
      const v = w.begin();
      writeAnyValue(w, item);
      w.end(v);
    }
    w.end(array);
  } else if (typeof value === 'object' && value !== null) {
    w.byte(0x32);
    const list = w.begin();
    const object = value as Record<string, unknown>;
    for (const k in object) {
      if (!Object.prototype.hasOwnProperty.call(object, k)) continue;
      w.byte(0x0a);
      const kv = w.begin();
      writeKeyValue(w, k, object[k]);
      w.end(kv);
    }
    w.end(list);
  }
  // Any other value (undefined, null, a bigint...) writes an empty AnyValue, as the SDK does.
}

function stringAttribute(key: string, value: string): Uint8Array {
  let byValue = stringAttributes.get(key);
  let bytes = byValue?.get(value);
  if (bytes !== undefined) return bytes;
  bytes = encoded((w) => {
    const kv = w.begin();
    writeKeyValue(w, key, value);
    w.end(kv);
  });
  // Only short values are kept: the framework's constant attributes, not a user's long one-off values.
  if (cachedStringAttributes < MAX_CACHED && key.length + value.length <= MAX_CACHED_LENGTH) {
    if (byValue === undefined) stringAttributes.set(key, (byValue = new Map()));
    byValue.set(value, bytes);
    cachedStringAttributes++;
  }
  return bytes;
}

