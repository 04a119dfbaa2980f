import { findKratosError, KratosError, UNKNOWN_MESSAGE, UNKNOWN_REASON } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import type { Context } from '../../transport/index.js';
import { staged } from '../stage.js';
import type { Middleware } from '../types.js';

/** Options of {@link recovery}. */
export interface RecoveryOptions {
  /** Where the failure is logged (once, with its stack and the operation). */
  logger: Logger;
  /** Turns the failure into the error sent; default: 500 `UNKNOWN` "unknown request error". */
  handler?: (err: unknown, req: unknown, ctx: Context) => KratosError;
  /** Send the original message instead of "unknown request error" (development only). */
  exposeMessages?: boolean;
  /** Log the failure here (default true); off when a logging middleware already writes its stack. */
  log?: boolean;
}

/**
 * Outermost server middleware (docs/errors-and-metadata.md#recovery): a Kratos error passes through as it is; anything else thrown or
 * rejected below becomes a 500 `UNKNOWN` whose message does not reveal internals, logged once.
 */
export function recovery(options: RecoveryOptions): Middleware {
  const { logger, handler, exposeMessages = false, log = true } = options;
  const recover = (err: unknown, req: unknown, ctx: Context): unknown => {
    if (findKratosError(err) !== undefined) return err;
    if (log) logger.log('error', 'msg', 'handler failed', 'kind', ctx.kind, 'operation', ctx.operation, 'error', err);
    if (handler !== undefined) return handler(err, req, ctx);
    const message = exposeMessages && err instanceof Error ? err.message : UNKNOWN_MESSAGE;
    return new KratosError(500, UNKNOWN_REASON, message, {}, err);
  };
  // A rejection handler on the reply rather than an async frame per call: a call that succeeds pays one `.then`.
  const middleware: Middleware = (next) => (req, ctx) => {
    let reply: Promise<unknown>;
    try {
      reply = Promise.resolve(next(req, ctx));
    } catch (err) {
      reply = Promise.reject(err);
    }
    return reply.then(undefined, (err: unknown) => {
      throw recover(err, req, ctx);
    });
  };
  // Fused with its neighbours, the failure is replaced on the way out without a `.then` of its own.
  return staged(middleware, { recover });
}
