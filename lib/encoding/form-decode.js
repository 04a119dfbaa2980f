import protobuf from 'protobufjs';
import { toCanonical } from './canonical.js';
import { codecError } from './errors.js';
import { findField, splitKey } from './fields.js';
import { isWellKnown, messageTypeOf } from './proto-json.js';
import { isUnsafeKey } from './safe-keys.js';
import { parseMapKey, parseScalar } from './scalar.js';
import { parseWellKnownText } from './wkt-text.js';
function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}
/** Parses one text value of a scalar, enum or well-known-type field into its canonical value. */
function parseLeaf(field, sub, raw, key) {
    return sub === undefined ? parseScalar(field, raw, key) : parseWellKnownText(sub, raw, key);
}
/** A oneof takes one member per request; a member set earlier (e.g. by the body) is replaced. */
function claimOneof(field, obj, key, state) {
    const oneof = field.partOf;
    if (oneof === null)
        return;
    let claimed = state.oneofs.get(obj);
    if (claimed === undefined)
        state.oneofs.set(obj, (claimed = new Map()));
    const previous = claimed.get(oneof.name);
    if (previous !== undefined && previous !== field.name) {
        throw codecError(`field already set for oneof ${oneof.name}: ${key}`);
    }
    claimed.set(oneof.name, field.name);
    for (const member of oneof.fieldsArray)
        if (member !== field)
            delete obj[member.name];
}
function singleValue(values, key) {
    if (values.length > 1)
        throw codecError(`too many values for ${key}`);
    return values[0] ?? '';
}
function applyMap(field, target, rest, key, values, state) {
    const [keySegment, ...tail] = rest;
    if (keySegment === undefined || isUnsafeKey(keySegment.text))
        return;
    const keyType = field instanceof protobuf.MapField ? field.keyType : 'string';
    const mapKey = parseMapKey(keyType, keySegment.text, key);
    const sub = messageTypeOf(field);
    const mapOf = () => {
        const obj = target();
        const current = obj[field.name];
        return isObject(current) ? current : (obj[field.name] = {});
    };
    if (tail.length === 0) {
        if (sub !== undefined && !isWellKnown(sub))
            return;
        const value = parseLeaf(field, sub, singleValue(values, key), key);
        mapOf()[mapKey] = value;
        return;
    }
    if (sub === undefined || isWellKnown(sub))
        return;
    const entryOf = () => {
        const map = mapOf();
        const entry = map[mapKey];
        return isObject(entry) ? entry : (map[mapKey] = toCanonical(sub, {}));
    };
    applySegments(sub, entryOf, tail, key, values, state);
}
/** Walks one form key down the message; unknown keys are ignored without leaving empty messages behind. */
function applySegments(type, target, segments, key, values, state) {
    const [segment, ...rest] = segments;
    if (segment === undefined || segment.bracket || isUnsafeKey(segment.text))
        return;
    const field = findField(type, segment.text);
    if (field === undefined)
        return;
    if (field.map) {
        applyMap(field, target, rest, key, values, state);
        return;
    }
    const sub = messageTypeOf(field);
    const isPlainMessage = sub !== undefined && !isWellKnown(sub);
    if (field.repeated) {
        // Lists of plain messages have no form syntax in Kratos either; they are skipped.
        if (rest.length > 0 || isPlainMessage)
            return;
        const parsed = values.map((raw) => parseLeaf(field, sub, raw, key));
        const obj = target();
        const current = obj[field.name];
        // The first key replaces the list (query overrides body); its other spellings then append.
        const list = Array.isArray(current) && state.lists.has(current) ? current : [];
        list.push(...parsed);
        state.lists.add(list);
        obj[field.name] = list;
        return;
    }
    if (rest.length === 0) {
        if (isPlainMessage)
            return;
        const value = parseLeaf(field, sub, singleValue(values, key), key);
        const obj = target();
        claimOneof(field, obj, key, state);
        obj[field.name] = value;
        return;
    }
    if (!isPlainMessage)
        return;
    const childOf = () => {
        const obj = target();
        claimOneof(field, obj, key, state);
        const current = obj[field.name];
        return isObject(current) ? current : (obj[field.name] = toCanonical(sub, {}));
    };
    applySegments(sub, childOf, rest, key, values, state);
}
/**
 * Form / query mapping onto a message (§3 rules): keys are JSON names or proto names; nested via
 * dots (page.index=1); repeated via repeated keys or key[]; maps via m[key]=v or m.key=v; enums by
 * name or number; bytes base64 (std or url-safe); Timestamp RFC3339; Duration '1.5s'; wrappers
 * (Int64Value etc.) as their scalar; FieldMask comma list; Struct JSON; unknown keys ignored;
 * empty strings skipped; >1 value for a singular field -> KratosError 400 CODEC 'too many values
 * for <key>'; a second oneof member -> 400 CODEC. Keys '__proto__', 'constructor', 'prototype' are
 * never assigned at any level. Returns a canonical object: `into` (a canonical object, e.g. the
 * decoded body) updated in place when given, so query values override body fields.
 */
export function decodeForm(type, params, into) {
    const target = into ?? toCanonical(type, {});
    const grouped = new Map();
    for (const [rawKey, value] of params) {
        if (value === '')
            continue;
        const key = rawKey.endsWith('[]') ? rawKey.slice(0, -2) : rawKey;
        const list = grouped.get(key);
        if (list === undefined)
            grouped.set(key, [value]);
        else
            list.push(value);
    }
    const state = { oneofs: new WeakMap(), lists: new WeakSet() };
    for (const [key, values] of grouped) {
        const segments = splitKey(key);
        if (segments !== undefined)
            applySegments(type, () => target, segments, key, values, state);
    }
    return target;
}
