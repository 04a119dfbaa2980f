import type { Cache } from './cache.js';

/** Options of {@link MemoryCache}. */
export interface MemoryCacheOptions {
  /** Most entries kept; the least recently used go first. Default 10 000. */
  maxEntries?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** An in-process LRU cache with per-entry TTL: the default backend, and the one tests use. */
export class MemoryCache implements Cache {
  readonly name = 'memory';
  readonly #entries = new Map<string, { value: Buffer; expires: number }>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: MemoryCacheOptions = {}) {
    this.#max = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Entries held now (expired ones included until touched). */
  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<Buffer | undefined> {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    this.#entries.delete(key);
    if (e.expires <= this.#now()) return undefined;
    // Map order is insertion order: re-inserting marks the entry most recently used.
    this.#entries.set(key, e);
    return e.value;
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.#now() + ttlMs });
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }
}
