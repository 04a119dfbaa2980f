import { findKratosError, KratosError } from '../errors/index.js';
import { compileMatchers, isAsyncIterable, type Middleware, type OperationMatcher } from '../middleware/index.js';
import { unreached } from '../transport/index.js';
import { functionOption, numberOption } from './options.js';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget.js';

/**
 * Exponential backoff of {@link retry}: the n-th retry waits base · 2^(n−1) ms, at most `max`, spread ± `jitter`.
 * @public
 */
export interface BackoffOptions {
  /** Wait before the first retry, ms. Default 50. */
  base?: number;
  /** Longest wait, ms. Default 1000. */
  max?: number;
  /** Random spread as a share of the wait, [0, 1]. Default 0.2. */
  jitter?: number;
}

/**
 * Options of {@link retry}.
 * @public
 */
export interface RetryOptions {
  /** Tries in all, the first included, >= 1. Default 3. */
  attempts?: number;
  backoff?: BackoffOptions;
  /** Which failures are transient. Default {@link retryable}: UNAVAILABLE-like 503s (never 500, 504 or 4xx). */
  retryOn?: (err: unknown) => boolean;
  /**
   * Operations safe to run twice. Default: none, so only calls that never reached a server
   * ({@link neverSent}) are retried. Operations in `operations` are idempotent too.
   */
  idempotent?: (operation: string) => boolean;
  /** Idempotent operations, e.g. `['/shop.v1.Cart/GetCart', /\/Get[A-Z]\w*$/]`. */
  operations?: OperationMatcher[];
  /** The retry budget, shared by every call through this middleware. */
  budget?: RetryBudgetOptions;
  /** Current epoch time in ms (compared with `ctx.deadline`). Default `Date.now`. */
  clock?: () => number;
  /** Uniform random number in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
}

// Transport failures: refused, reset or dropped connections (grpc-js, node:http wording).
const UNAVAILABLE = /ECONNREFUSED|ECONNRESET|No connection established|connect|Connection dropped|socket hang up/;

/**
 * Whether a failure provably never reached a server (no node, connection refused or never made,
 * stream refused), so resending it cannot run anything twice, whatever the operation. Only errors
 * our transports made and marked count, never a message's text: a server's own 503 saying
 * "ECONNREFUSED" may have done work before its upstream failed.
 * @public
 */
export function neverSent(err: unknown): boolean {
  return unreached(err);
}

/**
 * The default `retryOn`: a 503 with reason UNAVAILABLE or NO_AVAILABLE_NODE, or a connection
 * failure. Not 500 (a bug does not heal), not 504 (the time is gone), not a 503 the server chose
 * (CIRCUITBREAKER, BULKHEAD, overload: retrying feeds the overload).
 * @public
 */
export function retryable(err: unknown): boolean {
  const e = findKratosError(err);
  if (e?.code !== 503) return false;
  return e.reason === 'UNAVAILABLE' || e.reason === 'NO_AVAILABLE_NODE' || UNAVAILABLE.test(e.message);
}

/**
 * Client middleware: retries transient failures with exponential backoff and jitter, within a
 * {@link RetryBudget} and never past the call's deadline; an abort of the call ends the wait. A call
 * that may have reached a server is resent only for idempotent operations, so e.g. an order is
 * never placed twice. A call whose request is a stream is never retried: it cannot be replayed.
 * @public
 */
export function retry(options: RetryOptions = {}): Middleware {
  const attempts = numberOption('retry', 'attempts', options.attempts, 3, { min: 1, integer: true });
  const base = numberOption('retry', 'backoff.base', options.backoff?.base, 50, { min: 0 });
  const max = numberOption('retry', 'backoff.max', options.backoff?.max, 1000, { min: 0 });
  const jitter = numberOption('retry', 'backoff.jitter', options.backoff?.jitter, 0.2, { min: 0, max: 1 });
  const retryOn = functionOption('retry', 'retryOn', options.retryOn, retryable);
  const listed = compileMatchers(options.operations ?? []);
  const custom = options.idempotent === undefined ? undefined : functionOption('retry', 'idempotent', options.idempotent, options.idempotent);
  const idempotent = (op: string): boolean => listed(op) || (custom?.(op) ?? false);
  const clock = functionOption('retry', 'clock', options.clock, Date.now);
  const random = functionOption('retry', 'random', options.random, Math.random);
  const budget = new RetryBudget(options.budget ?? {}, clock);
  const delayOf = (retryNo: number): number => {
    const spread = 1 + jitter * (2 * random() - 1);
    return Math.max(0, Math.min(max, base * 2 ** (retryNo - 1) * spread));
  };

  return (next) => async (req, ctx) => {
    budget.deposit();
    const replayable = !isAsyncIterable(req);
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(req, ctx);
      } catch (err) {
        if (!replayable || attempt >= attempts || !retryOn(err)) throw err;
        if (!neverSent(err) && !idempotent(ctx.operation)) throw err;
        if (ctx.signal.aborted) throw abortedWith(ctx.signal, err);
        const delay = delayOf(attempt);
        // A retry that would start after the deadline cannot succeed; keep the real failure instead.
        if (ctx.deadline !== undefined && clock() + delay >= ctx.deadline) throw err;
        if (!budget.tryWithdraw()) throw err;
        if (!(await sleep(delay, ctx.signal))) throw abortedWith(ctx.signal, err);
      }
    }
  };
}

// The transports abort with the Kratos error that explains why (deadline, cancellation); otherwise the last failure says more.
function abortedWith(signal: AbortSignal, last: unknown): unknown {
  const reason: unknown = signal.reason;
  return KratosError.isKratosError(reason) ? reason : last;
}

/** Waits `ms`; resolves false at once if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
