import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { fromError } from '../errors/index.js';
import { ATTR_RPC_STATUS_CODE, callAttributes } from './attributes.js';
import { HEADER_GETTER, HEADER_SETTER, PROPAGATOR } from './otel-globals.js';
function handle(span, active) {
    const sc = span.spanContext();
    let ended = false;
    return {
        traceId: sc.traceId,
        spanId: sc.spanId,
        runInContext: (fn) => context.with(active, fn),
        end: (err) => {
            if (ended)
                return;
            ended = true;
            if (err === undefined) {
                span.setStatus({ code: SpanStatusCode.OK });
            }
            else {
                // The span is internal, so it keeps the real message that clients of a 500 do not see.
                const e = fromError(err);
                span.recordException(err instanceof Error ? err : String(err));
                if (e !== undefined)
                    span.setAttribute(ATTR_RPC_STATUS_CODE, e.code);
                span.setStatus({ code: SpanStatusCode.ERROR, message: e?.message ?? String(err) });
            }
            span.end();
        },
    };
}
/**
 * Starts the SERVER span of an incoming call, named after its operation, as a child of the W3C
 * trace context found in its request headers (or a new root). The ambient context is ignored, so a
 * server started inside some span does not adopt every request into that trace.
 */
export function startServerSpan(tracing, ctx) {
    const parent = PROPAGATOR.extract(ROOT_CONTEXT, ctx.requestHeader, HEADER_GETTER);
    const span = tracing.tracer.startSpan(ctx.operation, { kind: SpanKind.SERVER, attributes: callAttributes(ctx) }, parent);
    return handle(span, trace.setSpan(parent, span));
}
/**
 * Starts the CLIENT span of an outgoing call as a child of the active span, and writes its W3C
 * trace context (and the active baggage) into the call's request headers.
 */
export function startClientSpan(tracing, ctx) {
    const parent = context.active();
    const span = tracing.tracer.startSpan(ctx.operation, { kind: SpanKind.CLIENT, attributes: callAttributes(ctx) }, parent);
    const active = trace.setSpan(parent, span);
    PROPAGATOR.inject(active, ctx.requestHeader, HEADER_SETTER);
    return handle(span, active);
}
