import { rateLimited, type Limiter, type LimiterDone } from './limiter.js';
import { functionOption, numberOption } from './options.js';

/**
 * Options of {@link TokenBucketLimiter}.
 * @public
 */
export interface TokenBucketOptions {
  /** Tokens added per second, > 0: the sustained rate of calls. */
  rate: number;
  /** Most tokens kept, >= 1: the largest burst, and what a fresh limiter starts with. */
  burst: number;
  /** Current time in ms. Default `Date.now`. */
  clock?: () => number;
}

const NOTHING_TO_DO: LimiterDone = () => undefined;

/**
 * A fixed quota: `rate` calls per second on average, with bursts of up to `burst`. Unlike BBR it
 * knows nothing about load, which is what you want for a contractual limit (per tenant, per API key).
 * @public
 */
export class TokenBucketLimiter implements Limiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: () => number;
  #tokens: number;
  #at: number;

  constructor(options: TokenBucketOptions) {
    this.#rate = numberOption('TokenBucketLimiter', 'rate', options.rate, NaN, { min: 0, exclusiveMin: true });
    this.#burst = numberOption('TokenBucketLimiter', 'burst', options.burst, NaN, { min: 1 });
    this.#clock = functionOption('TokenBucketLimiter', 'clock', options.clock, Date.now);
    this.#tokens = this.#burst;
    this.#at = this.#clock();
  }

  /** Tokens available now (fractional while refilling). */
  tokens(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Takes a token, or throws the 429 when none is left. */
  allow(): LimiterDone {
    const done = this.tryAllow();
    if (done === undefined) throw rateLimited();
    return done;
  }

  /** Takes a token, or returns undefined when none is left. */
  tryAllow(): LimiterDone | undefined {
    this.#refill();
    if (this.#tokens < 1) return undefined;
    this.#tokens -= 1;
    return NOTHING_TO_DO;
  }

  // Refilled on demand from the elapsed time, so an idle limiter needs no timer.
  #refill(): void {
    const now = this.#clock();
    if (now > this.#at) this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    // A clock that steps back must not mint tokens later for time already counted.
    this.#at = Math.max(this.#at, now);
  }
}
