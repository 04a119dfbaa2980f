import { trace, type Context as OtelContext, type Span, type SpanContext } from '@opentelemetry/api';

// OTel's key of the active span in a context: a global symbol, so every copy of the API shares it.
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/**
 * The OTel context a server call runs in: the caller's context (or the root) with the call's span,
 * as `trace.setSpan(parent, span)` makes it, without copying the parent's entries into a new map
 * per call. Setting or deleting a value gives the same context OTel's own would.
 */
export class CallSpanContext implements OtelContext {
  constructor(
    readonly span: Span,
    private readonly parent: OtelContext,
    /** The span context when the tracing made it from ids it generated or checked: valid by construction. */
    readonly checked?: SpanContext,
  ) {}

  /** A call's context with a non-recording span of `sc`, as `trace.setSpanContext(parent, sc)` would make it. */
  static unsampled(sc: SpanContext, parent: OtelContext): CallSpanContext {
    return new CallSpanContext(trace.wrapSpanContext(sc), parent, sc);
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
