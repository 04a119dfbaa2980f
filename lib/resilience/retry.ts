import { findKratosError } from '../errors/index.js';
import { compileMatchers, type Middleware, type OperationMatcher } from '../middleware/index.js';
import { isStream } from './outcome.js';

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Tries in all, the first included. Default 3. */
  attempts?: number;
  /** Backoff: base * 2^n ms, at most max, ± jitter share. Defaults 50, 1000, 0.2. */
  backoff?: { base?: number; max?: number; jitter?: number };
  /** Operations safe to send twice (idempotent), e.g. ['/shop.v1.Cart/Get*']: retried on UNAVAILABLE/503 too. */
  operations?: OperationMatcher[];
  /** Retries allowed as a share of calls (over the budget's life, refilled per call). Default 0.2. */
  budgetRatio?: number;
  /** Retries always allowed per second, whatever the ratio. Default 10. */
  budgetPerSecond?: number;
  random?: () => number;
}

/** Failures where the request never reached a server: safe to resend whatever the operation. */
export function neverSent(err: unknown): boolean {
  const e = findKratosError(err);
  if (e === undefined || e.code !== 503) return false;
  return e.reason === 'NO_AVAILABLE_NODE' || /ECONNREFUSED|No connection established|connect ECONN|reused connection/i.test(e.message);
}

/** Failures worth retrying for an idempotent operation: UNAVAILABLE-like 503s (not 500, 504 or 4xx). */
export function retryable(err: unknown): boolean {
  const e = findKratosError(err);
  return e !== undefined && e.code === 503 && e.reason !== 'CIRCUITBREAKER' && e.reason !== 'BULKHEAD';
}

/**
 * Client middleware: retries with exponential backoff and jitter within a retry budget, never past the
 * call's deadline. A call that never reached a server is always retried; one that may have is retried
 * only for operations listed as idempotent, so a non-idempotent call is never run twice. Streams whose
 * request is an AsyncIterable are not retried.
 */
export function retry(options: RetryOptions = {}): Middleware {
  const attempts = options.attempts ?? 3;
  const base = options.backoff?.base ?? 50;
  const max = options.backoff?.max ?? 1000;
  const jitter = options.backoff?.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const idempotent = compileMatchers(options.operations ?? []);
  const ratio = options.budgetRatio ?? 0.2;
  const perSecond = options.budgetPerSecond ?? 10;
  let tokens = perSecond;
  let refilledAt = Date.now();
  const spend = (): boolean => {
    const now = Date.now();
    tokens = Math.min(perSecond * 10, tokens + ((now - refilledAt) / 1000) * perSecond);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  return (next) => async (req, ctx) => {
    tokens = Math.min(perSecond * 10, tokens + ratio);
    const safe = idempotent(ctx.operation);
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(req, ctx);
      } catch (err) {
        const again = neverSent(err) || (safe && retryable(err));
        if (!again || attempt >= attempts || isStream(req) || ctx.signal.aborted || !spend()) throw err;
        const delay = Math.min(max, base * 2 ** (attempt - 1)) * (1 + jitter * (2 * random() - 1));
        if (ctx.deadline !== undefined && Date.now() + delay >= ctx.deadline) throw err;
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, delay);
          ctx.signal.addEventListener('abort', () => { clearTimeout(t); reject(err); }, { once: true });
        });
      }
    }
  };
}
