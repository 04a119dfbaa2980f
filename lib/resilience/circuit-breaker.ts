import { findKratosError, KratosError } from '../errors/index.js';
import type { Middleware } from '../middleware/index.js';
import { settle } from './outcome.js';
import { RollingWindow } from './rolling-window.js';

/** A client-side breaker (§12): allow() throws the 503 when the call should be dropped. */
export interface CircuitBreaker {
  allow(): void;
  markSuccess(): void;
  markFailed(): void;
}

/** Options of {@link SreBreaker}; defaults are Kratos'. */
export interface SreBreakerOptions {
  /** Share of successes expected; K = 1 / success. Default 0.6. */
  success?: number;
  /** Fewest requests in the window before dropping starts. Default 100. */
  request?: number;
  /** Window length, ms. Default 3000. */
  window?: number;
  /** Buckets in the window. Default 10. */
  bucket?: number;
  clock?: () => number;
  random?: () => number;
}

export const breakerOpen = (): KratosError => new KratosError(503, 'CIRCUITBREAKER', 'request failed due to circuit breaker triggered');

/**
 * Google SRE client-side adaptive throttling (§12): with `accepts` successes out of `total` requests in
 * the window, calls are dropped with probability max(0, (total − K·accepts) / (total + 1)) once there are
 * at least `request` of them.
 */
export class SreBreaker implements CircuitBreaker {
  readonly #k: number;
  readonly #request: number;
  readonly #stat: RollingWindow;
  readonly #random: () => number;

  constructor(options: SreBreakerOptions = {}) {
    this.#k = 1 / (options.success ?? 0.6);
    this.#request = options.request ?? 100;
    this.#stat = new RollingWindow(options.window ?? 3000, options.bucket ?? 10, options.clock);
    this.#random = options.random ?? Math.random;
  }

  /** The probability a call is dropped now. */
  dropRatio(): number {
    const { count: total, sum: accepts } = this.#stat.totals();
    const requests = this.#k * accepts;
    if (total < this.#request || total < requests) return 0;
    return Math.max(0, (total - requests) / (total + 1));
  }

  allow(): void {
    const dr = this.dropRatio();
    if (dr > 0 && this.#random() < dr) {
      this.markFailed();
      throw breakerOpen();
    }
  }

  markSuccess(): void {
    this.#stat.add(1);
  }

  markFailed(): void {
    this.#stat.add(0);
  }
}

/** Failures that count against a backend: 500, 503, 504, and anything that is not a Kratos error. */
export function isBackendFailure(err: unknown): boolean {
  const e = findKratosError(err);
  return e === undefined || e.code === 500 || e.code === 503 || e.code === 504;
}

/**
 * Client middleware (§6): one breaker per operation (and endpoint with `perNode`); a dropped call fails
 * fast with 503 CIRCUITBREAKER without reaching the server.
 */
export function circuitBreaker(options: { breaker?: () => CircuitBreaker; perNode?: boolean } = {}): Middleware {
  const make = options.breaker ?? (() => new SreBreaker());
  const breakers = new Map<string, CircuitBreaker>();
  return (next) => async (req, ctx) => {
    const key = options.perNode === true ? `${ctx.operation} ${ctx.endpoint}` : ctx.operation;
    let b = breakers.get(key);
    if (b === undefined) breakers.set(key, (b = make()));
    const breaker = b;
    breaker.allow();
    const mark = (err?: unknown): void => (err !== undefined && isBackendFailure(err) ? breaker.markFailed() : breaker.markSuccess());
    try {
      return settle(await next(req, ctx), mark);
    } catch (err) {
      mark(err);
      throw err;
    }
  };
}
