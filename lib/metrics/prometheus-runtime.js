import { createRequire } from 'node:module';
import { collectDefaultMetrics } from 'prom-client';
// The CommonJS view of perf_hooks is the object prom-client reads its samplers from; the ESM
// namespace is frozen, so it could not be wrapped.
const perf = createRequire(import.meta.url)('node:perf_hooks');
/**
 * Registers prom-client's process and Node runtime metrics (CPU, memory, heap spaces, handles, event
 * loop lag, GC) on `registry` and returns a function that stops their background samplers.
 *
 * prom-client 15 starts an event-loop-delay monitor and a GC PerformanceObserver per call and gives
 * no way to stop them, so every meter closed in a long test run would leave both behind. The two
 * factories are wrapped for the duration of the (synchronous) registration to capture what it makes.
 */
export function startRuntimeMetrics(registry, labels = {}) {
    const histograms = [];
    const observers = [];
    const monitor = perf.monitorEventLoopDelay;
    const Observer = perf.PerformanceObserver;
    perf.monitorEventLoopDelay = (options) => {
        const h = monitor(options);
        histograms.push(h);
        return h;
    };
    perf.PerformanceObserver = class extends Observer {
        constructor(callback) {
            super(callback);
            observers.push(this);
        }
    };
    try {
        collectDefaultMetrics({ register: registry, labels });
    }
    finally {
        perf.monitorEventLoopDelay = monitor;
        perf.PerformanceObserver = Observer;
    }
    return () => {
        for (const h of histograms)
            h.disable();
        for (const o of observers)
            o.disconnect();
        histograms.length = 0;
        observers.length = 0;
    };
}
