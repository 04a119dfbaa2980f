import { KratosError } from '../errors/index.js';
import { functionOption, numberOption } from './options.js';
import { RollingWindow } from './rolling-window.js';
/**
 * Kratos' defaults for {@link SreBreaker}. Note `success` 0.6 (K ≈ 1.667), not the 0.5 aegis' doc comment claims.
 * @public
 */
export const DEFAULT_SRE_BREAKER_OPTIONS = { success: 0.6, request: 100, window: 3000, bucket: 10 };
/**
 * The error a dropped call fails with (Kratos `ErrNotAllowed`).
 * @public
 */
export function breakerOpen() {
    return new KratosError(503, 'CIRCUITBREAKER', 'request failed due to circuit breaker triggered');
}
/**
 * Google SRE client-side adaptive throttling (§12). With `accepts` successes among `total` calls in
 * the window, calls are dropped with probability max(0, (total − K·accepts) / (total + 1)) once there
 * are at least `request` of them. There is no open/half-open state machine: the drop rate falls back
 * smoothly as successes return, so a healing backend gets traffic back gradually rather than all at once.
 * @public
 */
export class SreBreaker {
    #k;
    #request;
    #stat;
    #random;
    constructor(options = {}) {
        const d = DEFAULT_SRE_BREAKER_OPTIONS;
        this.#k = 1 / numberOption('SreBreaker', 'success', options.success, d.success, { min: 0, exclusiveMin: true, max: 1 });
        this.#request = numberOption('SreBreaker', 'request', options.request, d.request, { min: 0 });
        this.#stat = new RollingWindow({
            window: numberOption('SreBreaker', 'window', options.window, d.window, { min: 0, exclusiveMin: true }),
            size: numberOption('SreBreaker', 'bucket', options.bucket, d.bucket, { min: 1, integer: true }),
            clock: functionOption('SreBreaker', 'clock', options.clock, Date.now),
        });
        this.#random = functionOption('SreBreaker', 'random', options.random, Math.random);
    }
    /** The probability that a call made now is dropped, from the calls recorded in the window. */
    dropRatio() {
        // A success adds 1 and a failure 0, so the sum is the accepted calls and the count all of them.
        const { count: total, sum: accepts } = this.#stat.totals();
        const requests = this.#k * accepts;
        if (total < this.#request || total < requests)
            return 0;
        return Math.max(0, (total - requests) / (total + 1));
    }
    /**
     * Throws {@link breakerOpen} for a dropped call. Like aegis, it does not record the drop itself: the
     * caller (the {@link circuitBreaker} middleware) marks it failed, as it would a custom breaker's drop.
     */
    allow() {
        const dr = this.dropRatio();
        if (dr > 0 && this.#random() < dr)
            throw breakerOpen();
    }
    /** Records a call the backend served (adds 1 to accepts and total). */
    markSuccess() {
        this.#stat.add(1);
    }
    /** Records a failed or dropped call (adds to total only). */
    markFailed() {
        this.#stat.add(0);
    }
}
