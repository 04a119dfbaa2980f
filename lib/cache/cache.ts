/**
 * Where cache-aside entries live: bytes under a key, each with a time to live. Implementations fail
 * loudly (reject) when their store is unreachable; {@link CacheAside} turns that into a miss.
 */
export interface Cache {
  /** A name for metrics and logs: `memory`, `redis`. */
  readonly name: string;
  get(key: string): Promise<Buffer | undefined>;
  /** Stores `value` for `ttlMs` milliseconds. */
  set(key: string, value: Buffer, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
