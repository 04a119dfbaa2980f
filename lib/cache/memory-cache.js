/** An in-process LRU cache with per-entry TTL: the default backend, and the one tests use. */
export class MemoryCache {
    name = 'memory';
    #entries = new Map();
    #max;
    #now;
    constructor(options = {}) {
        this.#max = options.maxEntries ?? 10_000;
        this.#now = options.now ?? Date.now;
    }
    /** Entries held now (expired ones included until touched). */
    get size() {
        return this.#entries.size;
    }
    async get(key) {
        const e = this.#entries.get(key);
        if (e === undefined)
            return undefined;
        this.#entries.delete(key);
        if (e.expires <= this.#now())
            return undefined;
        // Map order is insertion order: re-inserting marks the entry most recently used.
        this.#entries.set(key, e);
        return e.value;
    }
    async set(key, value, ttlMs) {
        this.#entries.delete(key);
        this.#entries.set(key, { value, expires: this.#now() + ttlMs });
        while (this.#entries.size > this.#max)
            this.#entries.delete(this.#entries.keys().next().value);
    }
    async delete(key) {
        this.#entries.delete(key);
    }
    async close() {
        this.#entries.clear();
    }
}
