import type { Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { FrameworkError } from '../errors/index.js';
import { lazyRequire } from '../internal/index.js';
import { installOtelGlobals } from './otel-globals.js';

// Loaded only when spans are exported over OTLP: together they cost about 150 ms of start-up.
const otlpHttp = lazyRequire<typeof import('@opentelemetry/exporter-trace-otlp-http')>('@opentelemetry/exporter-trace-otlp-http');
const otlpGrpc = lazyRequire<typeof import('@opentelemetry/exporter-trace-otlp-grpc')>('@opentelemetry/exporter-trace-otlp-grpc');

/** Any OTel SDK span exporter (Jaeger, Zipkin, a custom one). */
export type SpanExporterLike = SpanExporter;

/** Where finished spans go. */
export type TracingExporter = 'otlp-http' | 'otlp-grpc' | 'console' | 'none' | 'memory' | SpanExporterLike;

/** Options of {@link createTracing}. */
export interface TracingOptions {
  /** `service.name` of every span. */
  serviceName: string;
  /** `service.version` of every span; default none. */
  serviceVersion?: string;
  /**
   * Where spans go; default 'otlp-http' when `endpoint` is set, else 'none' (spans are still made,
   * so trace ids reach logs and outgoing calls). 'memory' keeps them for tests in `memoryExporter`.
   */
  exporter?: TracingExporter;
  /** Collector URL for the OTLP exporters; default the OTLP environment variables, then localhost. */
  endpoint?: string;
  /**
   * Share of new traces recorded, 0..1; default 0. Calls whose caller sampled them are recorded
   * whatever the ratio (parent-based), so sampling off here still continues upstream traces.
   */
  sampleRatio?: number;
  /** Export in batches in the background; default true for OTLP, false otherwise. */
  batch?: boolean;
}

/** One app's tracing: its own provider, so apps in one process keep their own service name and exporter. */
export interface Tracing {
  /** The tracer the tracing middleware start spans with (name `kratos`). */
  readonly tracer: Tracer;
  /** The in-memory exporter when `exporter` is 'memory'. Read it before {@link Tracing.shutdown}, which empties it. */
  readonly memoryExporter?: InMemorySpanExporter | undefined;
  /** Exports every span ended so far. */
  forceFlush(): Promise<void>;
  /** Flushes and stops the provider; idempotent. */
  shutdown(): Promise<void>;
}

function makeExporter(exporter: TracingExporter, endpoint: string | undefined): SpanExporter | undefined {
  const url = endpoint === undefined ? {} : { url: endpoint };
  switch (exporter) {
    case 'none':
      return undefined;
    case 'memory':
      return new InMemorySpanExporter();
    case 'console':
      return new ConsoleSpanExporter();
    case 'otlp-http':
      return new (otlpHttp().OTLPTraceExporter)(url);
    case 'otlp-grpc':
      return new (otlpGrpc().OTLPTraceExporter)(url);
    default:
      return exporter;
  }
}

/**
 * Builds an app's tracing (§9): a provider with a ParentBased(TraceIdRatioBased(sampleRatio))
 * sampler and one span processor, and installs OTel's global context manager and W3C propagator.
 */
export function createTracing(options: TracingOptions): Tracing {
  const ratio = options.sampleRatio ?? 0;
  if (!(ratio >= 0 && ratio <= 1)) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `tracing sampleRatio must be within 0..1, got ${ratio}`);
  }
  installOtelGlobals();
  const kind = options.exporter ?? (options.endpoint === undefined ? 'none' : 'otlp-http');
  const exporter = makeExporter(kind, options.endpoint);
  const batch = options.batch ?? (kind === 'otlp-http' || kind === 'otlp-grpc');
  const spanProcessors: SpanProcessor[] = [];
  if (exporter !== undefined) spanProcessors.push(batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter));
  const attributes: Record<string, string> = { 'service.name': options.serviceName };
  if (options.serviceVersion !== undefined) attributes['service.version'] = options.serviceVersion;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(attributes),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors,
  });
  let stopping: Promise<void> | undefined;
  return {
    tracer: provider.getTracer('kratos'),
    memoryExporter: exporter instanceof InMemorySpanExporter ? exporter : undefined,
    forceFlush: () => provider.forceFlush(),
    shutdown: () => (stopping ??= provider.shutdown()),
  };
}
