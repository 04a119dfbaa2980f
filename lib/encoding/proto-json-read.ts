import protobuf from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';
import { errorMessage } from './errors.js';
import { NumberText } from './json-tree.js';
import { asNumber, fail, isRealString, mapKey, readEnum, readScalar, SKIP } from './proto-json-scalars.js';
import { isUnsafeKey } from './safe-keys.js';

type Obj = Record<string, unknown>;

/** Well-known types whose JSON is a string with its own grammar; protobufjs' readers are exact for them. */
const STRING_WKTS: ReadonlySet<string> = new Set(['.google.protobuf.Timestamp', '.google.protobuf.Duration', '.google.protobuf.FieldMask']);

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
