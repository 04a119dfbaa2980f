import { findKratosError } from '../errors/index.js';
import { onCallEnd, type Middleware } from '../middleware/index.js';
import { functionOption } from './options.js';
import { SreBreaker, type CircuitBreaker } from './sre-breaker.js';

/**
 * Options of {@link circuitBreaker}.
 * @public
 */
export interface CircuitBreakerOptions {
  /** Makes the breaker of one operation (or operation and endpoint). Default: an {@link SreBreaker} with Kratos' defaults. */
  breaker?: () => CircuitBreaker;
  /** One breaker per operation and endpoint, so one bad node does not close the operation for all. Default false. */
  perNode?: boolean;
}

/**
 * Whether a failed call counts against the backend: 500, 503 and 504, and anything that is not a
 * Kratos error (a transport failure the transport did not translate). A 4xx is the caller's fault and
 * proves the backend answered, so it counts as a success.
 * @public
 */
export function isBackendFailure(err: unknown): boolean {
  const e = findKratosError(err);
  return e === undefined || e.code === 500 || e.code === 503 || e.code === 504;
}

/**
 * Client middleware (Kratos `circuitbreaker.Client`, docs/resilience-and-security.md#circuit-breaker-client): one breaker per operation, made lazily; a
 * dropped call fails fast with 503 CIRCUITBREAKER, never reaches the transport and is not counted as a
 * backend failure. A streamed reply
 * is judged when the stream ends, since that is when its failure shows.
 * @public
 */
export function circuitBreaker(options: CircuitBreakerOptions = {}): Middleware {
  const make = functionOption('circuitBreaker', 'breaker', options.breaker, () => new SreBreaker());
  const perNode = options.perNode === true;
  const breakers = new Map<string, CircuitBreaker>();
  return (next) => async (req, ctx) => {
    const key = perNode ? `${ctx.operation}\n${ctx.endpoint}` : ctx.operation;
    let breaker = breakers.get(key);
    if (breaker === undefined) {
      breaker = make();
      breakers.set(key, breaker);
    }
    const b = breaker;
    // A drop is not marked: it never reached the backend (aegis marks it failed, so a breaker under
    // steady traffic keeps counting its own drops and never sees the backend heal).
    b.allow();
    // A cancelled call ends as its cancellation: 499, the caller's doing, or a deadline's 504.
    return onCallEnd(next, req, ctx, ({ error }) => (error !== undefined && isBackendFailure(error) ? b.markFailed() : b.markSuccess()), 0);
  };
}
