import protobuf from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';
import { codecError, errorMessage } from './errors.js';
import { toFloat32 } from './float32.js';
import { NumberText, numberFromSentinel } from './json-tree.js';
import { isUnsafeKey } from './safe-keys.js';

type Obj = Record<string, unknown>;

const INT_BOUNDS: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n], sint32: [-(2n ** 31n), 2n ** 31n - 1n], sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n], fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n], sint64: [-(2n ** 63n), 2n ** 63n - 1n], sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n], fixed64: [0n, 2n ** 64n - 1n],
};
const NUMBER_SYNTAX = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
/** Well-known types whose JSON is a string with its own grammar; protobufjs' readers are exact for them. */
const STRING_WKTS: ReadonlySet<string> = new Set(['.google.protobuf.Timestamp', '.google.protobuf.Duration', '.google.protobuf.FieldMask']);

function fail(path: string, why: string): never {
  throw codecError(`body unmarshal: ${path}: ${why}`);
}

/** A JSON number as the reader sees it: plain, kept as text, or rewritten into a marked string. */
function asNumber(value: unknown): NumberText | number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof NumberText) return value;
  return typeof value === 'string' ? numberFromSentinel(value) : undefined;
}

function isRealString(value: unknown): value is string {
  return typeof value === 'string' && value.charCodeAt(0) !== 0;
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

/** Reads proto3 JSON (already parsed) into a plain object protobufjs' fromObject takes, exactly as protojson accepts it. */
export class ProtoJsonReader {
  constructor(readonly root: protobuf.Root | protobuf.NamespaceBase) {}

  message(type: protobuf.Type, json: unknown, path: string): Obj {
    const special = this.#wellKnown(type, json, path);
    if (special !== undefined) return special;
    if (json === null || typeof json !== 'object' || Array.isArray(json) || json instanceof NumberText) {
      fail(path, `expected an object for ${type.name}`);
    }
    const out: Obj = {};
    const seen = new Set<string>();
    for (const key in json as Obj) {
      const field = fieldByJsonKey(type, key);
      if (field === undefined) continue; // DiscardUnknown, as Kratos' codec sets it
      const here = `${path}.${key}`;
      if (seen.has(field.name)) fail(here, 'duplicate field');
      seen.add(field.name);
      const value = (json as Obj)[key];
      if (value === null && !acceptsNull(field)) continue;
      const oneof = field.partOf;
      if (oneof !== null && oneof.oneof.length > 1) {
        const other = oneof.fieldsArray.find((f) => f !== field && seen.has(`oneof:${f.name}`));
        if (other !== undefined) fail(here, `oneof ${oneof.name} is already set`);
        seen.add(`oneof:${field.name}`);
      }
      const read = this.#field(field, value, here);
      if (read !== SKIP) out[field.name] = read;
    }
    return out;
  }

  #field(field: protobuf.Field, value: unknown, path: string): unknown {
    if (field.map) {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof NumberText) fail(path, 'expected an object for a map');
      const out: Obj = {};
      const keyType = (field as unknown as protobuf.MapField).keyType;
      for (const key in value as Obj) {
        if (isUnsafeKey(key)) continue;
        const item = (value as Obj)[key];
        if (item === null && !acceptsNull(field)) fail(`${path}[${key}]`, 'map value is null');
        const read = this.#singular(field, item, `${path}[${key}]`);
        if (read !== SKIP) out[mapKey(keyType, key, path)] = read;
      }
      return out;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) fail(path, 'expected an array');
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === null && !acceptsNull(field)) fail(`${path}[${i}]`, 'list element is null');
        const read = this.#singular(field, item, `${path}[${i}]`);
        if (read !== SKIP) out.push(read);
      }
      return out;
    }
    return this.#singular(field, value, path);
  }

  #singular(field: protobuf.Field, value: unknown, path: string): unknown {
    const resolved = field.resolve().resolvedType;
    if (resolved instanceof protobuf.Type) return this.message(resolved, value, path);
    if (resolved instanceof protobuf.Enum) return readEnum(resolved, value, path);
    return readScalar(field.type, value, path);
  }

  #wellKnown(type: protobuf.Type, json: unknown, path: string): Obj | undefined {
    const name = type.fullName;
    if (!SPECIAL_JSON_TYPES.has(name)) return undefined;
    if (STRING_WKTS.has(name)) {
      if (!isRealString(json)) fail(path, `expected a string for ${type.name}`);
      try {
        return type.toObject(protojson.fromJson(type, json), { longs: String });
      } catch (err) {
        return fail(path, errorMessage(err).replace(/^\.google\.protobuf\.\w+: /, ''));
      }
    }
    if (name.endsWith('Value') && name !== '.google.protobuf.Value' && name !== '.google.protobuf.ListValue') {
      return { value: this.#singular(type.fields['value'] as protobuf.Field, json, path) };
    }
    switch (name) {
      case '.google.protobuf.Value':
        return readValue(json, path);
      case '.google.protobuf.Struct':
        if (typeof json !== 'object' || json === null || Array.isArray(json) || json instanceof NumberText) fail(path, 'expected an object for Struct');
        return (readValue(json, path)['structValue'] as Obj);
      case '.google.protobuf.ListValue':
        if (!Array.isArray(json)) fail(path, 'expected an array for ListValue');
        return (readValue(json, path)['listValue'] as Obj);
      case '.google.protobuf.Empty':
        if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(path, 'expected an object for Empty');
        return {};
      case '.google.protobuf.Any':
        return this.#any(type, json, path);
      default:
        return undefined;
    }
  }

  #any(type: protobuf.Type, json: unknown, path: string): Obj {
    if (typeof json !== 'object' || json === null || Array.isArray(json) || json instanceof NumberText) fail(path, 'expected an object for Any');
    const obj = json as Obj;
    const url = obj['@type'];
    if (Object.keys(obj).length === 0) return {};
    if (!isRealString(url)) fail(path, 'Any is missing "@type"');
    let inner: protobuf.Type;
    try {
      inner = this.root.lookupType(url.slice(url.lastIndexOf('/') + 1));
    } catch {
      return fail(path, `unknown Any type ${JSON.stringify(url)}`);
    }
    let body: unknown;
    if (SPECIAL_JSON_TYPES.has(inner.fullName)) {
      for (const k of Object.keys(obj)) if (k !== '@type' && k !== 'value') fail(`${path}.${k}`, 'unknown field in Any');
      if (!Object.hasOwn(obj, 'value')) fail(path, 'Any is missing "value"');
      body = this.message(inner, obj['value'], `${path}.value`);
    } else {
      const rest: Obj = {};
      for (const k of Object.keys(obj)) if (k !== '@type') rest[k] = obj[k];
      body = this.message(inner, rest, path);
    }
    const bytes = inner.encode(inner.fromObject(body as Obj)).finish();
    const urlField = (type.fieldsById[1] as protobuf.Field).name;
    return { [urlField]: url, value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }
}

/** Well-known types with a JSON form of their own; inside an Any it travels under "value". */
export const SPECIAL_JSON_TYPES: ReadonlySet<string> = new Set(
  ['Any', 'Timestamp', 'Duration', 'FieldMask', 'Struct', 'Value', 'ListValue', 'Empty', 'DoubleValue', 'FloatValue',
    'Int64Value', 'UInt64Value', 'Int32Value', 'UInt32Value', 'BoolValue', 'StringValue', 'BytesValue'].map((n) => `.google.protobuf.${n}`),
);

/** An enum name the schema does not know: protojson with DiscardUnknown leaves the field unset. */
const SKIP = Symbol('skip');

/** JSON `null` means "unset" except where null is itself the value: a google.protobuf.Value, a NullValue. */
function acceptsNull(field: protobuf.Field): boolean {
  const t = field.resolve().resolvedType;
  return t !== null && (t.fullName === '.google.protobuf.Value' || t.fullName === '.google.protobuf.NullValue');
}

/**
 * The field a JSON key names: its JSON name or its proto name. A field with its own json_name is
 * not found by its lowerCamel name (protojson treats that as unknown).
 */
export function fieldByJsonKey(type: protobuf.Type, key: string): protobuf.Field | undefined {
  let names = JSON_NAMES.get(type);
  if (names === undefined) {
    names = new Map();
    for (const field of type.fieldsArray) names.set(field.jsonName, field).set(field.protoName, field);
    JSON_NAMES.set(type, names);
  }
  return names.get(key);
}

/** The names each message type answers to in JSON, made once per type. */
const JSON_NAMES = new WeakMap<protobuf.Type, Map<string, protobuf.Field>>();

function mapKey(keyType: string, key: string, path: string): string {
  if (keyType === 'string') return key;
  if (keyType === 'bool') {
    if (key !== 'true' && key !== 'false') fail(path, `invalid bool map key ${JSON.stringify(key)}`);
    return key;
  }
  if (!/^-?(?:0|[1-9]\d*)$/.test(key)) fail(path, `invalid ${keyType} map key ${JSON.stringify(key)}`);
  return String(readInteger(keyType, key, path));
}

function readEnum(type: protobuf.Enum, value: unknown, path: string): string | number | typeof SKIP {
  if (type.fullName === '.google.protobuf.NullValue' && (value === null || value === 'NULL_VALUE')) return 'NULL_VALUE';
  if (isRealString(value)) return Object.hasOwn(type.values, value) ? value : SKIP;
  const n = readInteger('int32', value, path) as number;
  return type.valuesById[n] ?? n;
}

function readScalar(kind: string, value: unknown, path: string): unknown {
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

/** google.protobuf.Value from any JSON, iteratively (a Struct can nest as deep as the body does). */
function readValue(json: unknown, path: string): Obj {
  const convert = (v: unknown): Obj => {
    if (v === null) return { nullValue: 'NULL_VALUE' };
    if (typeof v === 'boolean') return { boolValue: v };
    const num = asNumber(v);
    if (num !== undefined) return { numberValue: typeof num === 'number' ? num : num.value };
    if (typeof v === 'string') return { stringValue: v };
    if (Array.isArray(v)) return { listValue: { values: [] as Obj[] } };
    return { structValue: { fields: {} as Obj } };
  };
  const top = convert(json);
  const stack: [unknown, Obj][] = [[json, top]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop() as [unknown, Obj];
    if (Array.isArray(src)) {
      const values = (dst['listValue'] as { values: Obj[] }).values;
      for (const item of src) {
        const v = convert(item);
        values.push(v);
        stack.push([item, v]);
      }
    } else if (src !== null && typeof src === 'object' && !(src instanceof NumberText)) {
      const fields = (dst['structValue'] as { fields: Obj }).fields;
      for (const key in src as Obj) {
        if (isUnsafeKey(key)) continue;
        const item = (src as Obj)[key];
        const v = convert(item);
        fields[key] = v;
        stack.push([item, v]);
      }
    }
  }
  return top;
}
