import { findKratosError, KratosError, UNKNOWN_MESSAGE, UNKNOWN_REASON } from '../../errors/index.js';
/**
 * Outermost server middleware (§6): a Kratos error passes through as it is; anything else thrown or
 * rejected below becomes a 500 `UNKNOWN` whose message does not reveal internals, logged once.
 */
export function recovery(options) {
    const { logger, handler, exposeMessages = false, log = true } = options;
    return (next) => async (req, ctx) => {
        try {
            return await next(req, ctx);
        }
        catch (err) {
            if (findKratosError(err) !== undefined)
                throw err;
            if (log)
                logger.log('error', 'msg', 'handler failed', 'kind', ctx.kind, 'operation', ctx.operation, 'error', err);
            if (handler !== undefined)
                throw handler(err, req, ctx);
            const message = exposeMessages && err instanceof Error ? err.message : UNKNOWN_MESSAGE;
            throw new KratosError(500, UNKNOWN_REASON, message, {}, err);
        }
    };
}
