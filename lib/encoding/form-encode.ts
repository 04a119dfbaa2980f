import type protobuf from 'protobufjs';
import { KratosError } from '../errors/index.js';
import { CODEC_REASON } from './errors.js';
import { toCanonical } from './canonical.js';
import { enumTypeOf, isLongType, isWellKnown, messageTypeOf, zeroEnumName } from './proto-json.js';
import { formatScalar } from './scalar.js';
import { formatWellKnownText } from './wkt-text.js';

type Obj = Record<string, unknown>;

/** Proto3 zero values are not sent, mirroring protoreflect's "populated" test. */
function isDefault(field: protobuf.Field, value: unknown): boolean {
  if (value instanceof Uint8Array) return value.length === 0;
  const enumType = enumTypeOf(field);
  if (enumType !== undefined) return value === 0 || value === zeroEnumName(enumType);
  if (isLongType(field.type)) return value === '0' || value === 0;
  return value === '' || value === false || value === 0;
}

function formatLeaf(field: protobuf.Field, sub: protobuf.Type | undefined, value: unknown): string {
  return sub === undefined ? formatScalar(field, value, true) : formatWellKnownText(sub, value as Obj);
}

function encodeMessage(type: protobuf.Type, obj: Obj, prefix: string, out: URLSearchParams): void {
  for (const field of type.fieldsArray) {
    const value = obj[field.name];
    if (value === undefined || value === null) continue;
    const key = prefix + (field.jsonName ?? field.name);
    const sub = messageTypeOf(field);
    const isPlainMessage = sub !== undefined && !isWellKnown(sub);
    if (field.map) {
      for (const [mapKey, entry] of Object.entries(value as Obj)) {
        if (entry === null || entry === undefined) continue;
        if (isPlainMessage) encodeMessage(sub, entry as Obj, `${key}[${mapKey}].`, out);
        else out.append(`${key}[${mapKey}]`, formatLeaf(field, sub, entry));
      }
    } else if (field.repeated) {
      if (!Array.isArray(value) || value.length === 0) continue;
      // Lists of messages have no form syntax; Kratos' encoder fails on them too rather than drop data.
      if (isPlainMessage) throw unsupportedList(type, field);
      for (const item of value) out.append(key, formatLeaf(field, sub, item));
    } else if (isPlainMessage) {
      encodeMessage(sub, value as Obj, `${key}.`, out);
    } else if (field.partOf !== null || !isDefault(field, value)) {
      // A set oneof member (or proto3 optional) is populated even at its zero value.
      out.append(key, formatLeaf(field, sub, value));
    }
  }
}

function unsupportedList(type: protobuf.Type, field: protobuf.Field): KratosError {
  const where = `${type.fullName.replace(/^\./, '')}.${field.name}`;
  return new KratosError(500, CODEC_REASON, `form marshal: repeated message field ${where} has no form encoding; ask for JSON or protobuf instead`);
}

/**
 * Canonical object -> form params (JSON names, nested a.b, repeated keys, maps field[key], enums
 * names, bytes url-base64, WKTs as in {@link decodeForm}), skipping default/empty values; keys
 * sorted for stable output. A non-empty list of plain messages has no form syntax: a 500 CODEC
 * naming the field, as Kratos' encoder errs. A nested message whose fields are all defaults leaves
 * no key, so it decodes back as unset.
 */
export function encodeForm(type: protobuf.Type, value: Record<string, unknown>): URLSearchParams {
  const out = new URLSearchParams();
  encodeMessage(type, toCanonical(type, value), '', out);
  // Stable sort: repeated values of one key keep their order.
  out.sort();
  return out;
}
