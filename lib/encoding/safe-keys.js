/**
 * Keys that, assigned on a plain object, reach Object.prototype or a constructor; decoded input
 * must never write them, whatever the nesting level.
 */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** True for a key decoders must drop. */
export function isUnsafeKey(key) {
    return UNSAFE_KEYS.has(key);
}
/** Cheap pre-check so the common input skips the deep walk. */
export function mentionsUnsafeKey(text) {
    // A JSON \u escape can spell any key ("\u005f_proto__"), so any escape takes the careful path.
    return text.includes('__proto__') || text.includes('constructor') || text.includes('prototype') || text.includes('\\u');
}
/** A deep copy of parsed data without unsafe keys (parsers may create them as own properties). */
export function stripUnsafeKeys(value) {
    if (Array.isArray(value))
        return value.map(stripUnsafeKeys);
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date)
        return value;
    const out = {};
    for (const [key, v] of Object.entries(value)) {
        if (!isUnsafeKey(key))
            out[key] = stripUnsafeKeys(v);
    }
    return out;
}
