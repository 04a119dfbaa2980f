import protobuf from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';
import { float32Shortest } from './float32.js';
import { SPECIAL_JSON_TYPES } from './proto-json-read.js';

type Obj = Record<string, unknown>;

/** What protobufjs' toObject gives for set fields only; the writer fills in the rest as Go does. */
const SET_FIELDS: protobuf.IConversionOptions = Object.freeze({ longs: String, enums: String, bytes: String });
const LONG_KINDS: ReadonlySet<string> = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function number(writer: { negativeZero: boolean }, kind: string, value: unknown): unknown {
  const n = typeof value === 'number' ? value : Number(value);
  if (Object.is(n, -0)) writer.negativeZero = true;
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  return kind === 'float' ? float32Shortest(n) : n;
}

/** Map and Struct keys are data: `__proto__` must become an own key, not the object's prototype. */
function setOwn(obj: Obj, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** What EmitUnpopulated writes for a field the message does not carry. */
function unpopulated(field: protobuf.Field): unknown {
  if (field.map) return {};
  if (field.repeated) return [];
  const t = field.resolve().resolvedType;
  if (t instanceof protobuf.Type) return null;
  if (t instanceof protobuf.Enum) return t.fullName === '.google.protobuf.NullValue' ? null : (t.valuesById[0] ?? Object.keys(t.values)[0] ?? 0);
  if (LONG_KINDS.has(field.type)) return '0';
  if (field.type === 'bool') return false;
  if (field.type === 'string' || field.type === 'bytes') return '';
  return 0;
}

/** How a field's value is written: worked out once per field, not per value. */
const enum Kind {
  Plain,
  Number,
  Message,
  NullValue,
}

/** One field of a type's JSON plan. */
interface FieldPlan {
  readonly name: string;
  readonly jsonName: string;
  /** Member of a oneof (or a proto3 optional): left out when unset. */
  readonly inOneof: boolean;
  readonly map: boolean;
  readonly repeated: boolean;
  /** Map keys of a 64-bit kind (written as decimal strings), and whether unsigned. */
  readonly longKeys: boolean;
  readonly unsignedKeys: boolean;
  readonly kind: Kind;
  /** 'float' or 'double' for numbers. */
  readonly scalar: string;
  readonly message: protobuf.Type | undefined;
  /** The unpopulated value of a singular field (lists and maps get a fresh [] or {}). */
  readonly zero: unknown;
}

/** Each type's fields as the writer walks them, made on the first message of the type. */
const PLANS = new WeakMap<protobuf.Type, readonly FieldPlan[]>();

function planOf(type: protobuf.Type): readonly FieldPlan[] {
  let plan = PLANS.get(type);
  if (plan === undefined) {
    plan = type.fieldsArray.map((field): FieldPlan => {
      const t = field.resolve().resolvedType;
      const keyType = field.map ? (field as unknown as protobuf.MapField).keyType : '';
      const kind =
        t instanceof protobuf.Type ? Kind.Message
        : t instanceof protobuf.Enum ? (t.fullName === '.google.protobuf.NullValue' ? Kind.NullValue : Kind.Plain)
        : field.type === 'float' || field.type === 'double' ? Kind.Number
        : Kind.Plain;
      return {
        name: field.name,
        jsonName: field.jsonName,
        inOneof: field.partOf !== null,
        map: field.map,
        repeated: field.repeated,
        longKeys: LONG_KINDS.has(keyType),
        unsignedKeys: keyType === 'uint64' || keyType === 'fixed64',
        kind,
        scalar: field.type,
        message: t instanceof protobuf.Type ? t : undefined,
        zero: field.map || field.repeated ? undefined : unpopulated(field),
      };
    });
    PLANS.set(type, plan);
  }
  return plan;
}

/**
 * Proto3 JSON exactly as Go's protojson writes it with Kratos' options (EmitUnpopulated): every
 * field in declaration order, unset ones as their zero value (messages null, lists [], maps {}),
 * unset oneof members and proto3 optionals left out, 64-bit integers as strings, float32 in its own
 * shortest form, NullValue as null, and an Any's message with its unpopulated fields too.
 */
export class ProtoJsonWriter {
  /** Set when a -0 was written: JSON.stringify prints it as 0, Go as -0 (see {@link stringifyProtoJson}). */
  negativeZero = false;

  constructor(readonly root: protobuf.NamespaceBase) {}

  /** JSON of a message, a canonical object or a partial plain object of `type`. */
  write(type: protobuf.Type, value: unknown): unknown {
    const message = value instanceof protobuf.Message ? value : type.fromObject((value ?? {}) as Obj);
    return this.#message(type, type.toObject(message, SET_FIELDS));
  }

  #message(type: protobuf.Type, obj: Obj): unknown {
    if (SPECIAL_JSON_TYPES.has(type.fullName)) return this.#wellKnown(type, obj);
    const out: Obj = {};
    for (const field of planOf(type)) {
      const key = field.jsonName;
      const value = obj[field.name];
      if (value === undefined || value === null) {
        if (!field.inOneof) out[key] = field.map ? {} : field.repeated ? [] : field.zero;
        continue;
      }
      if (field.map) {
        const map: Obj = {};
        for (const [k, v] of Object.entries(value as Obj)) {
          const name = field.longKeys ? protobuf.util.longFromKey(k, field.unsignedKeys).toString() : k;
          setOwn(map, name, this.#singular(field, v));
        }
        out[key] = map;
      } else if (field.repeated) {
        out[key] = (value as unknown[]).map((v) => this.#singular(field, v));
      } else {
        out[key] = this.#singular(field, value);
      }
    }
    return out;
  }

  #singular(field: FieldPlan, value: unknown): unknown {
    switch (field.kind) {
      case Kind.Message:
        return this.#message(field.message as protobuf.Type, (value ?? {}) as Obj);
      case Kind.NullValue:
        return null;
      case Kind.Number:
        return number(this, field.scalar, value);
      default:
        return value;
    }
  }

  #wellKnown(type: protobuf.Type, obj: Obj): unknown {
    switch (type.fullName) {
      case '.google.protobuf.Timestamp':
      case '.google.protobuf.Duration':
      case '.google.protobuf.FieldMask':
        return protojson.toJson(type, type.fromObject(obj));
      case '.google.protobuf.Struct':
        return this.#struct(obj);
      case '.google.protobuf.ListValue':
        return ((obj['values'] ?? []) as Obj[]).map((v) => this.#value(v));
      case '.google.protobuf.Value':
        return this.#value(obj);
      case '.google.protobuf.Empty':
        return {};
      case '.google.protobuf.Any':
        return this.#any(type, obj);
      default: {
        const field = planOf(type).find((f) => f.name === 'value') as FieldPlan;
        return this.#singular(field, obj['value'] ?? field.zero);
      }
    }
  }

  #struct(obj: Obj): Obj {
    const out: Obj = {};
    for (const [k, v] of Object.entries((obj['fields'] ?? {}) as Obj)) setOwn(out, k, this.#value(v as Obj));
    return out;
  }

  #value(obj: Obj): unknown {
    if (obj['structValue'] !== undefined && obj['structValue'] !== null) return this.#struct(obj['structValue'] as Obj);
    if (obj['listValue'] !== undefined && obj['listValue'] !== null) return ((obj['listValue'] as Obj)['values'] as Obj[] | undefined ?? []).map((v) => this.#value(v));
    if (obj['numberValue'] !== undefined) {
      const n = obj['numberValue'] as number;
      if (Object.is(n, -0)) this.negativeZero = true;
      // Go refuses to write a Value that holds NaN or an infinity: JSON has no such number.
      if (!Number.isFinite(n)) throw new Error(`google.protobuf.Value cannot hold ${n}`);
      return n;
    }
    if (obj['stringValue'] !== undefined) return obj['stringValue'];
    if (obj['boolValue'] !== undefined) return obj['boolValue'];
    return null;
  }

  #any(type: protobuf.Type, obj: Obj): unknown {
    // protobufjs' bundled any.proto keeps the proto name type_url; a loaded one may camel-case it.
    const url = obj[(type.fieldsById[1] as protobuf.Field).name] as string | undefined;
    if (url === undefined || url === '') return {};
    const inner = this.root.lookupType(url.slice(url.lastIndexOf('/') + 1));
    const bytes = Buffer.from((obj['value'] ?? '') as string, 'base64');
    const json = this.#message(inner, inner.toObject(inner.decode(bytes), SET_FIELDS));
    if (SPECIAL_JSON_TYPES.has(inner.fullName)) return { '@type': url, value: json };
    return { '@type': url, ...(json as Obj) };
  }
}

const NEGATIVE_ZERO = `\u0000-0:${Math.random().toString(36).slice(2)}`;

/** JSON text of what {@link ProtoJsonWriter} wrote, with -0 kept as Go's protojson writes it. */
export function stringifyProtoJson(writer: ProtoJsonWriter, json: unknown): string {
  if (!writer.negativeZero) return JSON.stringify(json);
  const text = JSON.stringify(json, (_key, value: unknown) => (Object.is(value, -0) ? NEGATIVE_ZERO : value));
  return text.replaceAll(JSON.stringify(NEGATIVE_ZERO), '-0');
}
