import { context, isSpanContextValid, trace, type Context as OtelContext } from '@opentelemetry/api';
import { CallSpanContext, type SpanIds } from './otel-call-context.js';

// A log line reads trace.id then span.id from the same context: the second read reuses the first.
let lastContext: OtelContext | undefined;
let lastSpanContext: SpanIds | undefined;

function activeSpanContext(): SpanIds | undefined {
  const active = context.active();
  if (active instanceof CallSpanContext) {
    const ids = active.ids;
    if (ids !== undefined) return ids;
  }
  if (active === lastContext) return lastSpanContext;
  const sc = trace.getSpan(active)?.spanContext();
  lastContext = active;
  lastSpanContext = sc !== undefined && isSpanContextValid(sc) ? sc : undefined;
  return lastSpanContext;
}

/**
 * The active span's trace id in hex, '' outside a span (Kratos `tracing.TraceID()`). Meant as a lazy
 * log value: pass the function itself, e.g. `valuer(traceIdValuer)`, so it is read per record.
 */
export function traceIdValuer(): string {
  return activeSpanContext()?.traceId ?? '';
}

/** The active span's span id in hex, '' outside a span (Kratos `tracing.SpanID()`); see {@link traceIdValuer}. */
export function spanIdValuer(): string {
  return activeSpanContext()?.spanId ?? '';
}
