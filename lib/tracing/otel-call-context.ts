import { trace, type Context as OtelContext, type Span, type SpanContext } from '@opentelemetry/api';

// OTel's key of the active span in a context: a global symbol, so every copy of the API shares it.
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/**
 * The OTel context a server call runs in: the caller's context (or the root) with the call's span,
 * as `trace.setSpan(parent, span)` makes it, without copying the parent's entries into a new map
 * per call. Setting or deleting a value gives the same context OTel's own would.
 */
export class CallSpanContext implements OtelContext {
  #span: Span | undefined;

  constructor(
    span: Span | undefined,
    private readonly parent: OtelContext,
    /** The span context when the tracing made it from ids it generated or checked: valid by construction. */
    readonly checked?: SpanContext,
  ) {
    this.#span = span;
  }

  /**
   * A call's context with a non-recording span of `sc`, as `trace.setSpanContext(parent, sc)` would make it.
   * The span object is made when something asks for it (an outgoing call, user code): log lines read
   * the ids from `checked`, so a call that does neither never makes one.
   */
  static unsampled(sc: SpanContext, parent: OtelContext): CallSpanContext {
    return new CallSpanContext(undefined, parent, sc);
  }

  /** The call's span. */
  get span(): Span {
    return (this.#span ??= trace.wrapSpanContext(this.checked as SpanContext));
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
