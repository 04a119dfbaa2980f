import { runCallWithTraceContext, runWithTraceContext } from '../transport/index.js';
import { ownsContext } from './otel-globals.js';
import { context, trace, TraceFlags, type Context as OtelContext, type Span, type SpanContext, type TraceState } from '@opentelemetry/api';

// OTel's key of the active span in a context: a global symbol, so every copy of the API shares it.
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/** What log valuers read of a call's span: its ids. */
export interface SpanIds {
  readonly traceId: string;
  readonly spanId: string;
}

/**
 * The OTel context a server call runs in: the caller's context (or the root) with the call's span,
 * as `trace.setSpan(parent, span)` makes it, without copying the parent's entries into a new map
 * per call. Setting or deleting a value gives the same context OTel's own would.
 */
export class CallSpanContext implements OtelContext {
  // TypeScript-private rather than `#` fields: one of these is made per call, and V8 builds an object
  // with `#` fields about twice as slowly (docs/performance.md "The seventh round").
  private spanMade: Span | undefined;
  private readonly checkedIds: SpanContext | undefined;

  constructor(
    span: Span | undefined,
    private readonly parent: OtelContext,
    checked?: SpanContext,
  ) {
    this.spanMade = span;
    this.checkedIds = checked;
  }

  /**
   * A call's context with a non-recording span of `sc`, as `trace.setSpanContext(parent, sc)` would make it.
   * The span object is made when something asks for it (an outgoing call, user code): log lines read
   * the ids from `checked`, so a call that does neither never makes one.
   */
  static unsampled(sc: SpanContext, parent: OtelContext): CallSpanContext {
    return new CallSpanContext(undefined, parent, sc);
  }

  /** The span context when the tracing made it from ids it generated or checked: valid by construction. */
  get checked(): SpanContext | undefined {
    return this.checkedIds;
  }

  /** The ids of {@link checked}, for log valuers: undefined when they must be read (and checked) from the span. */
  get ids(): SpanIds | undefined {
    return this.checkedIds;
  }

  /** The call's span. */
  get span(): Span {
    return (this.spanMade ??= trace.wrapSpanContext(this.checked as SpanContext));
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

/**
 * The whole of an unsampled server call's tracing in one object: its OTel context (as
 * {@link CallSpanContext.unsampled} makes it), its ids, and the handle the middleware runs the call
 * through. Its span context object is made only when something asks for the span (an outgoing call,
 * user code); log valuers read the ids from the object itself. Per call that is this object and the
 * two ids, where a span context, a context, a handle and its two closures were made before.
 */
export class UnsampledCallSpan extends CallSpanContext {
  private sc: SpanContext | undefined;

  constructor(
    readonly traceId: string,
    readonly spanId: string,
    private readonly traceState: TraceState | undefined,
    parent: OtelContext,
  ) {
    super(undefined, parent);
  }

  /** A call the sampler does not record: its span has nothing to end. */
  get recording(): false {
    return false;
  }

  // The same span context `unlessSampled` used to make for every call: trace state only when the caller sent one.
  override get checked(): SpanContext {
    if (this.sc !== undefined) return this.sc;
    const { traceId, spanId, traceState } = this;
    return (this.sc = traceState !== undefined ? { traceId, spanId, traceFlags: TraceFlags.NONE, traceState } : { traceId, spanId, traceFlags: TraceFlags.NONE });
  }

  override get ids(): SpanIds {
    return this;
  }

  runInContext<T>(fn: () => T): T {
    return ownsContext() ? runWithTraceContext(this, fn) : context.with(this, fn);
  }

  runCall<A, B, T>(fn: (a: A, b: B) => T, a: A, b: B): T {
    return ownsContext() ? runCallWithTraceContext(this, fn, a, b) : context.with(this, fn, undefined, a, b);
  }

  end(): void {}
}
