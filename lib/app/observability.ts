import { HealthRegistry, healthRoutes, metricsRoute, type HealthIndicator } from '../health/index.js';
import { valuer } from '../log/index.js';
import { NoopMeter, PrometheusMeter, type Meter } from '../metrics/index.js';
import { metricsServer } from '../middleware/metrics/index.js';
import { tracingServer } from '../middleware/tracing/index.js';
import { type Middleware } from '../middleware/index.js';
import { createTracing, spanIdValuer, traceIdValuer, type Tracing, type TracingOptions } from '../tracing/index.js';
import type { HttpRoute } from '../transport/http/index.js';
import type { AppSettings, TraceSettings } from './settings/index.js';

// Trace and span ids are hex (generated, or checked when they came with the call) or '', and new with
// each call: written unchecked, and not compared with the last line's.
const ID_HINTS = { plain: true, repeats: false } as const;

/** What an app measures and reports (docs/observability.md#metrics-tracing-health, docs/observability.md#health-and-readiness): on by default, each part switched off by config. */
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

/**
 * Builds metrics (a Prometheus registry per app, with process and Node runtime metrics), tracing
 * (OpenTelemetry, sampler off unless `trace.sampleRatio` or OTEL_TRACES_SAMPLER is set) and health
 * from the app's settings.
 */
export function buildObservability(settings: Pick<AppSettings, 'metrics' | 'tracing' | 'health'>, service: { name: string; version: string }): Observability {
  const metrics = settings.metrics;
  const prom = metrics === false ? undefined : new PrometheusMeter();
  if (prom !== undefined && metrics !== false && metrics.runtime) prom.collectRuntimeMetrics();
  const meter: Meter = prom ?? new NoopMeter();
  const tracing = settings.tracing === false ? undefined : createTracing(tracingOptions(settings.tracing, service));
  const health = settings.health ? new HealthRegistry() : undefined;
  const adminAddr = metrics === false ? undefined : metrics.addr;
  const metricRoutes = prom === undefined || metrics === false ? [] : [metricsRoute(prom, metrics.path)];
  return {
    meter,
    tracing,
    health,
    tracingMiddleware: tracing === undefined ? [] : [tracingServer(tracing)],
    metricsMiddleware: prom === undefined ? [] : [metricsServer({ meter })],
    logFields: tracing === undefined ? [] : ['trace.id', valuer(traceIdValuer, ID_HINTS), 'span.id', valuer(spanIdValuer, ID_HINTS)],
    routes: [...(adminAddr === undefined ? metricRoutes : []), ...(health === undefined ? [] : healthRoutes(health))],
    adminRoutes: adminAddr === undefined ? [] : metricRoutes,
    adminAddr,
    async close() {
      prom?.close();
      await tracing?.shutdown();
    },
  };
}

/** The settings (options over config), then (inside createTracing) the OTEL_* environment, then defaults. */
function tracingOptions(settings: Exclude<TraceSettings, false>, service: { name: string; version: string }): TracingOptions {
  const { serviceName, resource, ...rest } = settings;
  return {
    ...rest,
    serviceName: service.name,
    serviceVersion: service.version,
    resource: serviceName === undefined ? resource : { ...resource, 'service.name': serviceName },
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
