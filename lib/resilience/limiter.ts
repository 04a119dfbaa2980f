import { KratosError } from '../errors/index.js';

/** A server-side limiter: allow() throws the 429, or returns the function to call when the call ends. */
export interface Limiter {
  allow(): (err?: unknown) => void;
}

export const rateLimited = (): KratosError => new KratosError(429, 'RATELIMIT', 'service unavailable due to rate limit exceeded');

/** Options of {@link TokenBucketLimiter}. */
export interface TokenBucketOptions {
  /** Tokens added per second. */
  rate: number;
  /** Most tokens kept; also the largest burst. */
  burst: number;
  clock?: () => number;
}

/** A fixed quota: `rate` calls per second with bursts of up to `burst`. */
export class TokenBucketLimiter implements Limiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: () => number;
  #tokens: number;
  #at: number;

  constructor(options: TokenBucketOptions) {
    this.#rate = options.rate;
    this.#burst = options.burst;
    this.#clock = options.clock ?? Date.now;
    this.#tokens = options.burst;
    this.#at = this.#clock();
  }

  allow(): () => void {
    const now = this.#clock();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
    if (this.#tokens < 1) throw rateLimited();
    this.#tokens -= 1;
    return () => undefined;
  }
}
