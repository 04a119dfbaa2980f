import type protobuf from 'protobufjs';
import { codecError } from './errors.js';
import { float32Shortest, toFloat32 } from './float32.js';
import { enumTypeOf, isLongType } from './proto-json.js';

const INT_PATTERN = /^[-+]?\d+$/;
// Node's base64 decoder silently skips foreign characters, so validate the alphabet first.
const BASE64_PATTERN = /^[A-Za-z0-9+/_-]*={0,2}$/;

const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

// Go's strconv.ParseBool set, since Kratos clients send what Go accepts.
const TRUE_WORDS: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** A boolean from its text form, or undefined when it is not one. */
export function parseBool(raw: string): boolean | undefined {
  if (TRUE_WORDS.has(raw)) return true;
  if (FALSE_WORDS.has(raw)) return false;
  return undefined;
}

/** Bytes from std or URL-safe base64, padded or not; undefined when the text is not base64. */
export function parseBase64(raw: string): Buffer | undefined {
  return BASE64_PATTERN.test(raw) ? Buffer.from(raw, 'base64') : undefined;
}

function parseInteger(kind: string, raw: string, label: string): number | string {
  const range = INT_RANGES[kind];
  if (range === undefined || !INT_PATTERN.test(raw)) throw codecError(`${label}: invalid ${kind}: ${JSON.stringify(raw)}`);
  const n = BigInt(raw);
  if (n < range[0] || n > range[1]) throw codecError(`${label}: out of range for ${kind}: ${JSON.stringify(raw)}`);
  // 64-bit values stay decimal strings in canonical objects so nothing above 2^53 is rounded.
  return isLongType(kind) ? n.toString() : Number(n);
}

function parseFloatText(kind: string, raw: string, label: string): number {
  if (raw === 'NaN') return Number.NaN;
  if (raw === 'Infinity' || raw === '+Infinity') return Number.POSITIVE_INFINITY;
  if (raw === '-Infinity') return Number.NEGATIVE_INFINITY;
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(n)) throw codecError(`${label}: invalid ${kind}: ${JSON.stringify(raw)}`);
  if (kind === 'double') return n;
  // As Go's ParseFloat(s, 32): rounded to float32, and an error only when out of its range.
  const f = toFloat32(n);
  if (f === undefined) throw codecError(`${label}: out of range for float: ${JSON.stringify(raw)}`);
  return f;
}

/**
 * Enum value from a name or a number the enum defines, as Kratos' form decoder reads them (`sex=2`
 * for an enum without 2 is a 400 there too); numbers become names, as in canonical objects.
 */
export function parseEnum(enumType: protobuf.Enum, raw: string, label: string): string {
  if (Object.hasOwn(enumType.values, raw)) return raw;
  if (INT_PATTERN.test(raw)) {
    const n = parseInteger('int32', raw, label) as number;
    const name = enumType.valuesById[n];
    if (name !== undefined) return name;
  }
  throw codecError(`${label}: invalid value for enum ${enumType.name}: ${JSON.stringify(raw)}`);
}

/**
 * The canonical value of a scalar or enum field from its text form (query strings, path
 * variables, XML). Message-typed fields are not handled here.
 */
export function parseScalar(field: protobuf.Field, raw: string, label: string): unknown {
  const enumType = enumTypeOf(field);
  if (enumType !== undefined) return parseEnum(enumType, raw, label);
  switch (field.type) {
    case 'string':
      return raw;
    case 'bool': {
      const b = parseBool(raw);
      if (b === undefined) throw codecError(`${label}: invalid bool: ${JSON.stringify(raw)}`);
      return b;
    }
    case 'bytes': {
      const bytes = parseBase64(raw);
      if (bytes === undefined) throw codecError(`${label}: invalid base64: ${JSON.stringify(raw)}`);
      return bytes;
    }
    case 'double':
    case 'float':
      return parseFloatText(field.type, raw, label);
    default:
      return parseInteger(field.type, raw, label);
  }
}

/**
 * Text form of a canonical scalar or enum value (the inverse of {@link parseScalar}); float32 in its
 * own shortest form (11.23, not 11.229999542236328), as Go prints a float32.
 */
export function formatScalar(field: protobuf.Field, value: unknown, urlSafeBytes: boolean): string {
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    // Padded, as Go's base64.URLEncoding writes it: Kratos' decoder refuses unpadded URL-safe text.
    return urlSafeBytes ? bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_') : bytes.toString('base64');
  }
  if (field.type === 'float' && typeof value === 'number') return String(float32Shortest(value));
  if (typeof value === 'number' && field.type !== 'double' && field.type !== 'float') {
    const enumType = enumTypeOf(field);
    if (enumType !== undefined) return enumType.valuesById[value] ?? String(value);
  }
  return String(value);
}

/** A map key from its text form, as the string key canonical maps use ('true', '-5', 'name'). */
export function parseMapKey(keyType: string, raw: string, label: string): string {
  if (keyType === 'string') return raw;
  if (keyType === 'bool') {
    const b = parseBool(raw);
    if (b === undefined) throw codecError(`${label}: invalid bool map key: ${JSON.stringify(raw)}`);
    return String(b);
  }
  return String(parseInteger(keyType, raw, label));
}
