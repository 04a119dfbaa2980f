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
  const decide = tryAllowOf(limiter);
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

// A limiter without tryAllow() (a custom one) is asked through allow(), its 429 caught.
function tryAllowOf(limiter: Limiter): () => LimiterDone | undefined {
  if (typeof limiter.tryAllow === 'function') return () => (limiter.tryAllow as () => LimiterDone | undefined).call(limiter);
  return () => {
    try {
      return limiter.allow();
    } catch (err) {
      if (findKratosError(err)?.code === 429) return undefined;
      throw err;
    }
  };
}
