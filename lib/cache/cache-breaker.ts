/** Options of {@link CacheBreaker}. */
export interface CacheBreakerOptions {
  /** Consecutive failed cache operations (timeouts, refused connections) that open it. Default 5. */
  failures?: number;
  /** How long it stays open before one operation probes the cache again, ms. Default 1000. */
  cooldown?: number;
  now?: () => number;
}

/** What a call to {@link CacheBreaker.failure} or {@link CacheBreaker.success} changed. */
export type BreakerChange = 'opened' | 'closed' | undefined;

/**
 * Stops calling a cache that keeps failing: after `failures` failures in a row, operations skip the
 * cache (a read is a miss, a write is dropped) for `cooldown` ms; then one operation probes it, and
 * its success closes the breaker, its failure opens it for another cooldown. A hung cache then costs
 * one timeout per cooldown instead of one per request.
 */
export class CacheBreaker {
  readonly #threshold: number;
  readonly #cooldown: number;
  readonly #now: () => number;
  #failures = 0;
  #openUntil = 0;
  #open = false;
  #probing = false;

  constructor(options: CacheBreakerOptions = {}) {
    this.#threshold = options.failures ?? 5;
    this.#cooldown = options.cooldown ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  get open(): boolean {
    return this.#open;
  }

  /** Whether an operation may go to the cache now (while open: only the one probe after each cooldown). */
  allow(): boolean {
    if (!this.#open) return true;
    if (this.#probing || this.#now() < this.#openUntil) return false;
    this.#probing = true;
    return true;
  }

  success(): BreakerChange {
    this.#failures = 0;
    this.#probing = false;
    if (!this.#open) return undefined;
    this.#open = false;
    return 'closed';
  }

  failure(): BreakerChange {
    this.#failures++;
    const wasOpen = this.#open;
    if (!wasOpen && this.#failures < this.#threshold) return undefined;
    this.#probing = false;
    this.#open = true;
    this.#openUntil = this.#now() + this.#cooldown;
    return wasOpen ? undefined : 'opened';
  }
}
