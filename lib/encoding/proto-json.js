import protobuf from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';
import { toCanonical } from './canonical.js';
import { codecError, errorMessage } from './errors.js';
/** Well-known types have a JSON form of their own; their unpopulated fields are never filled in. */
export function isWellKnown(type) {
    return type.fullName.startsWith('.google.protobuf.');
}
/** True for the 64-bit integer kinds ProtoJSON writes as strings. */
export function isLongType(scalar) {
    return scalar === 'int64' || scalar === 'uint64' || scalar === 'sint64' || scalar === 'fixed64' || scalar === 'sfixed64';
}
/** The message type of a field, or undefined for scalars and enums. */
export function messageTypeOf(field) {
    const resolved = field.resolve().resolvedType;
    return resolved instanceof protobuf.Type ? resolved : undefined;
}
/** The enum of a field, or undefined. */
export function enumTypeOf(field) {
    const resolved = field.resolve().resolvedType;
    return resolved instanceof protobuf.Enum ? resolved : undefined;
}
/** Name of the zero value, which proto3 requires to exist (first listed otherwise, for proto2 enums). */
export function zeroEnumName(enumType) {
    return enumType.valuesById[0] ?? Object.keys(enumType.values)[0] ?? '';
}
function isValueField(field) {
    return !field.repeated && messageTypeOf(field)?.fullName === '.google.protobuf.Value';
}
function jsonKey(field) {
    return field.jsonName ?? field.name;
}
/** What EmitUnpopulated writes for a field the message does not carry. */
function unpopulatedValue(field) {
    if (field.map)
        return {};
    if (field.repeated)
        return [];
    if (messageTypeOf(field) !== undefined)
        return null;
    const enumType = enumTypeOf(field);
    if (enumType !== undefined)
        return zeroEnumName(enumType);
    if (isLongType(field.type))
        return '0';
    switch (field.type) {
        case 'bool':
            return false;
        case 'string':
        case 'bytes':
            return '';
        default:
            return 0;
    }
}
function fillValue(type, value) {
    return type === undefined || isWellKnown(type) || value === null ? value : fillUnpopulated(type, value);
}
/** Re-builds the object in field order, so filled-in fields sit where the schema declares them. */
function fillUnpopulated(type, json) {
    if (json === null || typeof json !== 'object' || Array.isArray(json))
        return json;
    const src = json;
    const out = {};
    for (const field of type.fieldsArray) {
        const key = jsonKey(field);
        if (!Object.hasOwn(src, key)) {
            // Go's EmitUnpopulated skips oneof members, and proto3 `optional` fields sit in a synthetic oneof.
            // Unlike Go, an unset google.protobuf.Value is left out: ProtoJSON reads `null` there as
            // NULL_VALUE, so emitting it would turn "unset" into "set to null" on the way back.
            if (field.partOf === null && !isValueField(field))
                out[key] = unpopulatedValue(field);
            continue;
        }
        const value = src[key];
        const sub = messageTypeOf(field);
        if (field.map && value !== null && typeof value === 'object') {
            const entries = Object.entries(value).map(([k, v]) => [k, fillValue(sub, v)]);
            out[key] = Object.fromEntries(entries);
        }
        else if (field.repeated && Array.isArray(value)) {
            out[key] = value.map((v) => fillValue(sub, v));
        }
        else {
            out[key] = fillValue(sub, value);
        }
    }
    // Keep what the schema walk does not know (extensions, Any's @type) rather than silently dropping it.
    for (const [key, value] of Object.entries(src))
        if (!Object.hasOwn(out, key))
            out[key] = value;
    return out;
}
/**
 * Proto3 JSON of a canonical object, with unpopulated fields emitted like Kratos (EmitUnpopulated):
 * scalars as their zero value ('' / 0 / false / "0" for 64-bit / first enum value name), repeated
 * [], map {}, unset message fields null; oneof members that are unset are NOT emitted; recurses
 * into set non-well-known messages (also inside repeated/map values). An unset
 * google.protobuf.Value field is not emitted (Go writes null, which reads back as NULL_VALUE).
 */
export function toProtoJson(type, value) {
    const message = value instanceof protobuf.Message ? value : type.fromObject((value ?? {}));
    const json = protojson.toJson(type, message);
    return isWellKnown(type) ? json : fillUnpopulated(type, json);
}
/** protobufjs names the failing spot as `.pkg.Type.field: reason`; the leading dot is noise to clients. */
function describeJsonError(err) {
    return errorMessage(err).replace(/^\./, '');
}
/**
 * Canonical object from parsed proto3 JSON: accepts lowerCamel JSON names AND the original proto
 * field names (e.g. user_name), enums by name or number, 64-bit as string or number; unknown
 * fields ignored; bad values -> KratosError(400,'CODEC','body unmarshal: <path>: <reason>').
 */
export function fromProtoJson(type, json) {
    let message;
    try {
        message = protojson.fromJson(type, json, { ignoreUnknownFields: true });
    }
    catch (err) {
        throw codecError(`body unmarshal: ${describeJsonError(err)}`, err);
    }
    return toCanonical(type, message);
}
/** One well-known-type value from its JSON form (used by the form and XML mappings). */
export function wellKnownFromJson(type, json, label) {
    try {
        return toCanonical(type, protojson.fromJson(type, json, { ignoreUnknownFields: true }));
    }
    catch (err) {
        throw codecError(`${label}: ${describeJsonError(err)}`, err);
    }
}
/** The JSON form of one well-known-type value (Timestamp -> RFC 3339 string, ...). */
export function wellKnownToJson(type, value) {
    return protojson.toJson(type, type.fromObject((value ?? {})));
}
