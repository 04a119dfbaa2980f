import type { Middleware } from '../middleware/index.js';
import { BbrLimiter } from './bbr.js';
import type { Limiter } from './limiter.js';
import { settle } from './outcome.js';

/** Server middleware (§6): calls the limiter rejects answer 429 RATELIMIT; the default limiter is BBR. */
export function rateLimit(options: { limiter?: Limiter } = {}): Middleware {
  const limiter = options.limiter ?? new BbrLimiter();
  return (next) => async (req, ctx) => {
    const done = limiter.allow();
    try {
      return settle(await next(req, ctx), done);
    } catch (err) {
      done(err);
      throw err;
    }
  };
}
