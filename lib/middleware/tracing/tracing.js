import { startClientSpan, startServerSpan } from '../../tracing/index.js';
import { observeCall } from '../metrics/index.js';
function traced(tracing, start) {
    return (next) => (req, ctx) => {
        const span = start(tracing, ctx);
        // The handler and every pull of a reply stream run with the span active, so calls made inside
        // become its children; the span ends when the call (or its stream) does.
        return observeCall(() => next(req, ctx), ctx, (err) => span.end(err), span.runInContext);
    };
}
/**
 * Server middleware (§9 tracing): continues the W3C trace context of the request headers (HTTP or
 * gRPC metadata) with a SERVER span named after the operation, and runs the handler inside it.
 * Errors set status ERROR, record the exception and `rpc.status_code` (the Kratos HTTP code).
 */
export function tracingServer(tracing) {
    return traced(tracing, startServerSpan);
}
/** Client middleware: a CLIENT span under the active one, its `traceparent`/`tracestate`/`baggage` written to the request headers. */
export function tracingClient(tracing) {
    return traced(tracing, startClientSpan);
}
