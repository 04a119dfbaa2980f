import { FrameworkError } from '../errors/index.js';
import { BbrLimiter } from './bbr-limiter.js';
import { runSettled } from './call-settled.js';
/**
 * Server middleware (Kratos `ratelimit.Server`, §6): a call the limiter rejects fails with 429
 * RATELIMIT before reaching the handler; an admitted one is reported to the limiter when it ends,
 * for a streamed reply when the stream ends.
 * @public
 */
export function rateLimit(options = {}) {
    const limiter = options.limiter ?? new BbrLimiter();
    if (typeof limiter.allow !== 'function') {
        throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'rateLimit: option `limiter` must have an allow() method');
    }
    return (next) => async (req, ctx) => {
        const done = limiter.allow();
        return runSettled(() => next(req, ctx), done, ctx.signal);
    };
}
