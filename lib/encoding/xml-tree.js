import { codecError } from './errors.js';
import { findField } from './fields.js';
import { enumTypeOf, isWellKnown, messageTypeOf } from './proto-json.js';
import { isUnsafeKey } from './safe-keys.js';
import { parseBool } from './scalar.js';
import { isWrapper } from './wkt-text.js';
/** Types whose ProtoJSON is free-form JSON; XML would lose its types, so it travels as JSON text. */
const JSON_TEXT_TYPES = new Set(['Struct', 'Value', 'ListValue', 'Any', 'Empty'].map((n) => `.google.protobuf.${n}`));
function isObj(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
function toList(value) {
    if (value === undefined)
        return [];
    return Array.isArray(value) ? value : [value];
}
function toXmlValue(sub, value) {
    if (sub === undefined)
        return value;
    if (JSON_TEXT_TYPES.has(sub.fullName))
        return JSON.stringify(value);
    return isWellKnown(sub) || !isObj(value) ? value : toXmlTree(sub, value);
}
/**
 * Reshapes ProtoJSON for XML: maps become `<entry><key/><value/></entry>` lists (map keys such as
 * numbers are not element names), free-form WKTs become JSON text, nulls and empty lists vanish.
 */
export function toXmlTree(type, json) {
    const out = {};
    for (const [key, value] of Object.entries(json)) {
        if (value === null || (Array.isArray(value) && value.length === 0))
            continue;
        const field = findField(type, key);
        if (field === undefined) {
            out[key] = value;
            continue;
        }
        const sub = messageTypeOf(field);
        if (field.map && isObj(value)) {
            const entries = Object.entries(value).map(([k, v]) => ({ key: k, value: toXmlValue(sub, v) }));
            if (entries.length > 0)
                out[key] = { entry: entries };
        }
        else if (field.repeated && Array.isArray(value)) {
            out[key] = value.map((v) => toXmlValue(sub, v));
        }
        else {
            out[key] = toXmlValue(sub, value);
        }
    }
    return out;
}
/** XML text is untyped; ProtoJSON already takes numbers as strings, so only bools and enum numbers need help. */
function coerceScalar(field, value) {
    if (typeof value !== 'string')
        return value;
    if (field.type === 'bool')
        return parseBool(value) ?? value;
    if (enumTypeOf(field) !== undefined && /^-?\d+$/.test(value))
        return Number(value);
    return value;
}
function fromXmlValue(field, sub, value, path) {
    if (sub === undefined)
        return coerceScalar(field, value);
    if (JSON_TEXT_TYPES.has(sub.fullName)) {
        try {
            return JSON.parse(String(value));
        }
        catch (err) {
            throw codecError(`body unmarshal: ${path}: invalid JSON: ${err.message}`, err);
        }
    }
    if (isWrapper(sub)) {
        const valueField = sub.fields['value'];
        return valueField === undefined ? value : coerceScalar(valueField, value);
    }
    if (isWellKnown(sub))
        return value;
    return fromXmlTree(sub, value, path);
}
/**
 * ProtoJSON-shaped data from a parsed XML element, directed by the message type: single elements
 * of repeated fields become lists, map entries become objects, text becomes bools/enums/JSON where
 * the schema says so. Unknown elements are dropped.
 */
export function fromXmlTree(type, tree, path = type.name) {
    // `<sub/>` or `<sub></sub>` parse as '' and mean "present, all defaults".
    if (tree === '')
        return {};
    if (!isObj(tree))
        return tree;
    const out = {};
    for (const [key, value] of Object.entries(tree)) {
        const field = isUnsafeKey(key) ? undefined : findField(type, key);
        if (field === undefined)
            continue;
        const sub = messageTypeOf(field);
        const here = `${path}.${key}`;
        const name = field.jsonName ?? field.name;
        if (field.map) {
            const entries = [];
            for (const entry of toList(isObj(value) ? value['entry'] : undefined)) {
                if (!isObj(entry))
                    continue;
                const mapKey = String(entry['key'] ?? '');
                if (!isUnsafeKey(mapKey))
                    entries.push([mapKey, fromXmlValue(field, sub, entry['value'] ?? '', here)]);
            }
            out[name] = Object.fromEntries(entries);
        }
        else if (field.repeated) {
            out[name] = toList(value).map((v) => fromXmlValue(field, sub, v, here));
        }
        else {
            out[name] = fromXmlValue(field, sub, value, here);
        }
    }
    return out;
}
