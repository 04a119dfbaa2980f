import { KratosError } from '../errors/index.js';
import { onCallEnd, type Middleware } from '../middleware/index.js';
import { numberOption } from './options.js';

/**
 * Options of {@link bulkhead}.
 * @public
 */
export interface BulkheadOptions {
  /** Calls allowed in flight at once, integer >= 1. */
  maxConcurrent: number;
  /** Count each operation separately, so one slow operation cannot starve the others. Default false. */
  perOperation?: boolean;
}

/**
 * The error a call past the limit fails with.
 * @public
 */
export function bulkheadFull(): KratosError {
  return new KratosError(503, 'BULKHEAD', 'too many concurrent calls');
}

/**
 * Middleware (client or server) capping concurrent calls. The excess fails at once with 503 BULKHEAD
 * instead of queueing: a queue in front of a slow dependency only turns its slowness into ours. A slot
 * is freed when the call ends, for a streamed reply when the stream ends or is abandoned.
 * @public
 */
export function bulkhead(options: BulkheadOptions): Middleware {
  const limit = numberOption('bulkhead', 'maxConcurrent', options.maxConcurrent, NaN, { min: 1, integer: true });
  const perOperation = options.perOperation === true;
  const inFlight = new Map<string, number>();
  return (next) => async (req, ctx) => {
    const key = perOperation ? ctx.operation : '';
    const n = inFlight.get(key) ?? 0;
    if (n >= limit) throw bulkheadFull();
    inFlight.set(key, n + 1);
    const release = (): void => {
      const left = (inFlight.get(key) ?? 1) - 1;
      // Dropping idle keys keeps the map from growing with every operation name ever seen.
      if (left <= 0) inFlight.delete(key);
      else inFlight.set(key, left);
    };
    return onCallEnd(next, req, ctx, release, 0);
  };
}
