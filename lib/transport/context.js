import { AsyncLocalStorage } from 'node:async_hooks';
const storage = new AsyncLocalStorage();
/** The context of the call being served, anywhere below a handler; undefined outside a call. */
export function currentContext() {
    return storage.getStore();
}
/** Runs `fn` with `ctx` as the current context. Transports call this once per call. */
export function runWithContext(ctx, fn) {
    return storage.run(ctx, fn);
}
