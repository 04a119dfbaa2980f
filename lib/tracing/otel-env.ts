import type { TextMapPropagator } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { FrameworkError } from '../errors/index.js';
import { lazyRequire } from '../internal/index.js';
import { EncodedBatchSpanProcessor } from './otel-encoded-batch.js';
import { otlpProtoExporter } from './otel-otlp-exporter.js';

// The OTel SDK environment, read with the SDK's own parsers. Everything here loads on first use:
// an app with tracing off pays nothing, and sdk-node's helpers (which pull every exporter sdk-node
// knows, about 55 ms) load only when an OTEL_* variable asks for what they build.
const otelSdk = lazyRequire<typeof import('./otel-sdk.js')>('./otel-sdk.js', import.meta.url);
const core = () => otelSdk().core;
const resources = () => otelSdk().resources;

/** The parts of sdk-node's env helpers we use; the package exports them from this file only. */
interface SdkNodeEnv {
  getPropagatorFromEnv(): TextMapPropagator | null | undefined;
  getSpanProcessorsFromEnv(selfObservabilityMeterProvider: undefined): SpanProcessor[];
  getOtlpProtocolFromEnv(): string;
}
const sdkNode = lazyRequire<SdkNodeEnv>('@opentelemetry/sdk-node/build/src/utils.js');

const otlpHttp = lazyRequire<typeof import('@opentelemetry/exporter-trace-otlp-http')>('@opentelemetry/exporter-trace-otlp-http');
const otlpGrpc = lazyRequire<typeof import('@opentelemetry/exporter-trace-otlp-grpc')>('@opentelemetry/exporter-trace-otlp-grpc');

// The values the pinned SDK implements. It would log an unknown one to a silent diag logger and fall
// back (for a sampler, to recording everything), so a typo fails start-up instead, naming the variable.
const KNOWN: Readonly<Record<string, readonly string[]>> = {
  OTEL_TRACES_SAMPLER: ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'],
  OTEL_TRACES_EXPORTER: ['otlp', 'console', 'zipkin', 'none'],
  OTEL_PROPAGATORS: ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger', 'none'],
  OTEL_EXPORTER_OTLP_PROTOCOL: ['grpc', 'http/protobuf', 'http/json'],
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: ['grpc', 'http/protobuf', 'http/json'],
};

/** Rejects OTEL_* tracing variables the SDK would not understand; unset and empty ones mean "default". */
export function checkOtelEnv(): void {
  for (const [name, known] of Object.entries(KNOWN)) {
    const raw = process.env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const bad = core().getStringListFromEnv(name)?.filter((v) => !known.includes(v)) ?? [];
    if (bad.length > 0) {
      throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `environment variable ${name}=${JSON.stringify(raw)}: unknown ${bad.map((b) => JSON.stringify(b)).join(', ')}; expected ${known.join(', ')}`);
    }
  }
  const arg = process.env['OTEL_TRACES_SAMPLER_ARG'];
  if (arg !== undefined && arg.trim() !== '' && (process.env['OTEL_TRACES_SAMPLER'] ?? '').includes('traceidratio')) {
    const ratio = Number(arg);
    if (!(ratio >= 0 && ratio <= 1)) throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `environment variable OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(arg)}: a ratio within 0..1 expected`);
  }
}

/** `OTEL_SDK_DISABLED=true`: the operator switched OpenTelemetry off for this process. */
export function sdkDisabledByEnv(): boolean {
  return process.env['OTEL_SDK_DISABLED'] !== undefined && core().getBooleanFromEnv('OTEL_SDK_DISABLED');
}

/** Whether `OTEL_TRACES_SAMPLER` names a sampler (the tracer provider then builds it from the env itself). */
export function samplerFromEnv(): boolean {
  return process.env['OTEL_TRACES_SAMPLER'] !== undefined && core().getStringFromEnv('OTEL_TRACES_SAMPLER') !== undefined;
}

const OTLP_ENDPOINTS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];

/**
 * The span processors the environment asks for, or undefined when it names no exporter. Unlike a
 * bare NodeSDK, a service with no OTEL_TRACES_EXPORTER and no OTLP endpoint set exports nothing
 * rather than retrying localhost:4318 forever.
 */
export function envSpanProcessors(): SpanProcessor[] | undefined {
  const env = process.env;
  if (env['OTEL_TRACES_EXPORTER'] === undefined && !OTLP_ENDPOINTS.some((k) => env[k] !== undefined && env[k] !== '')) return undefined;
  // OTLP alone over http/protobuf: our exporter (otlpExporter) batched as sdk-node batches it (OTEL_BSP_*), else sdk-node's own choice.
  const named = [...new Set(core().getStringListFromEnv('OTEL_TRACES_EXPORTER') ?? [])].filter((s) => s !== 'null');
  if ((named.length === 0 || (named.length === 1 && named[0] === 'otlp')) && sdkNode().getOtlpProtocolFromEnv() === 'http/protobuf') {
    return [new EncodedBatchSpanProcessor(otlpProtoExporter({}))];
  }
  return sdkNode().getSpanProcessorsFromEnv(undefined);
}

/** The propagator `OTEL_PROPAGATORS` names; null for `none`; undefined when unset. */
export function envPropagator(): TextMapPropagator | null | undefined {
  return process.env['OTEL_PROPAGATORS'] === undefined ? undefined : sdkNode().getPropagatorFromEnv();
}

/**
 * An OTLP exporter for the protocol of `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL`
 * (default http/protobuf). Headers, timeout and compression come from the environment either way.
 */
export function otlpExporter(protocol: 'env' | 'http/json' | 'grpc', endpoint: string | undefined): SpanExporter {
  const url = endpoint === undefined ? {} : { url: endpoint };
  const p = protocol === 'env' ? (core().getStringFromEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? core().getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf') : protocol;
  if (p === 'grpc') return new (otlpGrpc().OTLPTraceExporter)(url);
  if (p === 'http/json') return new (otlpHttp().OTLPTraceExporter)(url);
  return otlpProtoExporter(url);
}

/**
 * The resource of an app's spans: OTel's defaults (telemetry.sdk.*), then `OTEL_RESOURCE_ATTRIBUTES`
 * and `OTEL_SERVICE_NAME` (read by the SDK's env detector), then `fixed` on top. `fallbackName` is
 * service.name only when the environment names no service.
 */
export function appResource(fallbackName: string, fixed: Readonly<Record<string, string>>): Resource {
  const r = resources();
  const fromEnv = r.detectResources({ detectors: [r.envDetector] });
  const named = fromEnv.attributes['service.name'] === undefined ? { 'service.name': fallbackName } : {};
  return r.defaultResource().merge(r.resourceFromAttributes(named)).merge(fromEnv).merge(r.resourceFromAttributes({ ...fixed }));
}
