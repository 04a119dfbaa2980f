import { deepMerge } from './merge.js';
/** Looks up a dotted path in a plain object tree. */
export function lookup(tree, key) {
    if (key === '')
        return tree;
    let cur = tree;
    for (const part of key.split('.')) {
        if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, part))
            return undefined;
        cur = cur[part];
    }
    return cur;
}
/** Structural equality of plain config values. */
export function sameValue(a, b) {
    if (a === b)
        return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
        return false;
    if (Array.isArray(a) !== Array.isArray(b))
        return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameValue(a[k], b[k]));
}
/** Merges layers in order (later wins) and records which layer set each leaf, for messages. */
export function mergeLayers(layers) {
    const origins = new Map();
    const mark = (v, path, origin) => {
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
            for (const [k, x] of Object.entries(v))
                mark(x, path === '' ? k : `${path}.${k}`, origin);
        }
        else
            origins.set(path, origin);
    };
    for (const l of layers)
        mark(l.tree, '', l.origin);
    return { tree: deepMerge(...layers.map((l) => l.tree)), origins };
}
/** The origin of `path` or of its closest ancestor that has one. */
export function originOf(origins, path) {
    let p = path;
    while (true) {
        const o = origins.get(p);
        if (o !== undefined)
            return o;
        for (const [k, v] of origins)
            if (k.startsWith(`${p}.`))
                return v;
        const dot = p.lastIndexOf('.');
        if (dot === -1)
            return undefined;
        p = p.slice(0, dot);
    }
}
