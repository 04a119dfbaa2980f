import { address, boolean, custom, Expected, list, mapOf, number, oneOf, text } from '../../settings/index.js';
import { LEVELS } from '../../log/index.js';
import { sdkDisabledByEnv, type TracingExporter } from '../../tracing/index.js';
import { setting } from './option-paths.js';

const level = oneOf(LEVELS);

const urlPath = custom('path', (raw): string => {
  if (typeof raw !== 'string' || !raw.startsWith('/')) throw new Expected('a URL path starting with /');
  return raw;
});

const EXPORTERS = ['otlp', 'otlp-http', 'otlp-grpc', 'console', 'none', 'memory'] as const;
const exporterName = oneOf(EXPORTERS);
const exporter = custom(exporterName.name, (raw): TracingExporter => {
  // Options may hand over a SpanExporter object; config only names one.
  if (typeof raw === 'object' && raw !== null && typeof (raw as { export?: unknown }).export === 'function') return raw as TracingExporter;
  return exporterName.parse(raw);
});

const attribute = custom('string', (raw): string => {
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw new Expected('a string, number or boolean');
});

/** The app logger's settings (when no `logger` option replaces it), by the createLogger option each sets. */
export const LOG_SETTINGS = {
  level: setting({ key: 'log.level', kind: level, default: 'info', doc: 'minimum level written; followed on hot reload' }),
  format: setting({ key: 'log.format', kind: oneOf(['json', 'text']), default: 'json', doc: '`json` lines (winston) or `text` (`INFO k=v`, for development)' }),
  mask: setting({ key: 'log.mask', kind: list, default: ['password'], doc: 'keys whose values are written as `***`' }),
  modules: setting({ key: 'log.modules', kind: mapOf(level, 'map of levels'), doc: 'minimum level per named module: `{ billing: debug }`' }),
  caller: setting({ key: 'log.caller', kind: boolean, default: false, doc: 'add `caller` (file:line; a stack capture per record)' }),
};

/** Prometheus metrics: whether, and where `/metrics` is served. */
export const METRICS_SETTINGS = {
  enabled: setting({ key: 'metrics.enabled', option: 'metrics', optionSwitch: true, kind: boolean, default: true, doc: 'count calls in Prometheus metrics and serve them' }),
  path: setting({ key: 'metrics.path', kind: urlPath, default: '/metrics', doc: 'path of the metrics page' }),
  addr: setting({ key: 'metrics.addr', kind: address, defaultDoc: 'the HTTP server', doc: 'serve the metrics page on an admin server of its own at this address' }),
  runtime: setting({ option: 'metrics.runtime', kind: boolean, default: true, doc: 'process and Node runtime metrics' }),
};

/** OpenTelemetry tracing, by the createTracing option each sets; what is unset here the OTEL_* environment may give. */
export const TRACE_SETTINGS = {
  enabled: setting({ key: 'trace.enabled', option: 'tracing', optionSwitch: true, kind: boolean, defaultFrom: () => !sdkDisabledByEnv(), defaultDoc: '`true` (`false` with OTEL_SDK_DISABLED=true)', doc: 'make spans, propagate and log trace ids' }),
  exporter: setting({ key: 'trace.exporter', option: 'tracing.exporter', kind: exporter, defaultDoc: 'OTEL_TRACES_EXPORTER, else `otlp-http` with an endpoint, else `none`', doc: 'where spans go' }),
  endpoint: setting({ key: 'trace.endpoint', option: 'tracing.endpoint', kind: text, defaultDoc: 'OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT', doc: 'collector URL of the OTLP exporters' }),
  sampleRatio: setting({ key: 'trace.sampleRatio', option: 'tracing.sampleRatio', kind: number({ min: 0, max: 1 }), defaultDoc: 'OTEL_TRACES_SAMPLER, else `0`', doc: 'share of new traces recorded (parent-based: sampled callers are always followed)' }),
  serviceName: setting({ key: 'trace.serviceName', option: 'tracing.serviceName', kind: text, defaultDoc: 'OTEL_SERVICE_NAME, else the app name', doc: '`service.name` of spans' }),
  resource: setting({ key: 'trace.resource', kind: mapOf(attribute), default: {}, defaultDoc: 'none', doc: 'resource attributes of spans, over OTEL_RESOURCE_ATTRIBUTES' }),
  useGlobalProvider: setting({ option: 'tracing.useGlobalProvider', kind: boolean, doc: 'use a globally installed tracer provider (a NodeSDK)' }),
};

/** `/healthz` and `/readyz`. */
export const HEALTH_SETTINGS = {
  enabled: setting({ key: 'health.enabled', option: 'health', optionSwitch: true, kind: boolean, default: true, doc: 'serve `/healthz` and `/readyz`' }),
};

/** The etcd registry the app registers with (when no `registrar` option is given), by the EtcdRegistry option each sets. */
export const REGISTRY_SETTINGS = {
  endpoints: setting({ key: 'registry.etcd.endpoints', kind: list, default: [], defaultDoc: 'none (no registration)', doc: 'etcd endpoints; set, the app registers itself there' }),
  namespace: setting({ key: 'registry.etcd.namespace', kind: text, defaultDoc: '`/microservices`', doc: 'key prefix of the registry' }),
  ttl: setting({ key: 'registry.etcd.ttl', kind: number({ integer: true, min: 1 }), default: 15, doc: 'lease TTL, seconds: an instance that stops renewing disappears after it' }),
};
