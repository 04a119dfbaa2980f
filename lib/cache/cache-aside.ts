import type protobuf from 'protobufjs';
import { KratosError } from '../errors/index.js';
import { NoopLogger, type Logger } from '../log/index.js';
import { NoopMeter, type Meter } from '../metrics/index.js';
import type { Cache } from './cache.js';
import { CacheBreaker, type BreakerChange, type CacheBreakerOptions } from './cache-breaker.js';
import { decodeEntry, encodeEntry, type Entry } from './entry.js';

/** How one kind of read is cached. Durations in ms. */
export interface ReadPolicy {
  /** How long a value is fresh. */
  ttl: number;
  /** How long "not found" (undefined, null, or a 404 KratosError) is remembered. Default 5 000; 0 disables. */
  negativeTtl?: number;
  /** After ttl, how long a stale value is still served while one background load refreshes it. Default 0. */
  staleTtl?: number;
  /** TTLs vary by up to this fraction either way, so entries written together do not expire together. Default 0.1. */
  jitter?: number;
  /** Store values as this proto message (binary); default JSON. */
  type?: protobuf.Type;
}

/** Options of {@link CacheAside}. */
export interface CacheAsideOptions {
  cache: Cache;
  meter?: Meter;
  logger?: Logger;
  /** When to stop calling a failing cache and how often to probe it. Default: 5 failures in a row, probe every 1 s. */
  breaker?: CacheBreakerOptions;
  /** Clock and randomness, for tests. */
  now?: () => number;
  random?: () => number;
}

const DEFAULT_NEGATIVE_TTL = 5000;
/** Keys evicted while the cache was skipped, deleted once it is back; beyond this many, the rest expire by TTL. */
const MAX_PENDING_EVICTIONS = 10_000;

/**
 * Cache-aside reads (docs/cache.md#the-cache-layer): a hit is served from the cache; concurrent misses for one key
 * share one backend load; "not found" is cached briefly; a stale value can be served while it is
 * refreshed; and when the cache itself fails, reads go to the backend (logged and counted), never fail.
 * Writing a loaded value back is off the request path: the caller gets its value without waiting
 * for the cache. After repeated failures (a hung Redis answers nothing until each command times out)
 * a breaker skips the cache altogether, counting each skip, and probes it once a second.
 */
export class CacheAside {
  readonly #cache: Cache;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #requests;
  readonly #errors;
  readonly #skipped;
  readonly #breaker: CacheBreaker;
  readonly #pendingEvictions = new Set<string>();
  #lastErrorLog = 0;

  constructor(options: CacheAsideOptions) {
    this.#cache = options.cache;
    this.#logger = options.logger ?? new NoopLogger();
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    const meter = options.meter ?? new NoopMeter();
    this.#requests = meter.counter('cache_requests_total', 'Cache-aside reads by result (hit, miss, coalesced, stale, negative).', ['cache', 'result']);
    this.#errors = meter.counter('cache_errors_total', 'Cache operations that failed and fell back to the backend.', ['cache', 'op']);
    this.#skipped = meter.counter('cache_skipped_total', 'Cache operations skipped while the cache breaker is open.', ['cache', 'op']);
    this.#breaker = new CacheBreaker({ ...options.breaker, now: this.#now });
  }

  get cache(): Cache {
    return this.#cache;
  }

  /** The value for `key`: from the cache, or from `load` (whose result is then cached). */
  async read<T>(key: string, policy: ReadPolicy, load: () => Promise<T>): Promise<T> {
    const entry = await this.#get(key, policy);
    if (entry !== undefined && this.#now() < entry.freshUntil) {
      this.#count(entry.kind === 'value' ? 'hit' : 'negative');
      return answer(entry) as T;
    }
    if (entry?.kind === 'value') {
      // Stale but still stored: serve it, and let one background load bring it up to date.
      this.#count('stale');
      this.#load(key, policy, load).catch(() => undefined);
      return entry.value as T;
    }
    const shared = this.#inflight.get(key);
    if (shared !== undefined) {
      this.#count('coalesced');
      return shared as Promise<T>;
    }
    this.#count('miss');
    return this.#load(key, policy, load);
  }

  /**
   * Forgets `key` (after a write to the backend). A failing cache is logged and counted; while the
   * cache is skipped, the key is deleted once it is back.
   */
  async evict(key: string): Promise<void> {
    if (!this.#allow('delete')) {
      if (this.#pendingEvictions.size < MAX_PENDING_EVICTIONS) this.#pendingEvictions.add(key);
      return;
    }
    try {
      await this.#cache.delete(key);
      this.#succeeded();
    } catch (err) {
      this.#failed('delete', key, err);
    }
  }

  #load<T>(key: string, policy: ReadPolicy, load: () => Promise<T>): Promise<T> {
    const existing = this.#inflight.get(key);
    if (existing !== undefined) return existing as Promise<T>;
    const run = (async (): Promise<T> => {
      try {
        const value = await load();
        const fresh = this.#freshFor(value === undefined || value === null ? policy.negativeTtl ?? DEFAULT_NEGATIVE_TTL : policy.ttl, policy);
        // Written back without waiting: a slow cache must not make a miss slower than the backend.
        if (value === undefined) this.#put(key, { kind: 'undefined', freshUntil: this.#now() + fresh }, fresh, policy);
        else if (value === null) this.#put(key, { kind: 'null', freshUntil: this.#now() + fresh }, fresh, policy);
        else this.#put(key, { kind: 'value', freshUntil: this.#now() + fresh, value }, fresh + (policy.staleTtl ?? 0), policy);
        return value;
      } catch (err) {
        if (KratosError.isKratosError(err) && err.code === 404) {
          const fresh = this.#freshFor(policy.negativeTtl ?? DEFAULT_NEGATIVE_TTL, policy);
          this.#put(key, { kind: 'error', freshUntil: this.#now() + fresh, error: { reason: err.reason, message: err.message, metadata: { ...err.metadata } } }, fresh, policy);
        }
        throw err;
      } finally {
        this.#inflight.delete(key);
      }
    })();
    this.#inflight.set(key, run);
    return run;
  }

  // A TTL moved by up to ±jitter, so entries written together do not expire together.
  #freshFor(base: number, policy: ReadPolicy): number {
    if (base <= 0) return 0;
    const jitter = policy.jitter ?? 0.1;
    return Math.max(1, Math.round(base * (1 + jitter * (2 * this.#random() - 1))));
  }

  async #get(key: string, policy: ReadPolicy): Promise<Entry | undefined> {
    if (!this.#allow('get')) return undefined;
    let bytes: Buffer | undefined;
    try {
      bytes = await this.#cache.get(key);
    } catch (err) {
      this.#failed('get', key, err);
      return undefined;
    }
    this.#succeeded();
    return bytes === undefined ? undefined : decodeEntry(bytes, policy.type);
  }

  // Never rejects: callers do not await it.
  #put(key: string, entry: Entry, keepMs: number, policy: ReadPolicy): void {
    if (keepMs <= 0 || !this.#allow('set')) return;
    this.#cache.set(key, encodeEntry(entry, policy.type), keepMs).then(
      () => this.#succeeded(),
      (err: unknown) => this.#failed('set', key, err),
    );
  }

  #allow(op: string): boolean {
    if (this.#breaker.allow()) return true;
    this.#skipped.inc({ cache: this.#cache.name, op });
    return false;
  }

  #succeeded(): void {
    if (this.#breaker.success() !== 'closed') return;
    this.#logger.log('info', 'msg', 'cache is back; reading through it again', 'cache', this.#cache.name);
    const keys = [...this.#pendingEvictions];
    this.#pendingEvictions.clear();
    for (const key of keys) void this.evict(key);
  }

  #opened(change: BreakerChange, err: unknown): boolean {
    if (change !== 'opened') return false;
    this.#logger.log('warn', 'msg', 'cache keeps failing; skipping it and probing it once a second', 'cache', this.#cache.name, 'error', describe(err));
    return true;
  }

  #count(result: string): void {
    this.#requests.inc({ cache: this.#cache.name, result });
  }

  // Counted every time, logged at most once a second: an outage must not flood the log.
  #failed(op: string, key: string, err: unknown): void {
    this.#errors.inc({ cache: this.#cache.name, op });
    if (this.#opened(this.#breaker.failure(), err)) return;
    const now = this.#now();
    if (now - this.#lastErrorLog < 1000) return;
    this.#lastErrorLog = now;
    this.#logger.log('warn', 'msg', 'cache unavailable; reading from the backend', 'cache', this.#cache.name, 'op', op, 'key', key, 'error', err instanceof Error ? err.message : String(err));
  }
}

// Logged once per outage, not once per skipped call.
function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// What a cached entry answers: the value, the missing value, or the remembered 404 thrown again.
function answer(entry: Entry): unknown {
  if (entry.kind === 'value') return entry.value;
  if (entry.kind === 'null') return null;
  if (entry.kind === 'error') throw new KratosError(404, entry.error.reason, entry.error.message, entry.error.metadata);
  return undefined;
}
