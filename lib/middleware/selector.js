import { FrameworkError } from '../errors/index.js';
import { chain } from './chain.js';
/** Set on middleware built by {@link selector}, so servers can decide per operation once, at boot. */
export const APPLIES_TO = Symbol.for('kratos-ts/middleware/appliesTo');
function compileOne(m) {
    if (typeof m === 'function')
        return m;
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
export function compileMatchers(matchers) {
    const tests = matchers.map(compileOne);
    if (tests.length === 1)
        return tests[0];
    return (op) => tests.some((t) => t(op));
}
/** Wraps `inner` so it runs only for operations `appliesTo` accepts (decided once per operation). */
export function selective(inner, appliesTo) {
    const decided = new Map();
    const mw = (next) => {
        const wrapped = inner(next);
        return (req, ctx) => {
            let yes = decided.get(ctx.operation);
            if (yes === undefined) {
                yes = appliesTo(ctx.operation);
                if (decided.size < 10_000)
                    decided.set(ctx.operation, yes);
            }
            return yes ? wrapped(req, ctx) : next(req, ctx);
        };
    };
    return Object.assign(mw, { [APPLIES_TO]: appliesTo, inner });
}
/** True for middleware made by {@link selective} or {@link selector}. */
export function isSelective(m) {
    return typeof m[APPLIES_TO] === 'function';
}
/** Fluent builder of {@link selector}. */
export class SelectorBuilder {
    #middleware;
    #matchers = [];
    constructor(middleware) {
        this.#middleware = middleware;
    }
    /** Exact operations (a trailing `*` makes a prefix). */
    path(...operations) {
        this.#matchers.push(...operations);
        return this;
    }
    /** Operation prefixes, written with or without the trailing `*`. */
    prefix(...prefixes) {
        this.#matchers.push(...prefixes.map((p) => (p.endsWith('*') ? p : `${p}*`)));
        return this;
    }
    /** Regular expressions that must match the whole operation. */
    regex(...patterns) {
        this.#matchers.push(...patterns.map((p) => (typeof p === 'string' ? new RegExp(p) : p)));
        return this;
    }
    /** A predicate over the operation. */
    match(fn) {
        this.#matchers.push(fn);
        return this;
    }
    build() {
        return selective(chain(...this.#middleware), compileMatchers(this.#matchers));
    }
}
/**
 * Applies `middleware` only to the operations named by the builder (Kratos `selector`):
 * `selector(jwt).prefix('/api.Admin/').build()`.
 */
export function selector(...middleware) {
    return new SelectorBuilder(middleware);
}
/**
 * The chain that applies to `operation`: selective middleware is resolved now (kept unwrapped or
 * dropped), so the handler built from it does no matching per call.
 */
export function chainFor(operation, middleware) {
    const applicable = [];
    for (const m of middleware) {
        if (!isSelective(m))
            applicable.push(m);
        else if (m[APPLIES_TO](operation))
            applicable.push(m.inner);
    }
    return chain(...applicable);
}
