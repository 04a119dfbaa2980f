import { findKratosError } from '../errors/index.js';
import { runSettled } from './call-settled.js';
import { functionOption } from './options.js';
import { SreBreaker } from './sre-breaker.js';
/**
 * Whether a failed call counts against the backend: 500, 503 and 504, and anything that is not a
 * Kratos error (a transport failure the transport did not translate). A 4xx is the caller's fault and
 * proves the backend answered, so it counts as a success.
 * @public
 */
export function isBackendFailure(err) {
    const e = findKratosError(err);
    return e === undefined || e.code === 500 || e.code === 503 || e.code === 504;
}
/**
 * Client middleware (Kratos `circuitbreaker.Client`, §6): one breaker per operation, made lazily; a
 * dropped call fails fast with 503 CIRCUITBREAKER and never reaches the transport. A streamed reply
 * is judged when the stream ends, since that is when its failure shows.
 * @public
 */
export function circuitBreaker(options = {}) {
    const make = functionOption('circuitBreaker', 'breaker', options.breaker, () => new SreBreaker());
    const perNode = options.perNode === true;
    const breakers = new Map();
    return (next) => async (req, ctx) => {
        const key = perNode ? `${ctx.operation}\n${ctx.endpoint}` : ctx.operation;
        let breaker = breakers.get(key);
        if (breaker === undefined) {
            breaker = make();
            breakers.set(key, breaker);
        }
        const b = breaker;
        try {
            b.allow();
        }
        catch (err) {
            // Drops count as failures, so a backend that keeps failing keeps being shed (aegis does the same).
            b.markFailed();
            throw err;
        }
        return runSettled(() => next(req, ctx), (err) => (err !== undefined && isBackendFailure(err) ? b.markFailed() : b.markSuccess()), ctx.signal);
    };
}
