import { KratosError } from '../errors/index.js';
import type { Middleware } from '../middleware/index.js';
import { settle } from './outcome.js';

/** Caps concurrent calls (per middleware, or per operation) and rejects the excess at once with 503 BULKHEAD. */
export function bulkhead(options: { maxConcurrent: number; perOperation?: boolean }): Middleware {
  const inFlight = new Map<string, number>();
  return (next) => async (req, ctx) => {
    const key = options.perOperation === true ? ctx.operation : '';
    const n = inFlight.get(key) ?? 0;
    if (n >= options.maxConcurrent) throw new KratosError(503, 'BULKHEAD', 'too many concurrent calls');
    inFlight.set(key, n + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
    };
    try {
      return settle(await next(req, ctx), release);
    } catch (err) {
      release();
      throw err;
    }
  };
}
