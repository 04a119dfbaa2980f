import type protobuf from 'protobufjs';
import { codecError } from './errors.js';
import { toFloat32 } from './float32.js';
import { NumberText } from './json-tree.js';

// The scalar rules of proto3 JSON as Go's protojson applies them: integers, floats, bytes, enums, map keys.

/** An enum name the schema does not know: protojson with DiscardUnknown leaves the field unset. */
export const SKIP = Symbol('skip');

const INT_BOUNDS: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n], sint32: [-(2n ** 31n), 2n ** 31n - 1n], sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n], fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n], sint64: [-(2n ** 63n), 2n ** 63n - 1n], sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n], fixed64: [0n, 2n ** 64n - 1n],
};
const NUMBER_SYNTAX = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The 400 for a value protojson refuses, naming where it is. */
export function fail(path: string, why: string): never {
  throw codecError(`body unmarshal: ${path}: ${why}`);
}

/** A JSON number as the reader sees it: plain, or kept as its source text. */
export function asNumber(value: unknown): NumberText | number | undefined {
  return typeof value === 'number' || value instanceof NumberText ? value : undefined;
}

/** A JSON string (readJson hands numbers that need their digits over as {@link NumberText}, never as strings). */
export function isRealString(value: unknown): value is string {
  return typeof value === 'string';
}

/** The exact integer a decimal lexeme spells (`1e3`, `2.50e1`), or undefined when it has a fraction. */
function exactInteger(text: string): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) return undefined;
  const exp = Number(m[4] ?? '0');
  let digits = `${m[2]}${m[3] ?? ''}`;
  let scale = exp - (m[3]?.length ?? 0);
  if (scale < -400 || scale > 400) return /^0*$/.test(digits) ? 0n : undefined;
  if (scale < 0) {
    const cut = digits.length + scale;
    if (!/^0*$/.test(digits.slice(Math.max(0, cut)))) return undefined;
    digits = cut > 0 ? digits.slice(0, cut) : '0';
    scale = 0;
  }
  const n = BigInt(digits) * 10n ** BigInt(scale);
  return m[1] === '-' ? -n : n;
}

function readInteger(kind: string, value: unknown, path: string): number | string {
  let n: bigint | undefined;
  const num = asNumber(value);
  if (num instanceof NumberText) n = exactInteger(num.text);
  else if (typeof num === 'number') n = Number.isInteger(num) ? BigInt(num) : undefined;
  else if (isRealString(value) && NUMBER_SYNTAX.test(value)) n = exactInteger(value);
  else fail(path, `invalid value for ${kind}: ${JSON.stringify(value)}`);
  if (n === undefined) fail(path, `not an integer for ${kind}`);
  const [lo, hi] = INT_BOUNDS[kind] as readonly [bigint, bigint];
  if (n < lo || n > hi) fail(path, `out of range for ${kind}`);
  return kind.endsWith('64') ? n.toString() : Number(n);
}

function readFloat(kind: string, value: unknown, path: string): number {
  let n: number;
  const num = asNumber(value);
  if (num !== undefined) n = typeof num === 'number' ? num : num.value;
  else if (value === 'NaN') return Number.NaN;
  else if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  else if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  else if (isRealString(value) && NUMBER_SYNTAX.test(value)) n = Number(value);
  else fail(path, `invalid value for ${kind}: ${JSON.stringify(value)}`);
  if (!Number.isFinite(n)) fail(path, `out of range for ${kind}`);
  if (kind === 'double') return n;
  const f = toFloat32(n);
  if (f === undefined) fail(path, 'out of range for float');
  return f;
}

export function mapKey(keyType: string, key: string, path: string): string {
  if (keyType === 'string') return key;
  if (keyType === 'bool') {
    if (key !== 'true' && key !== 'false') fail(path, `invalid bool map key ${JSON.stringify(key)}`);
    return key;
  }
  // Go reads integer map keys with strconv.ParseInt/ParseUint: a sign and leading zeros are fine.
  if (!/^[-+]?\d+$/.test(key)) fail(path, `invalid ${keyType} map key ${JSON.stringify(key)}`);
  const n = BigInt(key);
  const [lo, hi] = INT_BOUNDS[keyType] as readonly [bigint, bigint];
  if (n < lo || n > hi) fail(path, `map key out of range for ${keyType}: ${JSON.stringify(key)}`);
  return n.toString();
}

export function readEnum(type: protobuf.Enum, value: unknown, path: string): string | number | typeof SKIP {
  if (type.fullName === '.google.protobuf.NullValue' && (value === null || value === 'NULL_VALUE')) return 'NULL_VALUE';
  if (isRealString(value)) return Object.hasOwn(type.values, value) ? value : SKIP;
  const n = readInteger('int32', value, path) as number;
  return type.valuesById[n] ?? n;
}

export function readScalar(kind: string, value: unknown, path: string): unknown {
  switch (kind) {
    case 'string':
      if (!isRealString(value)) fail(path, `expected a string, got ${JSON.stringify(value)}`);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') fail(path, `expected true or false, got ${JSON.stringify(value)}`);
      return value;
    case 'bytes':
      if (!isRealString(value) || !BASE64.test(value)) fail(path, 'expected base64 text');
      return Buffer.from(value, 'base64');
    case 'double':
    case 'float':
      return readFloat(kind, value, path);
    default:
      return readInteger(kind, value, path);
  }
}
