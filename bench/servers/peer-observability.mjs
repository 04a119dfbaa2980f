// What a team adds by hand to a peer framework to get kratos-ts' default observability, shared by the
// *-obs servers: OpenTelemetry through @opentelemetry/sdk-node, and prom-client metrics. The JSON log
// line is each framework's own pino integration, written to stdout like kratos-ts' access log.
//
// Tracing: NodeSDK with the given instrumentations, ParentBased(AlwaysOff) ("sampler off", kratos-ts'
// default) or ParentBased(AlwaysOn) ("sampled"), and in both a BatchSpanProcessor (default settings)
// with the OTLP http/protobuf exporter pointed at the bench's collector stub (BENCH_COLLECTOR), which is
// what kratos-ts' `tracing: { exporter: 'otlp', endpoint }` builds too.
// Metrics: collectDefaultMetrics, a counter {method,route,code} and a histogram {method,route,code} with
// Kratos' 8 buckets, both updated once per request, and GET /metrics.
import { register as registerLoader } from 'node:module';

/** Starts NodeSDK before the framework is imported; `instrumentations()` builds them after the ESM hook is in place. */
export async function startOtel(sampled, instrumentations) {
  // The documented way to instrument ES modules: import-in-the-middle's loader hook, before any framework import.
  registerLoader('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const { startNodeSdk } = await import('@opentelemetry/sdk-node');
  const { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler } = await import('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  const url = `${process.env.BENCH_COLLECTOR ?? 'http://127.0.0.1:4318'}/v1/traces`;
  const list = await instrumentations();
  startNodeSdk({
    logLevel: 'error',
    resourceAttributes: { 'service.name': 'bench-peer' },
    sampler: new ParentBasedSampler({ root: sampled ? new AlwaysOnSampler() : new AlwaysOffSampler() }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: list,
  });
  return list;
}

/** prom-client: default metrics, one counter and one histogram per request, and the /metrics text. */
export async function promMetrics() {
  const { default: client } = await import('prom-client');
  client.collectDefaultMetrics();
  const requests = new client.Counter({ name: 'http_requests_total', help: 'Requests served', labelNames: ['method', 'route', 'code'] });
  const seconds = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Request latency',
    labelNames: ['method', 'route', 'code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  });
  return {
    contentType: client.register.contentType,
    text: () => client.register.metrics(),
    observe(method, route, code, secs) {
      const labels = { method, route, code };
      requests.inc(labels);
      seconds.observe(labels, secs);
    },
  };
}

export const sampledArg = () => process.argv[2] === 'sampled';
