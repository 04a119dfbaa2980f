import type { Cache } from './cache.js';

/** Options of {@link MemoryCache}. */
export interface MemoryCacheOptions {
  /** Most bytes held (keys and values, plus a per-entry overhead); the least recently used go first. Default 64 MiB. */
  maxBytes?: number;
  /** Most entries kept. Default 100 000. */
  maxEntries?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export const DEFAULT_MEMORY_CACHE_BYTES = 64 * 1024 * 1024;

/** What an entry costs beyond its key and value: the Map slot, the record and the Buffer object. */
const ENTRY_OVERHEAD = 160;

interface Held {
  value: Buffer;
  expires: number;
  bytes: number;
}

/**
 * An in-process LRU cache with per-entry TTL, bounded by bytes (so large values cannot grow the
 * process without limit) and by entries: the default backend, and the one tests use.
 */
export class MemoryCache implements Cache {
  readonly name = 'memory';
  readonly #entries = new Map<string, Held>();
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: MemoryCacheOptions = {}) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_MEMORY_CACHE_BYTES;
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** Entries held now (expired ones included until touched). */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes held now, as counted against `maxBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  async get(key: string): Promise<Buffer | undefined> {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    this.#entries.delete(key);
    if (e.expires <= this.#now()) {
      this.#bytes -= e.bytes;
      return undefined;
    }
    // Map order is insertion order: re-inserting marks the entry most recently used.
    this.#entries.set(key, e);
    return e.value;
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    this.#remove(key);
    const bytes = value.length + key.length * 2 + ENTRY_OVERHEAD;
    // A value larger than the whole budget would only evict everything else and then itself.
    if (bytes > this.#maxBytes) return;
    // A slice of a larger buffer would keep all of it alive: hold a copy of just these bytes.
    const own = value.byteOffset === 0 && value.buffer.byteLength === value.length ? value : Buffer.from(value);
    this.#entries.set(key, { value: own, expires: this.#now() + ttlMs, bytes });
    this.#bytes += bytes;
    while (this.#bytes > this.#maxBytes || this.#entries.size > this.#maxEntries) this.#remove(this.#entries.keys().next().value as string);
  }

  async delete(key: string): Promise<void> {
    this.#remove(key);
  }

  async close(): Promise<void> {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #remove(key: string): void {
    const e = this.#entries.get(key);
    if (e === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= e.bytes;
  }
}
