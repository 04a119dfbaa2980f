import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, TraceIdRatioBasedSampler, } from '@opentelemetry/sdk-trace-base';
import { FrameworkError } from '../errors/index.js';
import { lazyRequire } from '../internal/index.js';
import { installOtelGlobals } from './otel-globals.js';
// Loaded only when spans are exported over OTLP: together they cost about 150 ms of start-up.
const otlpHttp = lazyRequire('@opentelemetry/exporter-trace-otlp-http');
const otlpGrpc = lazyRequire('@opentelemetry/exporter-trace-otlp-grpc');
function makeExporter(exporter, endpoint) {
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
export function createTracing(options) {
    const ratio = options.sampleRatio ?? 0;
    if (!(ratio >= 0 && ratio <= 1)) {
        throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `tracing sampleRatio must be within 0..1, got ${ratio}`);
    }
    installOtelGlobals();
    const kind = options.exporter ?? (options.endpoint === undefined ? 'none' : 'otlp-http');
    const exporter = makeExporter(kind, options.endpoint);
    const batch = options.batch ?? (kind === 'otlp-http' || kind === 'otlp-grpc');
    const spanProcessors = [];
    if (exporter !== undefined)
        spanProcessors.push(batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter));
    const attributes = { 'service.name': options.serviceName };
    if (options.serviceVersion !== undefined)
        attributes['service.version'] = options.serviceVersion;
    const provider = new BasicTracerProvider({
        resource: resourceFromAttributes(attributes),
        sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
        spanProcessors,
    });
    let stopping;
    return {
        tracer: provider.getTracer('kratos'),
        memoryExporter: exporter instanceof InMemorySpanExporter ? exporter : undefined,
        forceFlush: () => provider.forceFlush(),
        shutdown: () => (stopping ??= provider.shutdown()),
    };
}
