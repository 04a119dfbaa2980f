import { startClientSpan, startServerSpan, type SpanHandle, type Tracing } from '../../tracing/index.js';
import type { Context } from '../../transport/index.js';
import { onCallEnd, repliesOnce, type CallOutcome } from '../call-end.js';
import { staged } from '../stage.js';
import type { Handler, Middleware } from '../types.js';

/**
 * A call the sampler does not record, with one reply: its span has nothing to end, so the handler
 * only runs in its scope, with no watch on the reply (no `.then`, no outcome).
 */
function inScope(span: SpanHandle, next: Handler, req: unknown, ctx: Context): Promise<unknown> {
  try {
    const reply: unknown = span.runCall(next, req, ctx);
    return reply instanceof Promise ? reply : Promise.resolve(reply);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Tracing's end, fused: as alone, an unsampled call with one reply has nothing to end. */
function endSpan(span: SpanHandle, outcome: CallOutcome, ctx: Context): void {
  if (span.recording === false && repliesOnce(ctx)) return;
  span.end(outcome.error);
}

// The handles' methods are shared, so a stage's scope is bound to its call's span (the fused frame and streams only).
const scopeOf = (span: SpanHandle): SpanHandle['runInContext'] => (fn) => span.runInContext(fn);

/** Runs `fn(arg)` with the call's span active, for the fused run it heads. */
function enterSpan<A, T>(span: SpanHandle, fn: (arg: A) => T, arg: A): T {
  return span.runCall(fn, arg, undefined);
}

function traced(tracing: Tracing, start: (tracing: Tracing, ctx: Context) => SpanHandle): Middleware {
  const middleware: Middleware = (next) => (req, ctx) => {
    const span = start(tracing, ctx);
    if (span.recording === false && repliesOnce(ctx)) return inScope(span, next, req, ctx);
    // The handler and every pull of a reply stream run with the span active, so calls made inside
    // become its children; the span ends when the call (or its stream) does.
    // Latency is not read, so no start time is taken (0).
    return onCallEnd(next, req, ctx, (outcome) => span.end(outcome.error), 0, scopeOf(span));
  };
  // `enter` lets the span head a fused run: a recorded call's span ends from the run's one watch on the
  // reply, not from a `.then` of its own (docs/performance.md "The eighth round").
  return staged(middleware, { begin: (_req: unknown, ctx: Context) => start(tracing, ctx), scope: scopeOf, end: endSpan, enter: enterSpan });
}

/**
 * Server middleware (docs/observability.md#tracing): continues the W3C trace context of the request headers (HTTP or
 * gRPC metadata) with a SERVER span named after the operation, and runs the handler inside it.
 * Errors set status ERROR, record the exception and `rpc.status_code` (the Kratos HTTP code).
 */
export function tracingServer(tracing: Tracing): Middleware {
  return traced(tracing, startServerSpan);
}

/** Client middleware: a CLIENT span under the active one, its `traceparent`/`tracestate`/`baggage` written to the request headers. */
export function tracingClient(tracing: Tracing): Middleware {
  return traced(tracing, startClientSpan);
}
