import { findKratosError, FrameworkError } from '../errors/index.js';
import type { Admission } from '../transport/index.js';
import { rateLimited, type Limiter, type LimiterDone } from './limiter.js';

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
  const decide = tryAllowOf(limiter, options.onError);
  const exempt = (target: string): boolean => {
    if (exact.size > 0) {
      const q = target.indexOf('?');
      if (exact.has(q === -1 ? target : target.slice(0, q))) return true;
    }
    for (const p of prefixes) if (target.startsWith(p)) return true;
    return false;
  };
  return {
    refusal: rateLimited(),
    admit(target) {
      if (exempt(target)) return NOTHING_TO_DO;
      const done = decide();
      if (done === undefined) onRefuse?.();
      return done;
    },
  };
}

const NOTHING_TO_DO = (): void => undefined;

// A limiter without tryAllow() (a custom one) is asked through allow(), its 429 caught. Anything else
// it throws is its own failure, not a verdict: the call goes on (a front door runs outside every
// error handler, where a throw would take the process down), and onError hears of it.
function tryAllowOf(limiter: Limiter, onError: ((err: unknown) => void) | undefined): () => LimiterDone | undefined {
  const ask = typeof limiter.tryAllow === 'function' ? (limiter.tryAllow.bind(limiter) as () => LimiterDone | undefined) : () => limiter.allow();
  return () => {
    try {
      return ask();
    } catch (err) {
      if (findKratosError(err)?.code === 429) return undefined;
      onError?.(err);
      return NOTHING_TO_DO;
    }
  };
}
