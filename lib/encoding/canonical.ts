import protobuf from 'protobufjs';

/**
 * How handlers see messages: 64-bit integers as decimal strings (no precision loss), enums as
 * names, every field present (unset messages null), bytes as Buffer, well-known types in their
 * message form (a Timestamp is `{ seconds: '1704164645', nanos: 0 }`).
 */
export const CANONICAL: protobuf.IConversionOptions = Object.freeze({
  longs: String,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
});

/**
 * The canonical object of a message, or of a plain object that may be partial, use numbers for
 * 64-bit fields or numbers for enums (`fromObject` normalises all of that first).
 */
export function toCanonical(
  type: protobuf.Type,
  message: protobuf.Message | Record<string, unknown>,
): Record<string, unknown> {
  const msg = message instanceof protobuf.Message ? message : type.fromObject(message);
  return type.toObject(msg, CANONICAL);
}

/** The canonical defaults of each message type, as [field, default] pairs, made once per type. */
const DEFAULTS = new WeakMap<protobuf.Type, [string, unknown][]>();

function defaultsOf(type: protobuf.Type): [string, unknown][] {
  let defaults = DEFAULTS.get(type);
  if (defaults === undefined) {
    defaults = Object.entries(toCanonical(type, {}));
    DEFAULTS.set(type, defaults);
  }
  return defaults;
}

/** A fresh copy of a default: lists, maps and bytes are never shared between messages. */
function freshDefault(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  if (value instanceof Uint8Array) return Buffer.alloc(0);
  return value !== null && typeof value === 'object' ? {} : value;
}

/** A message-typed field of a type, with how it nests (made once per type). */
interface NestedField {
  readonly type: protobuf.Type;
  readonly map: boolean;
  readonly repeated: boolean;
}
const NESTED = new WeakMap<protobuf.Type, ReadonlyMap<string, NestedField>>();

function nestedOf(type: protobuf.Type): ReadonlyMap<string, NestedField> {
  let nested = NESTED.get(type);
  if (nested === undefined) {
    const m = new Map<string, NestedField>();
    for (const field of type.fieldsArray) {
      const sub = field.resolve().resolvedType;
      if (sub instanceof protobuf.Type) m.set(field.name, { type: sub, map: field.map, repeated: field.repeated });
    }
    NESTED.set(type, (nested = m));
  }
  return nested;
}

/**
 * The canonical object of a plain object whose values are already canonical (64-bit integers as
 * decimal strings, enums as names, bytes as Buffer, as the proto3 JSON reader makes them): only the
 * defaults are filled in, so no value goes through protobufjs' Long conversions twice.
 */
export function canonicalFromPlain(type: protobuf.Type, plain: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of defaultsOf(type)) out[name] = freshDefault(value);
  const nested = nestedOf(type);
  for (const name in plain) {
    const field = nested.get(name);
    const value = plain[name];
    if (field === undefined || value === null || typeof value !== 'object') {
      out[name] = value;
      continue;
    }
    const sub = field.type;
    if (field.map) {
      const map: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) map[k] = canonicalFromPlain(sub, v as Record<string, unknown>);
      out[name] = map;
    } else if (field.repeated) {
      out[name] = (value as Record<string, unknown>[]).map((v) => canonicalFromPlain(sub, v));
    } else {
      out[name] = canonicalFromPlain(sub, value as Record<string, unknown>);
    }
  }
  return out;
}
