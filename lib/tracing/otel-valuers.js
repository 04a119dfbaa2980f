import { context, isSpanContextValid, trace } from '@opentelemetry/api';
function activeSpanContext() {
    const sc = trace.getSpan(context.active())?.spanContext();
    return sc !== undefined && isSpanContextValid(sc) ? sc : undefined;
}
/**
 * The active span's trace id in hex, '' outside a span (Kratos `tracing.TraceID()`). Meant as a lazy
 * log value: pass the function itself, e.g. `valuer(traceIdValuer)`, so it is read per record.
 */
export function traceIdValuer() {
    return activeSpanContext()?.traceId ?? '';
}
/** The active span's span id in hex, '' outside a span (Kratos `tracing.SpanID()`); see {@link traceIdValuer}. */
export function spanIdValuer() {
    return activeSpanContext()?.spanId ?? '';
}
