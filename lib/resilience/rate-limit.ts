import { FrameworkError } from '../errors/index.js';
import { onCallEnd, type Middleware } from '../middleware/index.js';
import { BbrLimiter } from './bbr-limiter.js';
import type { Limiter } from './limiter.js';

/**
 * Options of {@link rateLimit}.
 * @public
 */
export interface RateLimitOptions {
  /** Decides which calls run. Default: a {@link BbrLimiter} with Kratos' defaults. */
  limiter?: Limiter;
}

/**
 * Server middleware (Kratos `ratelimit.Server`, docs/resilience-and-security.md#rate-limiting-server): a call the limiter rejects fails with 429
 * RATELIMIT before reaching the handler; an admitted one is reported to the limiter when it ends,
 * for a streamed reply when the stream ends.
 * @public
 */
export function rateLimit(options: RateLimitOptions = {}): Middleware {
  const limiter = options.limiter ?? new BbrLimiter();
  if (typeof limiter.allow !== 'function') {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'rateLimit: option `limiter` must have an allow() method');
  }
  const middleware: Middleware = (next) => async (req, ctx) => {
    const done = limiter.allow(ctx);
    return onCallEnd(next, req, ctx, (outcome) => done(outcome.error), 0);
  };
  LIMITERS.set(middleware, limiter);
  return middleware;
}

const LIMITERS = new WeakMap<Middleware, Limiter>();

/**
 * The limiter a {@link rateLimit} middleware asks, if `middleware` is one (so an app can tell when one
 * limiter would count the same call twice).
 * @internal
 */
export function limiterOfMiddleware(middleware: unknown): Limiter | undefined {
  return typeof middleware === 'function' ? LIMITERS.get(middleware as Middleware) : undefined;
}
