import type protobuf from 'protobufjs';
import { isEnum, isMessage } from './proto-file.js';
import { fullNameOf } from './names.js';

/** An OpenAPI 3.0 schema object, kept as plain JSON. */
export type Schema = { [key: string]: unknown };

// Proto JSON (not canonical form): 64-bit integers are strings there too, bytes are base64.
const SCALAR_SCHEMAS: Readonly<Record<string, Schema>> = {
  double: { type: 'number', format: 'double' },
  float: { type: 'number', format: 'float' },
  int32: { type: 'integer', format: 'int32' },
  sint32: { type: 'integer', format: 'int32' },
  sfixed32: { type: 'integer', format: 'int32' },
  uint32: { type: 'integer', format: 'uint32' },
  fixed32: { type: 'integer', format: 'uint32' },
  int64: { type: 'string', format: 'int64' },
  sint64: { type: 'string', format: 'int64' },
  sfixed64: { type: 'string', format: 'int64' },
  uint64: { type: 'string', format: 'uint64' },
  fixed64: { type: 'string', format: 'uint64' },
  bool: { type: 'boolean' },
  string: { type: 'string' },
  bytes: { type: 'string', format: 'byte' },
};

const WRAPPED: Readonly<Record<string, string>> = {
  DoubleValue: 'double',
  FloatValue: 'float',
  Int64Value: 'int64',
  UInt64Value: 'uint64',
  Int32Value: 'int32',
  UInt32Value: 'uint32',
  BoolValue: 'bool',
  StringValue: 'string',
  BytesValue: 'bytes',
};

/** The well-known types proto JSON writes as something other than an object of their fields. */
function wellKnown(fullName: string): Schema | undefined {
  if (!fullName.startsWith('google.protobuf.')) return undefined;
  const short = fullName.slice('google.protobuf.'.length);
  const wrapped = WRAPPED[short];
  // A wrapper exists to tell "unset" from the default, which proto JSON says with null.
  if (wrapped !== undefined) return { ...SCALAR_SCHEMAS[wrapped], nullable: true };
  switch (short) {
    case 'Timestamp':
      return { type: 'string', format: 'date-time' };
    case 'Duration':
      return { type: 'string', description: "Seconds with up to nine fractional digits, suffixed with 's', e.g. '1.5s'." };
    case 'FieldMask':
      return { type: 'string', description: 'Comma-separated lowerCamel field paths.' };
    case 'Struct':
      return { type: 'object', additionalProperties: true };
    case 'Value':
      return { description: 'Any JSON value.' };
    case 'ListValue':
      return { type: 'array', items: {} };
    case 'Empty':
      return { type: 'object' };
    case 'Any':
      return { type: 'object', properties: { '@type': { type: 'string' } }, additionalProperties: true };
    default:
      return undefined;
  }
}

/** Whether a field of this message type can be a query parameter: the WKTs that proto JSON writes as one scalar. */
export function isScalarLike(type: protobuf.Type): boolean {
  const s = wellKnown(fullNameOf(type));
  return s !== undefined && (s['type'] === 'string' || s['type'] === 'number' || s['type'] === 'integer' || s['type'] === 'boolean');
}

/** Whether a message type is a well-known type with its own JSON form. */
export function isWellKnown(type: protobuf.Type): boolean {
  return wellKnown(fullNameOf(type)) !== undefined;
}

/** The google.api.field_behavior values of a field (REQUIRED, OUTPUT_ONLY, ...), as gnostic reads them. */
function fieldBehaviors(f: protobuf.Field): Set<string> {
  const out = new Set<string>();
  for (const o of f.parsedOptions ?? []) {
    const v = (o as Record<string, unknown>)['(google.api.field_behavior)'];
    for (const b of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.add(String(b));
  }
  return out;
}

/**
 * The `components.schemas` of one document: messages are added on first reference, so the order
 * follows the paths and every generation of the same file gives the same bytes.
 */
export class SchemaSet {
  readonly schemas: Record<string, Schema> = {};

  /** The schema of a message type: a WKT inline, any other message as a `$ref`. */
  ofType(type: protobuf.Type): Schema {
    const name = fullNameOf(type);
    const wkt = wellKnown(name);
    if (wkt !== undefined) return wkt;
    if (!(name in this.schemas)) {
      const properties: Record<string, Schema> = {};
      const schema: Schema = { type: 'object', properties };
      // Registered before its fields so that a recursive message refers to itself instead of looping.
      this.schemas[name] = schema;
      const required: string[] = [];
      for (const f of type.fieldsArray) {
        const behaviors = fieldBehaviors(f);
        const p = this.ofField(f);
        // A $ref takes no sibling keywords in OpenAPI 3.0: only inline schemas say readOnly/writeOnly.
        if (behaviors.has('OUTPUT_ONLY') && !('$ref' in p)) p['readOnly'] = true;
        if (behaviors.has('INPUT_ONLY') && !('$ref' in p)) p['writeOnly'] = true;
        if (behaviors.has('REQUIRED')) required.push(f.name);
        properties[f.name] = p;
      }
      if (required.length > 0) schema['required'] = required;
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  /** The schema of one field's value, repeated and map fields included. */
  ofField(f: protobuf.Field): Schema {
    const one = this.#element(f);
    if (f.map) return { type: 'object', additionalProperties: one };
    return f.repeated ? { type: 'array', items: one } : one;
  }

  #element(f: protobuf.Field): Schema {
    const r = f.resolve().resolvedType;
    if (isMessage(r)) return this.ofType(r);
    if (isEnum(r)) return { type: 'string', enum: Object.keys(r.values) };
    return { ...(SCALAR_SCHEMAS[f.type] ?? {}) };
  }
}
