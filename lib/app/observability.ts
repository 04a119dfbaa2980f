import type { Config } from '../config/index.js';
import { FrameworkError } from '../errors/index.js';
import { HealthRegistry, healthRoutes, metricsRoute, type HealthIndicator } from '../health/index.js';
import { valuer } from '../log/index.js';
import { NoopMeter, PrometheusMeter, type Meter } from '../metrics/index.js';
import { metricsServer } from '../middleware/metrics/index.js';
import { tracingServer } from '../middleware/tracing/index.js';
import { type Middleware } from '../middleware/index.js';
import { createTracing, sdkDisabledByEnv, spanIdValuer, traceIdValuer, type Tracing, type TracingExporter, type TracingOptions } from '../tracing/index.js';
import type { HttpRoute } from '../transport/http/index.js';
import type { AppOptions } from './options.js';

/** What an app measures and reports (§9, §13): on by default, each part switched off by config. */
export interface Observability {
  meter: Meter;
  tracing: Tracing | undefined;
  health: HealthRegistry | undefined;
  /** Server middleware: tracing outermost (so logs see the span), metrics. */
  tracingMiddleware: Middleware[];
  metricsMiddleware: Middleware[];
  /** Logger fields: trace.id and span.id when tracing is on. */
  logFields: unknown[];
  /** /metrics, /healthz, /readyz (on the main HTTP server unless `metrics.addr` moves metrics). */
  routes: HttpRoute[];
  /** Routes for a separate admin server at `metrics.addr`, if configured. */
  adminRoutes: HttpRoute[];
  adminAddr: string | undefined;
  close(): Promise<void>;
}

const off = (v: unknown): boolean => v === false || v === 'false';

/**
 * Builds metrics (a Prometheus registry per app, with process and Node runtime metrics), tracing
 * (OpenTelemetry, sampler off unless `trace.sampleRatio` or OTEL_TRACES_SAMPLER is set) and health from options and the
 * `metrics`, `trace` and `health` config sections.
 */
export function buildObservability(options: AppOptions, config: Config, service: { name: string; version: string }): Observability {
  const metricsOn = options.metrics !== false && !off(config.get('metrics.enabled'));
  const tracingOn = options.tracing !== false && tracingEnabled(config.get('trace.enabled'));
  const healthOn = options.health !== false && !off(config.get('health.enabled'));
  const prom = metricsOn ? new PrometheusMeter() : undefined;
  if (prom !== undefined && (options.metrics || {}).runtime !== false) prom.collectRuntimeMetrics();
  const meter: Meter = prom ?? new NoopMeter();
  const tracing = tracingOn ? createTracing(tracingOptions(options, config, service)) : undefined;
  const health = healthOn ? new HealthRegistry() : undefined;
  const metricsPath = config.get<string>('metrics.path') ?? '/metrics';
  const adminAddr = config.get<string>('metrics.addr') || undefined;
  const metricRoutes = prom === undefined ? [] : [metricsRoute(prom, metricsPath)];
  return {
    meter,
    tracing,
    health,
    tracingMiddleware: tracing === undefined ? [] : [tracingServer(tracing)],
    metricsMiddleware: prom === undefined ? [] : [metricsServer({ meter })],
    logFields: tracing === undefined ? [] : ['trace.id', valuer(traceIdValuer), 'span.id', valuer(spanIdValuer)],
    routes: [...(adminAddr === undefined ? metricRoutes : []), ...(health === undefined ? [] : healthRoutes(health))],
    adminRoutes: adminAddr === undefined ? [] : metricRoutes,
    adminAddr,
    async close() {
      prom?.close();
      await tracing?.shutdown();
    },
  };
}

// An explicit `trace.enabled` decides; otherwise OTEL_SDK_DISABLED=true switches tracing off.
function tracingEnabled(enabled: unknown): boolean {
  if (enabled === undefined || enabled === '') return !sdkDisabledByEnv();
  return !off(enabled);
}

/** Options, then config, then (inside createTracing) the OTEL_* environment, then defaults. */
function tracingOptions(options: AppOptions, config: Config, service: { name: string; version: string }): TracingOptions {
  const t = options.tracing || {};
  const endpoint = t.endpoint ?? config.get<string>('trace.endpoint');
  const exporter = t.exporter ?? config.get<TracingExporter>('trace.exporter');
  const hasRatio = t.sampleRatio !== undefined || (config.get('trace.sampleRatio') ?? '') !== '';
  const extra = config.get<unknown>('trace.resource') ?? {};
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `config key trace.resource: a map of resource attributes expected, got ${JSON.stringify(extra)}`);
  }
  const resource: Record<string, string> = {};
  for (const [k, v] of Object.entries(extra)) resource[k] = String(v);
  const serviceName = t.serviceName ?? config.get<string>('trace.serviceName');
  if (serviceName !== undefined && serviceName !== '') resource['service.name'] = serviceName;
  return {
    serviceName: service.name,
    serviceVersion: service.version,
    resource,
    ...(hasRatio ? { sampleRatio: t.sampleRatio ?? config.value('trace.sampleRatio').number(0) } : {}),
    ...(exporter === undefined ? {} : { exporter }),
    ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
    ...(t.useGlobalProvider === undefined ? {} : { useGlobalProvider: t.useGlobalProvider }),
  };
}

/** Providers that report their health: any singleton with `checkHealth()` (and optionally `healthName`). */
export function indicatorsOf(singletons: readonly unknown[]): HealthIndicator[] {
  const out: HealthIndicator[] = [];
  for (const s of singletons) {
    const o = s as { checkHealth?: unknown; healthName?: unknown; constructor?: { name?: string } } | null;
    if (o === null || typeof o !== 'object' || typeof o.checkHealth !== 'function') continue;
    const check = o.checkHealth as HealthIndicator['check'];
    out.push({ name: typeof o.healthName === 'string' ? o.healthName : (o.constructor?.name ?? 'provider'), check: () => check.call(o) });
  }
  return out;
}
