import { startClientSpan, startServerSpan, type SpanHandle, type Tracing } from '../../tracing/index.js';
import type { Context } from '../../transport/index.js';
import { onCallEnd } from '../call-end.js';
import type { Middleware } from '../types.js';

function traced(tracing: Tracing, start: (tracing: Tracing, ctx: Context) => SpanHandle): Middleware {
  return (next) => (req, ctx) => {
    const span = start(tracing, ctx);
    // The handler and every pull of a reply stream run with the span active, so calls made inside
    // become its children; the span ends when the call (or its stream) does.
    // Latency is not read, so no start time is taken (0).
    return onCallEnd(next, req, ctx, (outcome) => span.end(outcome.error), 0, span.runInContext);
  };
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
