import { FrameworkError } from '../errors/index.js';
import { isStandardSchema } from '../internal/index.js';
import { resolvePlaceholders } from './placeholders.js';
import { lookup, mergeLayers, originOf, sameValue } from './tree.js';
import { ConfigValue } from './value.js';
/**
 * The app's configuration (§7): sources merged in order, `${KEY:default}` placeholders resolved,
 * typed reads by dotted key, validation with any Standard Schema, and hot reload. A reload swaps
 * the whole tree at once, so a reader never sees half of a change; keys removed from a source
 * disappear; each observer fires once per changed key. It is also the injection token.
 */
export class Config {
    #sources;
    #layers;
    #observers = new Map();
    #stops = [];
    #onError;
    #env;
    #snapshot = { tree: {}, origins: new Map() };
    #loaded = false;
    constructor(options = {}) {
        this.#sources = options.sources ?? [];
        this.#layers = this.#sources.map(() => []);
        this.#onError = options.onError ?? (() => undefined);
        this.#env = options.env;
    }
    /** A configuration of one in-memory tree, already loaded (tests, defaults). */
    static fromObject(tree) {
        const c = new Config();
        c.#swap([{ tree, origin: 'memory' }]);
        c.#loaded = true;
        return c;
    }
    /** Reads every source and starts watching those that can change. Errors name the file or key. */
    async load() {
        for (let i = 0; i < this.#sources.length; i++)
            this.#layers[i] = await this.#sources[i].load();
        this.#swap(this.#layers.flat());
        this.#loaded = true;
        for (let i = 0; i < this.#sources.length; i++) {
            const src = this.#sources[i];
            if (src.watch !== undefined)
                this.#stops.push(await src.watch(() => void this.#reload(i)));
        }
    }
    /** The value at `key` (dotted), or undefined. */
    get(key) {
        return lookup(this.#snapshot.tree, key);
    }
    /** The value at `key` with typed accessors: `config.value('server.http.timeout').duration(1000)`. */
    value(key) {
        return new ConfigValue(key, lookup(this.#snapshot.tree, key));
    }
    /** Where the value at `key` came from (a file path, `env`, `etcd:<key>`, ...). */
    originOf(key) {
        return originOf(this.#snapshot.origins, key);
    }
    /**
     * The tree (or the section at `key`) checked against a Standard Schema (zod, valibot, ...); every
     * bad key is reported with its source file. Returns the schema's output.
     */
    async scan(schema, key = '') {
        const snap = this.#snapshot;
        const value = lookup(snap.tree, key);
        if (schema === undefined)
            return value;
        return validateSection(schema, value, key, (p) => originOf(snap.origins, p));
    }
    /** Calls `observer` whenever the value at `key` changes; returns a function that stops it. */
    watch(key, observer) {
        let set = this.#observers.get(key);
        if (set === undefined)
            this.#observers.set(key, (set = new Set()));
        set.add(observer);
        return () => void set.delete(observer);
    }
    /** Stops watching the sources. */
    async close() {
        for (const stop of this.#stops.splice(0))
            stop();
    }
    get loaded() {
        return this.#loaded;
    }
    async #reload(i) {
        const src = this.#sources[i];
        try {
            const layers = await src.load();
            const all = this.#layers.map((l, j) => (j === i ? layers : l)).flat();
            this.#layers[i] = layers;
            this.#swap(all);
        }
        catch (err) {
            this.#onError(err, src.name);
        }
    }
    #swap(layers) {
        const merged = mergeLayers(layers);
        const next = { tree: resolvePlaceholders(merged.tree, this.#env ?? process.env), origins: merged.origins };
        const prev = this.#snapshot;
        this.#snapshot = next;
        for (const [key, observers] of this.#observers) {
            const before = lookup(prev.tree, key);
            const after = lookup(next.tree, key);
            if (sameValue(before, after))
                continue;
            for (const o of observers) {
                try {
                    o(after, key);
                }
                catch (err) {
                    this.#onError(err, `observer of ${key}`);
                }
            }
        }
    }
}
/** Validates `value` (found at `key`) with `schema`, naming every bad key and where it came from. */
export async function validateSection(schema, value, key, origin) {
    if (!isStandardSchema(schema))
        throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'scan: the schema does not implement Standard Schema v1');
    const r = await schema['~standard'].validate(value);
    if (r.issues === undefined)
        return r.value;
    const lines = r.issues.map((i) => {
        const rel = (i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
        const path = [key, rel].filter((p) => p !== '').join('.');
        const from = origin(path);
        return `${path || '(root)'}: ${i.message}${from === undefined ? '' : ` (from ${from})`}`;
    });
    throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `invalid configuration:\n  ${lines.join('\n  ')}`);
}
