import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, type Attributes, type Context as OtelContext, type Span, type SpanContext, type Tracer } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { lazyRequire } from '../internal/index.js';
import { newSpanId, newTraceId } from './ids.js';

const otelSdk = lazyRequire<typeof import('./otel-sdk.js')>('./otel-sdk.js', import.meta.url);

/** Starts a call's recording SERVER span, or returns undefined when the tracer must decide (see {@link serverSpanStarter}). */
export type ServerSpanStarter = (name: string, attributes: Attributes, parent: OtelContext) => Span | undefined;

/** What the SDK's span constructor takes (sdk-trace 2.12, Span.ts: SpanImpl's options, as Tracer.startSpan passes them). */
interface SpanOptions {
  resource: Resource;
  scope: ReadableSpan['instrumentationScope'];
  context: OtelContext;
  spanContext: SpanContext;
  name: string;
  kind: SpanKind;
  links: [];
  parentSpanContext: SpanContext | undefined;
  attributes: Attributes;
  startTime: undefined;
  spanProcessor: SpanProcessor;
  spanLimits: object;
  recordEndMetrics: undefined;
}
type SpanConstructor = new (options: SpanOptions) => Span;

/** What the SDK's Tracer holds and passes to each span it starts (the provider's resource, limits and processors). */
interface TracerInternals {
  instrumentationScope?: ReadableSpan['instrumentationScope'];
  _resource?: Resource;
  _spanLimits?: object;
  _spanProcessor?: SpanProcessor;
}

let spanClass: SpanConstructor | null | undefined;

/**
 * The SDK's span class (not exported by the package), taken from a span of a provider that has no
 * processor. Its sampler is given, not read from OTEL_TRACES_SAMPLER, and the probe has no parent, so
 * the span is a recording one; null (the tracer starts every span) if it is not all the same.
 */
function sdkSpanClass(): SpanConstructor | null {
  if (spanClass !== undefined) return spanClass;
  const { BasicTracerProvider, AlwaysOnSampler } = otelSdk().sdk;
  const probe = new BasicTracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('probe').startSpan('probe', {}, ROOT_CONTEXT);
  const recording = probe.isRecording();
  probe.end();
  spanClass = recording ? (Object.getPrototypeOf(probe) as { constructor: SpanConstructor }).constructor : null;
  return spanClass;
}

/**
 * For the app's own provider and sampler (ParentBased over TraceIdRatioBased(ratio)), the server
 * span of a call as the tracer would start it (the SDK's span class, given what the tracer gives it:
 * the same ids, context, resource, scope, attributes, limits and processors) without what `tracer.startSpan` does per call to
 * reach the same result: run the sampler (whose decision is known here: a sampled caller is
 * recorded, and with ratio 1 a call without a caller), sanitise the attributes twice and update
 * its no-op self-metrics. Undefined (the tracer decides) for an unsampled caller, a ratio below 1
 * without a caller, and a suppressed context.
 */
export function serverSpanStarter(ratio: number, tracer: Tracer): ServerSpanStarter | undefined {
  const { instrumentationScope: scope, _resource: resource, _spanLimits: spanLimits, _spanProcessor: spanProcessor } = tracer as unknown as TracerInternals;
  // Another SDK version, holding them elsewhere: its tracer starts every span.
  if (scope === undefined || resource === undefined || spanLimits === undefined || spanProcessor === undefined) return undefined;
  const isTracingSuppressed = otelSdk().core.isTracingSuppressed;
  const rootsRecorded = ratio >= 1;
  return (name, attributes, parent) => {
    if (parent !== ROOT_CONTEXT && isTracingSuppressed(parent)) return undefined;
    const caller = parent === ROOT_CONTEXT ? undefined : trace.getSpanContext(parent);
    const valid = caller !== undefined && trace.isSpanContextValid(caller);
    if (valid ? (caller.traceFlags & TraceFlags.SAMPLED) === 0 : !rootsRecorded) return undefined;
    const spanId = newSpanId();
    const traceId = valid ? caller.traceId : newTraceId();
    const spanContext = { traceId, spanId, traceFlags: TraceFlags.SAMPLED, traceState: valid ? caller.traceState : undefined } as SpanContext;
    // The class is looked up with the first recorded call: an app whose calls are never sampled never builds the probe.
    const SpanClass = spanClass ?? sdkSpanClass();
    if (SpanClass === null) return undefined;
    return new SpanClass({
      resource, scope, context: parent, spanContext, name, kind: SpanKind.SERVER, links: [], parentSpanContext: valid ? caller : undefined,
      attributes, startTime: undefined, spanProcessor, spanLimits, recordEndMetrics: undefined,
    });
  };
}
