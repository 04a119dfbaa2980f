import { toCanonical } from './canonical.js';
import { enumTypeOf, isLongType, isWellKnown, messageTypeOf, zeroEnumName } from './proto-json.js';
import { formatScalar } from './scalar.js';
import { formatWellKnownText } from './wkt-text.js';
/** Proto3 zero values are not sent, mirroring protoreflect's "populated" test. */
function isDefault(field, value) {
    if (value instanceof Uint8Array)
        return value.length === 0;
    const enumType = enumTypeOf(field);
    if (enumType !== undefined)
        return value === 0 || value === zeroEnumName(enumType);
    if (isLongType(field.type))
        return value === '0' || value === 0;
    return value === '' || value === false || value === 0;
}
function formatLeaf(field, sub, value) {
    return sub === undefined ? formatScalar(field, value, true) : formatWellKnownText(sub, value);
}
function encodeMessage(type, obj, prefix, out) {
    for (const field of type.fieldsArray) {
        const value = obj[field.name];
        if (value === undefined || value === null)
            continue;
        const key = prefix + (field.jsonName ?? field.name);
        const sub = messageTypeOf(field);
        const isPlainMessage = sub !== undefined && !isWellKnown(sub);
        if (field.map) {
            for (const [mapKey, entry] of Object.entries(value)) {
                if (entry === null || entry === undefined)
                    continue;
                if (isPlainMessage)
                    encodeMessage(sub, entry, `${key}[${mapKey}].`, out);
                else
                    out.append(`${key}[${mapKey}]`, formatLeaf(field, sub, entry));
            }
        }
        else if (field.repeated) {
            // Lists of plain messages have no form syntax (decodeForm skips them too).
            if (isPlainMessage || !Array.isArray(value))
                continue;
            for (const item of value)
                out.append(key, formatLeaf(field, sub, item));
        }
        else if (isPlainMessage) {
            encodeMessage(sub, value, `${key}.`, out);
        }
        else if (field.partOf !== null || !isDefault(field, value)) {
            // A set oneof member (or proto3 optional) is populated even at its zero value.
            out.append(key, formatLeaf(field, sub, value));
        }
    }
}
/**
 * Canonical object -> form params (JSON names, nested a.b, repeated keys, maps field[key], enums
 * names, bytes url-base64, WKTs as in {@link decodeForm}), skipping default/empty values; keys
 * sorted for stable output. Limits: lists of plain messages are skipped, and a nested message whose
 * fields are all defaults leaves no key, so it decodes back as unset.
 */
export function encodeForm(type, value) {
    const out = new URLSearchParams();
    encodeMessage(type, toCanonical(type, value), '', out);
    // Stable sort: repeated values of one key keep their order.
    out.sort();
    return out;
}
