import { HealthRegistry, healthRoutes, metricsRoute } from '../health/index.js';
import { valuer } from '../log/index.js';
import { NoopMeter, PrometheusMeter } from '../metrics/index.js';
import { metricsServer, tracingServer } from '../middleware/index.js';
import { createTracing, spanIdValuer, traceIdValuer } from '../tracing/index.js';
const off = (v) => v === false || v === 'false';
/**
 * Builds metrics (a Prometheus registry per app, with process and Node runtime metrics), tracing
 * (OpenTelemetry, sampler off unless `trace.sampleRatio` is set) and health from options and the
 * `metrics`, `trace` and `health` config sections.
 */
export function buildObservability(options, config, service) {
    const metricsOn = options.metrics !== false && !off(config.get('metrics.enabled'));
    const tracingOn = options.tracing !== false && !off(config.get('trace.enabled'));
    const healthOn = options.health !== false && !off(config.get('health.enabled'));
    const prom = metricsOn ? new PrometheusMeter() : undefined;
    if (prom !== undefined && (options.metrics || {}).runtime !== false)
        prom.collectRuntimeMetrics();
    const meter = prom ?? new NoopMeter();
    const t = options.tracing || {};
    const endpoint = t.endpoint ?? config.get('trace.endpoint');
    const exporter = t.exporter ?? config.get('trace.exporter');
    const tracing = tracingOn
        ? createTracing({
            serviceName: service.name,
            serviceVersion: service.version,
            sampleRatio: t.sampleRatio ?? config.value('trace.sampleRatio').number(0),
            ...(exporter === undefined ? {} : { exporter }),
            ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
        })
        : undefined;
    const health = healthOn ? new HealthRegistry() : undefined;
    const metricsPath = config.get('metrics.path') ?? '/metrics';
    const adminAddr = config.get('metrics.addr') || undefined;
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
/** Providers that report their health: any singleton with `checkHealth()` (and optionally `healthName`). */
export function indicatorsOf(singletons) {
    const out = [];
    for (const s of singletons) {
        const o = s;
        if (o === null || typeof o !== 'object' || typeof o.checkHealth !== 'function')
            continue;
        const check = o.checkHealth;
        out.push({ name: typeof o.healthName === 'string' ? o.healthName : (o.constructor?.name ?? 'provider'), check: () => check.call(o) });
    }
    return out;
}
