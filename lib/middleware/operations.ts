import { FrameworkError } from '../errors/index.js';
import { chain } from './chain.js';
import type { Handler, Middleware } from './types.js';

/**
 * Which operations something applies to: an exact operation (`/pkg.Service/Method`), a prefix ending
 * in `*` (`/pkg.Service/*`), a RegExp that must match the whole operation, or a predicate.
 */
export type OperationMatcher = string | RegExp | ((operation: string) => boolean);

/** Set on middleware built by `selector` (middleware/selector), so servers can decide per operation once, at boot. */
export const APPLIES_TO = Symbol.for('kratos-ts/middleware/appliesTo');

/** Middleware that knows which operations it applies to. */
export interface SelectiveMiddleware extends Middleware {
  readonly [APPLIES_TO]: (operation: string) => boolean;
  /** The middleware to run where it applies. */
  readonly inner: Middleware;
}

function compileOne(m: OperationMatcher): (op: string) => boolean {
  if (typeof m === 'function') return m;
  if (m instanceof RegExp) {
    const whole = new RegExp(`^(?:${m.source})$`, m.flags.replace(/[gy]/g, ''));
    return (op) => whole.test(op);
  }
  if (typeof m === 'string') {
    if (m.endsWith('*')) {
      const prefix = m.slice(0, -1);
      return (op) => op.startsWith(prefix);
    }
    return (op) => op === m;
  }
  throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `operation matcher ${String(m)} is not a string, RegExp or function`);
}

/** One predicate true when any matcher matches. An empty list matches nothing. */
export function compileMatchers(matchers: readonly OperationMatcher[]): (operation: string) => boolean {
  const tests = matchers.map(compileOne);
  if (tests.length === 1) return tests[0]!;
  return (op) => tests.some((t) => t(op));
}

/** Wraps `inner` so it runs only for operations `appliesTo` accepts (decided once per operation). */
export function selective(inner: Middleware, appliesTo: (operation: string) => boolean): SelectiveMiddleware {
  const decided = new Map<string, boolean>();
  const mw = (next: Handler): Handler => {
    const wrapped = inner(next);
    return (req, ctx) => {
      let yes = decided.get(ctx.operation);
      if (yes === undefined) {
        yes = appliesTo(ctx.operation);
        if (decided.size < 10_000) decided.set(ctx.operation, yes);
      }
      return yes ? wrapped(req, ctx) : next(req, ctx);
    };
  };
  return Object.assign(mw, { [APPLIES_TO]: appliesTo, inner });
}

/** True for middleware made by {@link selective} or by `selector` (middleware/selector). */
export function isSelective(m: Middleware): m is SelectiveMiddleware {
  return typeof (m as Partial<SelectiveMiddleware>)[APPLIES_TO] === 'function';
}

/**
 * The chain that applies to `operation`: selective middleware is resolved now (kept unwrapped or
 * dropped), so the handler built from it does no matching per call.
 */
export function chainFor(operation: string, middleware: readonly Middleware[]): Middleware {
  const applicable: Middleware[] = [];
  for (const m of middleware) {
    if (!isSelective(m)) applicable.push(m);
    else if (m[APPLIES_TO](operation)) applicable.push(m.inner);
  }
  return chain(...applicable);
}
