import { KratosError } from '../errors/index.js';
import type { Pacer } from './pacer.js';

/**
 * Called once when an admitted call ends, with its error if it failed, or {@link NOT_RUN} when it was
 * admitted but never ran (held by a pacer, then dropped or refused at its turn).
 * @public
 */
export type LimiterDone = (err?: unknown) => void;

/**
 * What a {@link LimiterDone} is called with for an admitted call that never ran: neither a pass nor a
 * response time. A handler's own 429 (a downstream limit) is a response like any other.
 * @public
 */
export const NOT_RUN: unique symbol = Symbol.for('kratos-ts/limiter/not-run');

/**
 * What a limiter may know about a call: when the transport received it (`performance.now()` ms), so
 * the time it queued before the middleware counts. A server {@link Context} has it.
 * @public
 */
export interface CallArrival {
  readonly arrivedAt?: number | undefined;
  /**
   * Work held ahead of the call before it runs, ms (a {@link Pacer} at the front door): queueing it has
   * not done yet but will, counted as done.
   */
  readonly ahead?: number | undefined;
  /**
   * Calls that pacer holds ahead of it: admitted (so counted in flight) but not running yet. They are
   * queueing, which the queue rule bounds, not concurrency: a limiter counting them in flight would
   * refuse by in flight the arrivals the queue rule would have judged.
   */
  readonly held?: number | undefined;
  /** CPU a call costs the event loop, ms, as that pacer measures it between hand-overs. */
  readonly cost?: number | undefined;
}

/**
 * A server-side limiter (aegis `ratelimit.Limiter`, docs/resilience-and-security.md#rate-limiting-server).
 * @public
 */
export interface Limiter {
  /** Admits a call and returns what to call when it ends; throws the 429 {@link rateLimited} error to reject it. */
  allow(call?: CallArrival): LimiterDone;
  /**
   * As {@link allow}, but returns undefined instead of throwing to reject: what the front door asks
   * (docs/resilience-and-security.md#shedding-at-the-front-door), where a thrown error would be made only to be dropped.
   */
  tryAllow?(call?: CallArrival): LimiterDone | undefined;
  /**
   * Whether a call it admitted `heldMs` ago, held since by a {@link Pacer}, is to be refused now instead
   * of run; its done is then called with {@link NOT_RUN}. Without it, held calls always run.
   */
  stale?(heldMs: number): boolean;
}

/**
 * The error a rejected call fails with (Kratos `ErrLimitExceed`). It carries no stack trace: under
 * overload most calls end here, the stack would only name the limiter, and capturing it was a tenth
 * of what shedding a gRPC call costs (every shed call takes CPU from the calls being served).
 * @public
 */
export function rateLimited(): KratosError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new KratosError(429, 'RATELIMIT', 'service unavailable due to rate limit exceeded');
  } finally {
    Error.stackTraceLimit = limit;
  }
}
