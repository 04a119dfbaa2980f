import { currentContext } from '../transport/index.js';
// A WeakMap rather than ctx.metadata: metadata is propagated to downstream calls, and verified claims
// must never leak out of the service that verified them. The entry dies with the context.
const verified = new WeakMap();
/** @internal Records the verified claims of a call; only jwtServer calls it. */
export function setClaims(ctx, claims) {
    verified.set(ctx, claims);
}
/**
 * The claims `jwtServer` verified for the call of `ctx`; undefined when it did not run for it.
 * @public
 */
export function claimsOf(ctx) {
    return verified.get(ctx);
}
/**
 * The verified claims of the call being served, anywhere below its handler; undefined outside a call
 * or when `jwtServer` did not run for it.
 * @public
 */
export function currentClaims() {
    const ctx = currentContext();
    return ctx === undefined ? undefined : verified.get(ctx);
}
