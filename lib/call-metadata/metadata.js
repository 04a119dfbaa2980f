/**
 * Metadata passed along a call chain (§5): a case-insensitive, multi-value string map. Keys are
 * lower-cased; empty keys are ignored, and `set` ignores empty values, as in Kratos.
 */
export class Metadata {
    #map = new Map();
    constructor(init) {
        for (const [k, v] of Object.entries(init ?? {}))
            for (const x of Array.isArray(v) ? v : [v])
                this.add(k, x);
    }
    /** The first value of `key`. */
    get(key) {
        return this.#map.get(key.toLowerCase())?.[0];
    }
    /** Replaces the values of `key`. */
    set(key, value) {
        if (key === '' || value === '')
            return;
        this.#map.set(key.toLowerCase(), [value]);
    }
    /** Adds a value to `key`. */
    add(key, value) {
        if (key === '')
            return;
        const k = key.toLowerCase();
        const list = this.#map.get(k);
        if (list === undefined)
            this.#map.set(k, [value]);
        else
            list.push(value);
    }
    values(key) {
        return [...(this.#map.get(key.toLowerCase()) ?? [])];
    }
    keys() {
        return [...this.#map.keys()];
    }
    get size() {
        return this.#map.size;
    }
    /** Calls `fn` per key until it returns false. */
    range(fn) {
        for (const [k, v] of this.#map)
            if (fn(k, v) === false)
                return;
    }
    clone() {
        const md = new Metadata();
        for (const [k, v] of this.#map)
            for (const x of v)
                md.add(k, x);
        return md;
    }
    toJSON() {
        return Object.fromEntries([...this.#map].map(([k, v]) => [k, [...v]]));
    }
}
