import { KratosError } from '../errors/index.js';
import { NoopLogger } from '../log/index.js';
import { NoopMeter } from '../metrics/index.js';
import { decodeEntry, encodeEntry } from './entry.js';
const DEFAULT_NEGATIVE_TTL = 5000;
/**
 * Cache-aside reads (§ the cache layer): a hit is served from the cache; concurrent misses for one key
 * share one backend load; "not found" is cached briefly; a stale value can be served while it is
 * refreshed; and when the cache itself fails, reads go to the backend (logged and counted), never fail.
 */
export class CacheAside {
    #cache;
    #logger;
    #now;
    #random;
    #inflight = new Map();
    #requests;
    #errors;
    #lastErrorLog = 0;
    constructor(options) {
        this.#cache = options.cache;
        this.#logger = options.logger ?? new NoopLogger();
        this.#now = options.now ?? Date.now;
        this.#random = options.random ?? Math.random;
        const meter = options.meter ?? new NoopMeter();
        this.#requests = meter.counter('cache_requests_total', 'Cache-aside reads by result (hit, miss, coalesced, stale, negative).', ['cache', 'result']);
        this.#errors = meter.counter('cache_errors_total', 'Cache operations that failed and fell back to the backend.', ['cache', 'op']);
    }
    get cache() {
        return this.#cache;
    }
    /** The value for `key`: from the cache, or from `load` (whose result is then cached). */
    async read(key, policy, load) {
        const entry = await this.#get(key, policy);
        if (entry !== undefined && this.#now() < entry.freshUntil) {
            this.#count(entry.kind === 'value' ? 'hit' : 'negative');
            return answer(entry);
        }
        if (entry?.kind === 'value') {
            // Stale but still stored: serve it, and let one background load bring it up to date.
            this.#count('stale');
            this.#load(key, policy, load).catch(() => undefined);
            return entry.value;
        }
        const shared = this.#inflight.get(key);
        if (shared !== undefined) {
            this.#count('coalesced');
            return shared;
        }
        this.#count('miss');
        return this.#load(key, policy, load);
    }
    /** Forgets `key` (after a write to the backend). A failing cache is logged and counted. */
    async evict(key) {
        try {
            await this.#cache.delete(key);
        }
        catch (err) {
            this.#failed('delete', key, err);
        }
    }
    #load(key, policy, load) {
        const existing = this.#inflight.get(key);
        if (existing !== undefined)
            return existing;
        const run = (async () => {
            try {
                const value = await load();
                const fresh = this.#freshFor(value === undefined || value === null ? policy.negativeTtl ?? DEFAULT_NEGATIVE_TTL : policy.ttl, policy);
                if (value === undefined)
                    await this.#put(key, { kind: 'undefined', freshUntil: this.#now() + fresh }, fresh, policy);
                else if (value === null)
                    await this.#put(key, { kind: 'null', freshUntil: this.#now() + fresh }, fresh, policy);
                else
                    await this.#put(key, { kind: 'value', freshUntil: this.#now() + fresh, value }, fresh + (policy.staleTtl ?? 0), policy);
                return value;
            }
            catch (err) {
                if (KratosError.isKratosError(err) && err.code === 404) {
                    const fresh = this.#freshFor(policy.negativeTtl ?? DEFAULT_NEGATIVE_TTL, policy);
                    await this.#put(key, { kind: 'error', freshUntil: this.#now() + fresh, error: { reason: err.reason, message: err.message, metadata: { ...err.metadata } } }, fresh, policy);
                }
                throw err;
            }
            finally {
                this.#inflight.delete(key);
            }
        })();
        this.#inflight.set(key, run);
        return run;
    }
    // A TTL moved by up to ±jitter, so entries written together do not expire together.
    #freshFor(base, policy) {
        if (base <= 0)
            return 0;
        const jitter = policy.jitter ?? 0.1;
        return Math.max(1, Math.round(base * (1 + jitter * (2 * this.#random() - 1))));
    }
    async #get(key, policy) {
        try {
            const bytes = await this.#cache.get(key);
            return bytes === undefined ? undefined : decodeEntry(bytes, policy.type);
        }
        catch (err) {
            this.#failed('get', key, err);
            return undefined;
        }
    }
    async #put(key, entry, keepMs, policy) {
        if (keepMs <= 0)
            return;
        try {
            await this.#cache.set(key, encodeEntry(entry, policy.type), keepMs);
        }
        catch (err) {
            this.#failed('set', key, err);
        }
    }
    #count(result) {
        this.#requests.inc({ cache: this.#cache.name, result });
    }
    // Counted every time, logged at most once a second: an outage must not flood the log.
    #failed(op, key, err) {
        this.#errors.inc({ cache: this.#cache.name, op });
        const now = this.#now();
        if (now - this.#lastErrorLog < 1000)
            return;
        this.#lastErrorLog = now;
        this.#logger.log('warn', 'msg', 'cache unavailable; reading from the backend', 'cache', this.#cache.name, 'op', op, 'key', key, 'error', err instanceof Error ? err.message : String(err));
    }
}
// What a cached entry answers: the value, the missing value, or the remembered 404 thrown again.
function answer(entry) {
    if (entry.kind === 'value')
        return entry.value;
    if (entry.kind === 'null')
        return null;
    if (entry.kind === 'error')
        throw new KratosError(404, entry.error.reason, entry.error.message, entry.error.metadata);
    return undefined;
}
