const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
function isPlainObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/**
 * Deep-merges `sources` left to right into a new tree: objects merge key by key, anything else
 * (arrays included) is replaced by the later source. Prototype-polluting keys are dropped.
 */
export function deepMerge(...sources) {
    const out = {};
    for (const src of sources)
        mergeInto(out, src);
    return out;
}
function mergeInto(target, src) {
    for (const [k, v] of Object.entries(src)) {
        if (UNSAFE_KEYS.has(k))
            continue;
        const cur = target[k];
        if (isPlainObject(v)) {
            const next = isPlainObject(cur) ? cur : {};
            mergeInto(next, v);
            target[k] = next;
        }
        else {
            target[k] = v;
        }
    }
}
