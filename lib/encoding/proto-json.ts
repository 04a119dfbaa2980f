import protobuf from 'protobufjs';
import { canonicalFromPlain } from './canonical.js';
import { ProtoJsonReader } from './proto-json-read.js';
import { ProtoJsonWriter } from './proto-json-write.js';

/** Well-known types have a JSON form of their own; their unpopulated fields are never filled in. */
export function isWellKnown(type: protobuf.Type): boolean {
  return type.fullName.startsWith('.google.protobuf.');
}

/** True for the 64-bit integer kinds ProtoJSON writes as strings. */
export function isLongType(scalar: string): boolean {
  return scalar === 'int64' || scalar === 'uint64' || scalar === 'sint64' || scalar === 'fixed64' || scalar === 'sfixed64';
}

/** The message type of a field, or undefined for scalars and enums. */
export function messageTypeOf(field: protobuf.Field): protobuf.Type | undefined {
  const resolved = field.resolve().resolvedType;
  return resolved instanceof protobuf.Type ? resolved : undefined;
}

/** The enum of a field, or undefined. */
export function enumTypeOf(field: protobuf.Field): protobuf.Enum | undefined {
  const resolved = field.resolve().resolvedType;
  return resolved instanceof protobuf.Enum ? resolved : undefined;
}

/** Name of the zero value, which proto3 requires to exist (first listed otherwise, for proto2 enums). */
export function zeroEnumName(enumType: protobuf.Enum): string {
  return enumType.valuesById[0] ?? Object.keys(enumType.values)[0] ?? '';
}

/**
 * Proto3 JSON of a canonical object (or message) exactly as Go's protojson writes it with Kratos'
 * EmitUnpopulated: see {@link ProtoJsonWriter}.
 */
export function toProtoJson(type: protobuf.Type, value: unknown): unknown {
  return new ProtoJsonWriter(type.root).write(type, value);
}

/**
 * Canonical object from parsed proto3 JSON, accepting what Go's protojson accepts with
 * DiscardUnknown: JSON names and proto names (a field with its own json_name: only that and the
 * proto name), enums by name or number, 64-bit integers as strings or numbers (every digit kept
 * when the JSON came through {@link readJson}), float32 up to its maximum, null for NullValue and
 * Value; unknown fields and enum names ignored; bad values -> KratosError(400,'CODEC','body
 * unmarshal: <path>: <reason>').
 */
export function fromProtoJson(type: protobuf.Type, json: unknown): Record<string, unknown> {
  return canonicalFromPlain(type, new ProtoJsonReader(type.root).message(type, json, type.name));
}

/** One well-known-type value from its JSON form (used by the form and XML mappings). */
export function wellKnownFromJson(type: protobuf.Type, json: unknown, label: string): Record<string, unknown> {
  return canonicalFromPlain(type, new ProtoJsonReader(type.root).message(type, json, label));
}

/** The JSON form of one well-known-type value (Timestamp -> RFC 3339 string, ...). */
export function wellKnownToJson(type: protobuf.Type, value: unknown): unknown {
  return toProtoJson(type, value);
}
