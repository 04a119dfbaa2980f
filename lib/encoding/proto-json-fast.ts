import protobuf from 'protobufjs';
import { isWellKnown } from './proto-json.js';

type Obj = Record<string, unknown>;

/** Why a compiled writer gives up on a value: the general writer then writes it (or throws as it does). */
const GIVE_UP = Symbol('give up');

/** Writes one value of a field's kind as JSON text, or GIVE_UP when the value needs protobufjs' conversions. */
type ValueWriter = (value: unknown) => string | typeof GIVE_UP;

/** One field of a compiled writer: its quoted JSON key, how absent values are written, its value writer. */
interface FieldWriter {
  readonly name: string;
  readonly key: string;
  /** JSON of an absent value; undefined leaves the field out (a proto3 optional). */
  readonly absent: string | undefined;
  readonly repeated: boolean;
  readonly write: ValueWriter;
}

export type CompiledWriter = (value: unknown) => string | undefined;

const int32 = (lo: number, hi: number): ValueWriter => (v) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? String(v) : GIVE_UP);
const SCALARS: Readonly<Record<string, { zero: string; write: ValueWriter }>> = {
  string: { zero: '""', write: (v) => (typeof v === 'string' ? JSON.stringify(v) : GIVE_UP) },
  bool: { zero: 'false', write: (v) => (v === true ? 'true' : v === false ? 'false' : GIVE_UP) },
  // NaN, the infinities and -0 have JSON forms of their own: the general writer knows them.
  double: { zero: '0', write: (v) => (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0) ? JSON.stringify(v) : GIVE_UP) },
  int32: { zero: '0', write: int32(-(2 ** 31), 2 ** 31 - 1) },
  sint32: { zero: '0', write: int32(-(2 ** 31), 2 ** 31 - 1) },
  sfixed32: { zero: '0', write: int32(-(2 ** 31), 2 ** 31 - 1) },
  uint32: { zero: '0', write: int32(0, 2 ** 32 - 1) },
  fixed32: { zero: '0', write: int32(0, 2 ** 32 - 1) },
};

const COMPILED = new WeakMap<protobuf.Type, CompiledWriter | null>();

/**
 * A writer made once per message type for what most replies are: strings, bools, 32-bit integers,
 * doubles, lists of them and messages of such fields. It writes the JSON text straight from the
 * reply object, in declaration order with unpopulated fields as their zero values, exactly as
 * {@link ProtoJsonWriter} does after protobufjs' fromObject and toObject, without building either.
 * null for types with fields it does not cover (64-bit integers, floats, bytes, enums, maps, oneofs,
 * well-known types); its result is undefined for a value of another shape than the schema's (a
 * number in a string field, a Message instance), which the general writer then converts.
 */
export function compiledJsonWriter(type: protobuf.Type): CompiledWriter | null {
  let compiled = COMPILED.get(type);
  if (compiled !== undefined) return compiled;
  // A recursive type is never compiled: its writer would have to be used before it exists.
  COMPILED.set(type, null);
  compiled = compile(type);
  COMPILED.set(type, compiled);
  return compiled;
}

function compile(type: protobuf.Type): CompiledWriter | null {
  if (isWellKnown(type)) return null;
  const fields: FieldWriter[] = [];
  for (const field of type.fieldsArray) {
    const f = fieldWriter(field);
    if (f === null) return null;
    fields.push(f);
  }
  return (value) => {
    if (value === undefined || value === null) value = {};
    else if (typeof value !== 'object' || value instanceof protobuf.Message || Array.isArray(value)) return undefined;
    const text = writeFields(fields, value as Obj);
    return text === GIVE_UP ? undefined : text;
  };
}

function fieldWriter(field: protobuf.Field): FieldWriter | null {
  if (field.map) return null;
  const oneof = field.partOf;
  // Only proto3 optionals (a synthetic oneof of one field): left out when unset.
  if (oneof !== null && oneof.fieldsArray.length !== 1) return null;
  const resolved = field.resolve().resolvedType;
  let write: ValueWriter;
  let zero: string;
  if (resolved instanceof protobuf.Type) {
    const inner = compiledJsonWriter(resolved);
    if (inner === null) return null;
    write = (v) => (v === null || v === undefined ? 'null' : (inner(v) ?? GIVE_UP));
    zero = 'null';
  } else if (resolved !== null) {
    return null;
  } else {
    const scalar = SCALARS[field.type];
    if (scalar === undefined) return null;
    ({ write, zero } = scalar);
  }
  const absent = oneof !== null ? undefined : field.repeated ? '[]' : zero;
  return { name: field.name, key: `${JSON.stringify(field.jsonName)}:`, absent, repeated: field.repeated, write };
}

function writeFields(fields: readonly FieldWriter[], obj: Obj): string | typeof GIVE_UP {
  let out = '';
  for (const f of fields) {
    const v = obj[f.name];
    let text: string | typeof GIVE_UP;
    if (v === undefined || v === null) {
      if (f.absent === undefined) continue;
      text = f.absent;
    } else if (f.repeated) {
      if (!Array.isArray(v)) return GIVE_UP;
      text = writeList(f.write, v);
    } else {
      text = f.write(v);
    }
    if (text === GIVE_UP) return GIVE_UP;
    out += out === '' ? f.key + text : `,${f.key}${text}`;
  }
  return `{${out}}`;
}

function writeList(write: ValueWriter, list: readonly unknown[]): string | typeof GIVE_UP {
  let out = '';
  for (let i = 0; i < list.length; i++) {
    // protobufjs turns a null element into the zero value or fails: the general writer decides.
    const item = list[i];
    const text = item === null || item === undefined ? GIVE_UP : write(item);
    if (text === GIVE_UP) return GIVE_UP;
    out += i === 0 ? text : `,${text}`;
  }
  return `[${out}]`;
}
