import type { Context } from './context.js';

/**
 * An operation's method as the transport may call it when nothing wraps it but a fused run of the
 * built-in middleware (no other middleware, no request schema, not a stream): it returns what the
 * method returns (a value, or its own promise when the method is async), and a rejected promise when
 * the method throws or the request was refused. A transport that calls it in place of the handler
 * answers a synchronous method's reply at once, with no promise; the handler, which always returns
 * one, stays for everyone else.
 */
export type DirectCall = (request: unknown, ctx: Context) => unknown;

const DIRECT_CALL = Symbol('kratos-ts/direct-call');

/** `handler`, carrying `direct` for transports that look for it; built once per operation at boot. */
export function withDirectCall<H extends object>(handler: H, direct: DirectCall): H {
  (handler as { [DIRECT_CALL]?: DirectCall })[DIRECT_CALL] = direct;
  return handler;
}

/** Whether a direct call's result is to be awaited (a promise, or any thenable as `await` takes it). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The direct form of `handler` (see {@link DirectCall}), or undefined when it has none. */
export function directCallOf(handler: object): DirectCall | undefined {
  return (handler as { [DIRECT_CALL]?: DirectCall })[DIRECT_CALL];
}
