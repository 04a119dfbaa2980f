import { context, ProxyTracerProvider, propagation, trace, type Span, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import type { InMemorySpanExporter, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { FrameworkError } from '../errors/index.js';
import { lazyRequire } from '../internal/index.js';
import { appResource, checkOtelEnv, envPropagator, envSpanProcessors, otlpExporter, samplerFromEnv } from './otel-env.js';
import { newSpanId, newTraceId } from './ids.js';
import { EncodedBatchSpanProcessor } from './otel-encoded-batch.js';
import { isOtlpProtoExporter } from './otel-otlp-exporter.js';
import { installOtelGlobals, NO_PROPAGATION, ownGlobalPropagator, w3cPropagator } from './otel-globals.js';
import { serverSpanStarter, type ServerSpanStarter } from './otel-server-span.js';

// The SDK loads with the first tracing an app builds, not with the framework (about 60 ms).
const otelSdk = lazyRequire<typeof import('./otel-sdk.js')>('./otel-sdk.js', import.meta.url);
const sdk = () => otelSdk().sdk;
const core = () => otelSdk().core;

/** Any OTel SDK span exporter (Jaeger, Zipkin, a custom one). */
export type SpanExporterLike = SpanExporter;

/**
 * Where finished spans go. 'otlp' uses the protocol of `OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL`
 * (default http/protobuf); 'otlp-http' is OTLP JSON over HTTP; 'otlp-grpc' OTLP over gRPC.
 */
export type TracingExporter = 'otlp' | 'otlp-http' | 'otlp-grpc' | 'console' | 'none' | 'memory' | SpanExporterLike;

/** Options of {@link createTracing}. Each one set here wins over the OTEL_* environment. */
export interface TracingOptions {
  /** `service.name` when neither `resource` nor OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES name the service. */
  serviceName: string;
  /** `service.version` of every span; default none (or OTEL_RESOURCE_ATTRIBUTES'). */
  serviceVersion?: string;
  /** Resource attributes that win over OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME (e.g. `service.name`). */
  resource?: Readonly<Record<string, string>>;
  /**
   * Where spans go; default 'otlp-http' when `endpoint` is set, else what OTEL_TRACES_EXPORTER or an
   * OTLP endpoint variable says, else 'none' (spans are still made, so trace ids reach logs and
   * outgoing calls). 'memory' keeps them for tests in `memoryExporter`.
   */
  exporter?: TracingExporter;
  /** Collector URL for the OTLP exporters; default the OTLP environment variables, then localhost. */
  endpoint?: string;
  /**
   * Share of new traces recorded, 0..1; default OTEL_TRACES_SAMPLER (+ _ARG), else 0. Calls whose
   * caller sampled them are recorded whatever the ratio (parent-based), so sampling off here still
   * continues upstream traces.
   */
  sampleRatio?: number;
  /** Export in batches in the background; default true for OTLP, false otherwise. */
  batch?: boolean;
  /**
   * Use a tracer provider installed globally (by a user-started NodeSDK): spans then go through its
   * sampler, processors and resource. Default true when one is installed; false always builds our own.
   */
  useGlobalProvider?: boolean;
}

/** One app's tracing: its own provider, so apps in one process keep their own service name and exporter. */
export interface Tracing {
  /** The tracer the tracing middleware start spans with (name `kratos`). */
  readonly tracer: Tracer;
  /** Reads and writes trace context on calls: OTEL_PROPAGATORS, else the global one, else W3C. */
  readonly propagator: TextMapPropagator;
  /**
   * Set when spans go to a global (NodeSDK) provider: the SERVER span @opentelemetry/instrumentation-http
   * opened for the request being handled, which the server middleware adopts instead of opening a second.
   */
  readonly instrumentedServerSpan?: (() => Span | undefined) | undefined;
  /**
   * True when the sampler is known to record only calls whose caller sampled them (our provider,
   * parent-based with ratio 0): the server middleware then makes no span for the other calls, only
   * their span context.
   */
  readonly recordsOnlySampledParents?: boolean;
  /** Set for the app's own provider and sampler: starts a call's SERVER span without the tracer when the sampler's decision is known. */
  readonly startRecordedServerSpan?: ServerSpanStarter | undefined;
  /** The in-memory exporter when `exporter` is 'memory'. Read it before {@link Tracing.shutdown}, which empties it. */
  readonly memoryExporter?: InMemorySpanExporter | undefined;
  /** Exports every span ended so far. */
  forceFlush(): Promise<void>;
  /** Flushes and stops the provider; a global one is only flushed (it belongs to whoever started it). Idempotent. */
  shutdown(): Promise<void>;
}

function makeExporter(exporter: TracingExporter, endpoint: string | undefined): SpanExporter | undefined {
  switch (exporter) {
    case 'none':
      return undefined;
    case 'memory':
      return new (sdk().InMemorySpanExporter)();
    case 'console':
      return new (sdk().ConsoleSpanExporter)();
    case 'otlp':
      return otlpExporter('env', endpoint);
    case 'otlp-http':
      return otlpExporter('http/json', endpoint);
    case 'otlp-grpc':
      return otlpExporter('grpc', endpoint);
    default:
      return exporter;
  }
}

function spanProcessors(options: TracingOptions): { processors: SpanProcessor[]; exporter: SpanExporter | undefined } {
  const kind = options.exporter ?? (options.endpoint === undefined ? undefined : 'otlp-http');
  if (kind === undefined) return { processors: envSpanProcessors() ?? [], exporter: undefined };
  const exporter = makeExporter(kind, options.endpoint);
  if (exporter === undefined) return { processors: [], exporter };
  const batch = options.batch ?? (kind === 'otlp' || kind === 'otlp-http' || kind === 'otlp-grpc');
  if (!batch) return { processors: [new (sdk().SimpleSpanProcessor)(exporter)], exporter };
  return { processors: [isOtlpProtoExporter(exporter) ? new EncodedBatchSpanProcessor(exporter) : new (sdk().BatchSpanProcessor)(exporter)], exporter };
}

/** The provider a user (typically NodeSDK) installed as OTel's global, if any. */
function globalProvider(): { forceFlush?: () => Promise<void> } | undefined {
  const p = trace.getTracerProvider();
  if (!(p instanceof ProxyTracerProvider)) return p as { forceFlush?: () => Promise<void> };
  return p.getDelegateTracer('kratos') === undefined ? undefined : (p.getDelegate() as { forceFlush?: () => Promise<void> });
}

function propagatorOf(installedGlobally: boolean): TextMapPropagator {
  const fromEnv = envPropagator();
  if (fromEnv !== undefined) return fromEnv ?? NO_PROPAGATION;
  // A propagator someone else installed (NodeSDK's, from its own config) is the one the rest of the process speaks.
  return installedGlobally ? (ownGlobalPropagator() ?? propagation) : w3cPropagator();
}

/** The SERVER span instrumentation-http keeps in the context of the request it is handling. */
function instrumentationHttpServerSpan(): Span | undefined {
  const c = core();
  const md = c.getRPCMetadata(context.active());
  return md?.type === c.RPCType.HTTP ? md.span : undefined;
}

/**
 * Builds an app's tracing (docs/observability.md#tracing): a provider with a ParentBased(TraceIdRatioBased(sampleRatio))
 * sampler, the OTEL_* environment for whatever the options leave unset, and OTel's global context
 * manager and propagator unless someone installed them first. When a NodeSDK is already running,
 * its global provider is used instead, so kratos-ts spans join the user's pipeline.
 */
export function createTracing(options: TracingOptions): Tracing {
  const ratio = options.sampleRatio;
  if (ratio !== undefined && !(ratio >= 0 && ratio <= 1)) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `tracing sampleRatio must be within 0..1, got ${ratio}`);
  }
  checkOtelEnv();
  const user = options.useGlobalProvider === false ? undefined : globalProvider();
  const propagator = propagatorOf(propagation.fields().length > 0);
  if (user !== undefined) {
    const flush = (): Promise<void> => user.forceFlush?.() ?? Promise.resolve();
    // Stopping the app sends its spans on, but the provider stays up for its owner to shut down.
    return { tracer: trace.getTracer('kratos'), propagator, instrumentedServerSpan: instrumentationHttpServerSpan, forceFlush: flush, shutdown: flush };
  }
  installOtelGlobals(propagator);
  const { processors, exporter } = spanProcessors(options);
  const fixed: Record<string, string> = { ...(options.resource ?? {}) };
  if (options.serviceVersion !== undefined && options.serviceVersion !== '') fixed['service.version'] = options.serviceVersion;
  const s = sdk();
  // With no ratio given, OTEL_TRACES_SAMPLER (+ _ARG) applies: the provider reads it when no sampler is passed.
  const fromEnv = ratio === undefined && samplerFromEnv();
  const sampler = fromEnv ? {} : { sampler: new s.ParentBasedSampler({ root: new s.TraceIdRatioBasedSampler(ratio ?? 0) }) };
  // Ids from the same pooled random blocks as unsampled calls' (the SDK's default draws Math.random per word and hexes each id).
  const idGenerator = { generateTraceId: newTraceId, generateSpanId: newSpanId };
  const provider = new s.BasicTracerProvider({ resource: appResource(options.serviceName, fixed), spanProcessors: processors, idGenerator, ...sampler });
  let stopping: Promise<void> | undefined;
  const tracer = provider.getTracer('kratos');
  return {
    tracer,
    propagator,
    recordsOnlySampledParents: !fromEnv && (ratio ?? 0) === 0,
    startRecordedServerSpan: fromEnv ? undefined : serverSpanStarter(ratio ?? 0, tracer),
    memoryExporter: exporter instanceof s.InMemorySpanExporter ? exporter : undefined,
    forceFlush: () => provider.forceFlush(),
    shutdown: () => (stopping ??= provider.shutdown()),
  };
}
