import type protobuf from 'protobufjs';
import { isEnum, isMessage, type TypeLike } from './proto-file.js';
import { commentSafe, fullNameOf, tsTypeName } from './names.js';

/** Scalars in canonical form (lib/encoding): 64-bit integers travel as decimal strings so no precision is lost. */
const SCALARS: Readonly<Record<string, string>> = {
  double: 'number',
  float: 'number',
  int32: 'number',
  uint32: 'number',
  sint32: 'number',
  fixed32: 'number',
  sfixed32: 'number',
  int64: 'string',
  uint64: 'string',
  sint64: 'string',
  fixed64: 'string',
  sfixed64: 'string',
  bool: 'boolean',
  string: 'string',
  bytes: 'Uint8Array',
};

/** Why some well-known types look unlike their proto JSON: handlers see messages, not JSON. */
const WKT_NOTES: Readonly<Record<string, string>> = {
  'google.protobuf.Timestamp': 'in message form; proto JSON writes it as an RFC 3339 string',
  'google.protobuf.Duration': "in message form; proto JSON writes it as a string such as '1.5s'",
  'google.protobuf.FieldMask': "in message form; proto JSON writes it as a comma-separated string of lowerCamel paths",
  'google.protobuf.Struct': 'in message form; proto JSON writes it as a plain JSON object',
  'google.protobuf.Value': 'in message form (one member of `kind` set); proto JSON writes it as any JSON value',
  'google.protobuf.ListValue': 'in message form; proto JSON writes it as a JSON array',
  'google.protobuf.Any': 'in message form (type_url and the packed bytes)',
};

function scalarType(f: protobuf.Field): string {
  return SCALARS[f.type] ?? 'unknown';
}

/** The TypeScript type of one field's value (one element for repeated fields and maps). */
function valueType(f: protobuf.Field, pkg: string): string {
  const r = f.resolve().resolvedType;
  return isMessage(r) || isEnum(r) ? tsTypeName(r, pkg) : scalarType(f);
}

/**
 * One field as a property of the message interface in canonical form: every field is present except
 * oneof members (proto3 `optional` included), which appear only when set; a singular message field
 * that is unset is `null`.
 */
function property(f: protobuf.Field, pkg: string): string {
  const v = valueType(f, pkg);
  if (f.map) return `${f.name}: Record<string, ${v}>;`;
  if (f.repeated) return `${f.name}: ${v}[];`;
  if (f.partOf !== null) return `${f.name}?: ${v};`;
  return isMessage(f.resolvedType) ? `${f.name}: ${v} | null;` : `${f.name}: ${v};`;
}

function doc(t: TypeLike, extra?: string): string {
  const name = fullNameOf(t);
  const text = `${[name, WKT_NOTES[name], extra].filter((p) => p !== undefined).join(': ')}.`;
  const comment: unknown = t.comment;
  if (typeof comment !== 'string' || comment.trim() === '') return `/** ${text} */`;
  // The proto's own doc comment comes first, line by line, then the name it documents.
  const lines = commentSafe(comment.trim()).split('\n').map((l) => (l.trim() === '' ? ' *' : ` * ${l.trimEnd()}`));
  return ['/**', ...lines, ' *', ` * ${text}`, ' */'].join('\n');
}

function messageLines(t: protobuf.Type, pkg: string): string[] {
  const name = tsTypeName(t, pkg);
  if (t.fieldsArray.length === 0) return [doc(t), `export interface ${name} {}`];
  const out = [doc(t), `export interface ${name} {`];
  const announced = new Set<protobuf.OneOf>();
  for (const f of t.fieldsArray) {
    const group = f.partOf;
    // A real oneof gets one note at its first member; proto3 `optional` (a synthetic oneof) needs none.
    if (group !== null && group.oneof.length > 1 && !announced.has(group)) {
      announced.add(group);
      out.push(`  // oneof ${group.name}: at most one of ${group.oneof.join(', ')} is set.`);
    }
    out.push(`  ${property(f, pkg)}`);
  }
  out.push('}');
  return out;
}

function enumLines(e: protobuf.Enum, pkg: string): string[] {
  const name = tsTypeName(e, pkg);
  // Names, not numbers: the canonical form carries enum values by name, which is also what proto JSON sends.
  return [
    doc(e, 'its value names'),
    `export const ${name} = {`,
    ...Object.keys(e.values).map((v) => `  ${v}: '${v}',`),
    '} as const;',
    '',
    doc(e, 'one of its value names'),
    `export type ${name} = (typeof ${name})[keyof typeof ${name}];`,
  ];
}

/** The interface of a message or the const object and union of an enum. */
export function typeDeclaration(t: TypeLike, pkg: string): string[] {
  return isMessage(t) ? messageLines(t, pkg) : enumLines(t, pkg);
}

/**
 * The helper type for what callers send: any subset of a message's fields, nested messages
 * included; protobufjs fills in the defaults for whatever is missing.
 */
export const MESSAGE_INIT: readonly string[] = [
  '/** What a call accepts for message `T`: any subset of its fields, nested ones too; missing fields take their defaults. */',
  'export type MessageInit<T> = T extends Uint8Array | string | number | boolean | null',
  '  ? T',
  '  : T extends readonly (infer E)[]',
  '    ? MessageInit<E>[]',
  '    : { [K in keyof T]?: MessageInit<T[K]> | undefined };',
];
