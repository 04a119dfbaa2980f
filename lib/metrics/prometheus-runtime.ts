import { createRequire } from 'node:module';
import { collectDefaultMetrics, type Registry } from './prometheus-client.js';

// The CommonJS view of perf_hooks is the object prom-client reads its samplers from; the ESM
// namespace is frozen, so it could not be wrapped.
const perf = createRequire(import.meta.url)('node:perf_hooks') as typeof import('node:perf_hooks');

const GAUGES_NAMED_LIKE_COUNTERS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

type IntervalHistogram = ReturnType<typeof perf.monitorEventLoopDelay>;

/**
 * Registers prom-client's process and Node runtime metrics (CPU, memory, heap spaces, handles, event
 * loop lag, GC) on `registry` and returns a function that stops their background samplers.
 *
 * prom-client 15 starts an event-loop-delay monitor and a GC PerformanceObserver per call and gives
 * no way to stop them, so every meter closed in a long test run would leave both behind. The two
 * factories are wrapped for the duration of the (synchronous) registration to capture what it makes.
 */
export function startRuntimeMetrics(registry: Registry, labels: Record<string, string> = {}): () => void {
  const histograms: IntervalHistogram[] = [];
  const observers: InstanceType<typeof perf.PerformanceObserver>[] = [];
  const monitor = perf.monitorEventLoopDelay;
  const Observer = perf.PerformanceObserver;
  perf.monitorEventLoopDelay = (options) => {
    const h = monitor(options);
    histograms.push(h);
    return h;
  };
  perf.PerformanceObserver = class extends Observer {
    constructor(callback: ConstructorParameters<typeof Observer>[0]) {
      super(callback);
      observers.push(this);
    }
  };
  try {
    collectDefaultMetrics({ register: registry, labels });
  } finally {
    perf.monitorEventLoopDelay = monitor;
    perf.PerformanceObserver = Observer;
  }
  // prom-client names three gauges `_total`, a suffix Prometheus reserves for counters (promtool
  // check metrics rejects them). Each is the sum over the `type` label of the gauge of the same name
  // without the suffix, which stays: nothing is lost.
  for (const name of GAUGES_NAMED_LIKE_COUNTERS) registry.removeSingleMetric(name);
  return () => {
    for (const h of histograms) h.disable();
    for (const o of observers) o.disconnect();
    histograms.length = 0;
    observers.length = 0;
  };
}
