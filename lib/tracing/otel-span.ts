import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Context as OtelContext, type Span } from '@opentelemetry/api';
import { fromError } from '../errors/index.js';
import { runCallWithTraceContext, runWithTraceContext, type Context } from '../transport/index.js';
import { ATTR_RPC_STATUS_CODE, callAttributes } from './attributes.js';
import { newSpanId, newTraceId } from './ids.js';
import { CallSpanContext, UnsampledCallSpan } from './otel-call-context.js';
import { HEADER_GETTER, HEADER_SETTER, ownsContext, readsOnlyItsFields } from './otel-globals.js';
import type { Tracing } from './otel-tracing.js';

/** A started call span, as much of it as middleware needs without touching OTel. */
export interface SpanHandle {
  /** Trace id (32 hex digits). */
  readonly traceId: string;
  /** Span id (16 hex digits). */
  readonly spanId: string;
  /** Runs `fn` with this span active, so child spans, outgoing calls and log valuers see it. */
  runInContext<T>(fn: () => T): T;
  /** `fn(a, b)` with this span active, as {@link runInContext}, without a closure to make per call. */
  runCall<A, B, T>(fn: (a: A, b: B) => T, a: A, b: B): T;
  /** Ends the span: OK, or ERROR with the exception recorded and `rpc.status_code`. Later calls do nothing. */
  end(err?: unknown): void;
  /** False for a call the sampler does not record: {@link end} does nothing, only the scope matters. */
  readonly recording?: boolean;
}

/**
 * A recorded (or adopted) span's handle: one object, its methods shared, where a call made four
 * closures. TypeScript-private fields, as CallSpanContext's: made per call.
 */
class RecordedSpanHandle implements SpanHandle {
  readonly traceId: string;
  readonly spanId: string;
  private ended = false;

  constructor(
    private readonly span: Span,
    private readonly active: OtelContext,
    private readonly owned: boolean,
  ) {
    const sc = span.spanContext();
    this.traceId = sc.traceId;
    this.spanId = sc.spanId;
  }

  runInContext<T>(fn: () => T): T {
    return ownsContext() ? runWithTraceContext(this.active, fn) : context.with(this.active, fn);
  }

  runCall<A, B, T>(fn: (a: A, b: B) => T, a: A, b: B): T {
    return ownsContext() ? runCallWithTraceContext(this.active, fn, a, b) : context.with(this.active, fn, undefined, a, b);
  }

  end(err?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const span = this.span;
    if (err === undefined) {
      span.setStatus({ code: SpanStatusCode.OK });
    } else {
      // The span is internal, so it keeps the real message that clients of a 500 do not see.
      const e = fromError(err);
      span.recordException(err instanceof Error ? err : String(err));
      if (e !== undefined) span.setAttribute(ATTR_RPC_STATUS_CODE, e.code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: e?.message ?? String(err) });
    }
    // An adopted span belongs to the instrumentation that opened it, which ends it with the response.
    if (this.owned) span.end();
  }
}

function handle(span: Span, active: OtelContext, owned = true): SpanHandle {
  return new RecordedSpanHandle(span, active, owned);
}

/**
 * Starts the SERVER span of an incoming call, named after its operation, as a child of the W3C
 * trace context found in its request headers (or a new root). The ambient context is ignored, so a
 * server started inside some span does not adopt every request into that trace.
 */
export function startServerSpan(tracing: Tracing, ctx: Context): SpanHandle {
  if (tracing.instrumentedServerSpan !== undefined && ctx.kind === 'http') {
    const adopted = tracing.instrumentedServerSpan();
    if (adopted !== undefined) return adopt(adopted, ctx);
  }
  const parent = incomingContext(tracing, ctx);
  if (tracing.recordsOnlySampledParents === true) {
    const unsampled = unlessSampled(parent);
    if (unsampled !== undefined) return unsampled;
  }
  const attributes = callAttributes(ctx);
  const recorded = tracing.startRecordedServerSpan?.(ctx.operation, attributes, parent);
  // Its ids are new or its caller's, checked before: log valuers need not check them again per line.
  if (recorded !== undefined) return handle(recorded, new CallSpanContext(recorded, parent, recorded.spanContext()));
  const span = tracing.tracer.startSpan(ctx.operation, { kind: SpanKind.SERVER, attributes }, parent);
  return handle(span, new CallSpanContext(span, parent));
}

// Which header fields the propagator reads, per propagator: a call carrying none of them has no parent.
const FIELDS = new WeakMap<object, readonly string[]>();

/**
 * The trace context the request carries. When only sampled parents are recorded, or the propagator is
 * kratos-ts' own W3C one (which reads nothing but its fields), a call with none of the propagator's
 * fields is the root without extracting; otherwise every call is extracted, since a propagator's
 * fields() need not name all it reads (Jaeger's baggage travels in `uberctx-*` headers).
 */
function incomingContext(tracing: Tracing, ctx: Context): OtelContext {
  const propagator = tracing.propagator;
  if (tracing.recordsOnlySampledParents !== true && !readsOnlyItsFields(propagator)) return propagator.extract(ROOT_CONTEXT, ctx.requestHeader, HEADER_GETTER);
  let fields = FIELDS.get(propagator);
  if (fields === undefined) FIELDS.set(propagator, (fields = propagator.fields()));
  const header = ctx.requestHeader;
  for (const f of fields) if (header.get(f) !== undefined) return propagator.extract(ROOT_CONTEXT, header, HEADER_GETTER);
  return ROOT_CONTEXT;
}

/**
 * When the sampler records only calls whose caller sampled them: for a call it would not record,
 * what the SDK would give it, a span context (a new span id; the caller's trace id and trace state,
 * or a new trace id) active for the handler, propagated to outgoing calls and read by log valuers,
 * without asking the tracer for a span (no sampler run, no attributes). Undefined for a sampled caller.
 */
function unlessSampled(parent: OtelContext): SpanHandle | undefined {
  const caller = parent === ROOT_CONTEXT ? undefined : trace.getSpanContext(parent);
  const valid = caller !== undefined && trace.isSpanContextValid(caller);
  if (valid && (caller.traceFlags & TraceFlags.SAMPLED) !== 0) return undefined;
  const traceId = valid ? caller.traceId : newTraceId();
  return new UnsampledCallSpan(traceId, newSpanId(), valid ? caller.traceState : undefined, parent);
}

/**
 * Takes over the SERVER span @opentelemetry/instrumentation-http opened for this very request, so a
 * NodeSDK user sees one server span with kratos-ts' name and attributes (and its http.* ones), not two.
 */
function adopt(span: Span, ctx: Context): SpanHandle {
  span.updateName(ctx.operation);
  span.setAttributes(callAttributes(ctx));
  return handle(span, context.active(), false);
}

/**
 * Starts the CLIENT span of an outgoing call as a child of the active span, and writes its W3C
 * trace context (and the active baggage) into the call's request headers.
 */
export function startClientSpan(tracing: Tracing, ctx: Context): SpanHandle {
  const parent = context.active();
  const span = tracing.tracer.startSpan(ctx.operation, { kind: SpanKind.CLIENT, attributes: callAttributes(ctx) }, parent);
  const active = trace.setSpan(parent, span);
  tracing.propagator.inject(active, ctx.requestHeader, HEADER_SETTER);
  return handle(span, active);
}
