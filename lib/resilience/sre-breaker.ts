import { KratosError } from '../errors/index.js';
import { functionOption, numberOption } from './options.js';
import { RollingWindow } from './rolling-window.js';

/**
 * A client-side circuit breaker (aegis `CircuitBreaker`, docs/resilience-and-security.md#circuit-breaker-client).
 * @public
 */
export interface CircuitBreaker {
  /** Returns when the call may go ahead; throws the 503 CIRCUITBREAKER error when it must be dropped. */
  allow(): void;
  /** Records a call the backend served. */
  markSuccess(): void;
  /** Records a call the backend failed (never a call the breaker itself dropped). */
  markFailed(): void;
}

/**
 * Options of {@link SreBreaker}. `success` is Kratos'; the window is shorter so the breaker opens and
 * heals within a second or two (Kratos: 3 s, 100 requests).
 * @public
 */
export interface SreBreakerOptions {
  /** Share of calls expected to succeed, (0, 1]; K = 1 / success. Default 0.6. */
  success?: number;
  /** Fewest calls in the window before anything is dropped. Default 20. */
  request?: number;
  /** Length of the window, ms. Default 1000. */
  window?: number;
  /** Buckets in the window. Default 10. */
  bucket?: number;
  /**
   * While dropping, one call is still let through when none was for this long, ms, so the breaker
   * learns that the backend healed however few calls are made. 0 disables. Default 200.
   */
  probeInterval?: number;
  /** Current time in ms. Default `Date.now`. */
  clock?: () => number;
  /** Uniform random number in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * Defaults of {@link SreBreaker}. `success` is Kratos' 0.6 (K ≈ 1.667, not the 0.5 aegis' doc comment
 * claims); Kratos' window is 3000 ms with 100 requests, which needs over a second of total failure to
 * start dropping.
 * @public
 */
export const DEFAULT_SRE_BREAKER_OPTIONS = { success: 0.6, request: 20, window: 1000, bucket: 10, probeInterval: 200 } as const;

/**
 * The error a dropped call fails with (Kratos `ErrNotAllowed`).
 * @public
 */
export function breakerOpen(): KratosError {
  return new KratosError(503, 'CIRCUITBREAKER', 'request failed due to circuit breaker triggered');
}

/**
 * Google SRE client-side adaptive throttling (docs/resilience-and-security.md#circuit-breaker-client). With `accepts` successes among `total` calls in
 * the window, calls are dropped with probability max(0, (total − K·accepts) / (total + 1)) once there
 * are at least `request` of them. There is no open/half-open state machine: the drop rate falls back
 * smoothly as successes return, so a healing backend gets traffic back gradually rather than all at once.
 *
 * Unlike aegis, only calls that reached the backend are counted: a drop is not a backend failure.
 * Counting drops (as Kratos does) fills the window with failures the breaker made itself, so under
 * sustained traffic it never sees the backend heal. Calls let through (at least one per
 * `probeInterval`) are the probes that see it.
 * @public
 */
export class SreBreaker implements CircuitBreaker {
  readonly #k: number;
  readonly #request: number;
  readonly #stat: RollingWindow;
  readonly #random: () => number;
  readonly #clock: () => number;
  readonly #probeInterval: number;
  #lastPass = -Infinity;

  constructor(options: SreBreakerOptions = {}) {
    const d = DEFAULT_SRE_BREAKER_OPTIONS;
    this.#k = 1 / numberOption('SreBreaker', 'success', options.success, d.success, { min: 0, exclusiveMin: true, max: 1 });
    this.#request = numberOption('SreBreaker', 'request', options.request, d.request, { min: 0 });
    this.#clock = functionOption('SreBreaker', 'clock', options.clock, Date.now);
    this.#stat = new RollingWindow({
      window: numberOption('SreBreaker', 'window', options.window, d.window, { min: 0, exclusiveMin: true }),
      size: numberOption('SreBreaker', 'bucket', options.bucket, d.bucket, { min: 1, integer: true }),
      clock: this.#clock,
    });
    this.#probeInterval = numberOption('SreBreaker', 'probeInterval', options.probeInterval, d.probeInterval, { min: 0 });
    this.#random = functionOption('SreBreaker', 'random', options.random, Math.random);
  }

  /** The probability that a call made now is dropped, from the calls recorded in the window. */
  dropRatio(): number {
    // A success adds 1 and a failure 0, so the sum is the accepted calls and the count all of them.
    const { count: total, sum: accepts } = this.#stat.totals();
    const requests = this.#k * accepts;
    if (total < this.#request || total < requests) return 0;
    return Math.max(0, (total - requests) / (total + 1));
  }

  /**
   * Throws {@link breakerOpen} for a dropped call, unless no call went through for `probeInterval`
   * (then this one is a probe). A drop is not recorded: it says nothing about the backend.
   */
  allow(): void {
    const dr = this.dropRatio();
    if (dr > 0 && this.#random() < dr) {
      const now = this.#clock();
      if (this.#probeInterval === 0 || now - this.#lastPass < this.#probeInterval) throw breakerOpen();
      this.#lastPass = now;
      return;
    }
    if (this.#probeInterval > 0) this.#lastPass = this.#clock();
  }

  /** Records a call the backend served (adds 1 to accepts and total). */
  markSuccess(): void {
    this.#stat.add(1);
  }

  /** Records a failed or dropped call (adds to total only). */
  markFailed(): void {
    this.#stat.add(0);
  }
}
