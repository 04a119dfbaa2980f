import { findKratosError, FrameworkError } from '../errors/index.js';
import type { Admission } from '../transport/index.js';
import { NOT_RUN, rateLimited, type CallArrival, type Limiter, type LimiterDone } from './limiter.js';
import type { Pacer } from './pacer.js';

/**
 * Options of {@link limiterAdmission}.
 * @public
 */
export interface LimiterAdmissionOptions {
  /**
   * Targets never refused: an exact path (`/healthz`, matched with or without a query) or, ending in
   * `/`, a prefix (`/grpc.health.v1.Health/`). Their calls are not counted by the limiter either.
   */
  exempt?: readonly string[];
  /** Called for every refused call (a metric). */
  onRefuse?: () => void;
  /** Called when the limiter throws something other than its 429: the call is admitted. */
  onError?: (err: unknown) => void;
  /**
   * Paces the admitted calls (docs/resilience-and-security.md#paced-admission): one pacer for every
   * admission of the process, as they share its event loop. The limiter is told the work held ahead of
   * each call (`CallArrival.ahead`). Default: none, admitted calls run at once.
   */
  pacer?: Pacer;
  /**
   * With `pacer`: called when an admitted call is held rather than run at once, and when its turn comes
   * with how long it was held, ms of wall time, whether it then runs, is refused (stale) or is dropped
   * (metrics: calls held now are the first's count minus the second's).
   */
  onHeld?: HeldObserver;
}

/**
 * What {@link LimiterAdmissionOptions.onHeld} hears of the held calls.
 * @public
 */
export interface HeldObserver {
  /** A call was held: something was held or handed over when it was admitted. */
  held(): void;
  /** A held call's turn came after `heldMs` (whether it then ran, was refused or was dropped). */
  turn(heldMs: number): void;
}

/**
 * A limiter at a server's front door (docs/resilience-and-security.md#shedding-at-the-front-door): the {@link Admission} the HTTP
 * and gRPC servers ask before they do anything else for a call. Refused calls answer with
 * {@link rateLimited}'s 429 `RATELIMIT` / RESOURCE_EXHAUSTED, byte for byte as the rateLimit
 * middleware's; an admitted call is reported to the limiter when its response or stream closes.
 * @public
 */
export function limiterAdmission(limiter: Limiter, options: LimiterAdmissionOptions = {}): Admission {
  if (limiter === null || typeof limiter !== 'object' || typeof limiter.allow !== 'function') {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'limiterAdmission: `limiter` must have an allow() method');
  }
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const e of options.exempt ?? []) {
    if (typeof e !== 'string' || !e.startsWith('/')) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `limiterAdmission: option \`exempt\` must list paths starting with /, got ${String(e)}`);
    if (e.endsWith('/')) prefixes.push(e);
    else exact.add(e);
  }
  const onRefuse = options.onRefuse;
  const pacer = options.pacer;
  if (pacer !== undefined && (pacer === null || typeof pacer.hold !== 'function')) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'limiterAdmission: option `pacer` must be a Pacer');
  const decide = tryAllowOf(limiter, options.onError);
  // One object per admission, rewritten at each call: the limiter reads it synchronously.
  const arrival: { arrivedAt: undefined; ahead: number; held: number; cost: number | undefined } = { arrivedAt: undefined, ahead: 0, held: 0, cost: undefined };
  const exempt = (target: string): boolean => {
    if (exact.size > 0) {
      const q = target.indexOf('?');
      if (exact.has(q === -1 ? target : target.slice(0, q))) return true;
    }
    for (const p of prefixes) if (target.startsWith(p)) return true;
    return false;
  };
  const admission: Admission = {
    refusal: rateLimited(),
    admit(target) {
      if (exempt(target)) return NOTHING_TO_DO;
      if (pacer !== undefined) (arrival.ahead = pacer.ahead()), (arrival.held = pacer.held), (arrival.cost = pacer.perCall);
      const done = decide(arrival);
      if (done === undefined) onRefuse?.();
      return done;
    },
  };
  if (pacer !== undefined) admission.hold = holder(pacer, limiter, onRefuse, options.onError, options.onHeld);
  return admission;
}

const NOTHING_TO_DO = (): void => undefined;

// Exempt calls (health, metrics) are never held: they run at once, ahead of the queue. A held call the
// limiter finds stale when its turn comes is answered with the refusal instead of run; one that does
// not run (refused, or dropped: its client gone, its deadline past) tells the limiter so, once.
function holder(pacer: Pacer, limiter: Limiter, onRefuse: (() => void) | undefined, onError: ((err: unknown) => void) | undefined, onHeld: HeldObserver | undefined): NonNullable<Admission['hold']> {
  const stale = typeof limiter.stale === 'function' ? limiter.stale.bind(limiter) : undefined;
  // Both run from the pacer's setImmediate, outside every error handler: a custom limiter's throw is its own failure.
  const isStale = (heldMs: number): boolean => {
    try {
      return stale!(heldMs);
    } catch (err) {
      onError?.(err);
      return false;
    }
  };
  const notRun = (admitted: (err?: unknown) => void): void => {
    try {
      admitted(NOT_RUN);
    } catch (err) {
      onError?.(err);
    }
  };
  // Whether the pacer is inside hold(): a call it starts then ran at once, one it starts later was held.
  let holding = false;
  return (admitted, start, hops) => {
    if (admitted === NOTHING_TO_DO) return void start(false);
    holding = true;
    let ranAtOnce = false;
    try {
      pacer.hold((heldMs) => {
        if (holding) ranAtOnce = true;
        else onHeld?.turn(heldMs);
        const refuse = heldMs > 0 && stale !== undefined && isStale(heldMs);
        if (refuse) onRefuse?.();
        if (start(refuse)) return true;
        notRun(admitted);
        return false;
      }, hops);
    } finally {
      holding = false;
    }
    if (!ranAtOnce) onHeld?.held();
  };
}

// A limiter without tryAllow() (a custom one) is asked through allow(), its 429 caught. Anything else
// it throws is its own failure, not a verdict: the call goes on (a front door runs outside every
// error handler, where a throw would take the process down), and onError hears of it.
function tryAllowOf(limiter: Limiter, onError: ((err: unknown) => void) | undefined): (call: CallArrival) => LimiterDone | undefined {
  const ask = typeof limiter.tryAllow === 'function' ? (limiter.tryAllow.bind(limiter) as (call: CallArrival) => LimiterDone | undefined) : (call: CallArrival) => limiter.allow(call);
  return (call) => {
    try {
      return ask(call);
    } catch (err) {
      if (findKratosError(err)?.code === 429) return undefined;
      onError?.(err);
      return NOTHING_TO_DO;
    }
  };
}
