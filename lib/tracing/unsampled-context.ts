import { trace, type Context as OtelContext, type Span, type SpanContext } from '@opentelemetry/api';

// OTel's key of the active span in a context: a global symbol, so every copy of the API shares it.
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/**
 * The OTel context of a call its sampler does not record: the caller's context (or the root) with a
 * non-recording span of a span context made here, as `trace.setSpanContext(parent, sc)` would make
 * it, without copying the parent's entries into a new map per call. Setting or deleting a value
 * gives the same context OTel's own would.
 */
export class UnsampledContext implements OtelContext {
  readonly span: Span;

  constructor(
    readonly spanContext: SpanContext,
    private readonly parent: OtelContext,
  ) {
    this.span = trace.wrapSpanContext(spanContext);
  }

  getValue(key: symbol): unknown {
    return key === SPAN_KEY ? this.span : this.parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): OtelContext {
    return trace.setSpan(this.parent, this.span).setValue(key, value);
  }

  deleteValue(key: symbol): OtelContext {
    return trace.setSpan(this.parent, this.span).deleteValue(key);
  }
}
