import { Counter as PromCounter, Histogram as PromHistogram, Registry } from 'prom-client';
import { FrameworkError } from '../errors/index.js';
import { startRuntimeMetrics } from './prometheus-runtime.js';
/**
 * Series children per label set, found through one Map level per label name so a hit allocates
 * nothing (no joined key string, no values array).
 */
class SeriesCache {
    #names;
    #make;
    #root = new Map();
    #unlabelled;
    constructor(names, make) {
        this.#names = names;
        this.#make = make;
    }
    get(labels) {
        const names = this.#names;
        if (names.length === 0)
            return (this.#unlabelled ??= this.#make([]));
        let node = this.#root;
        const last = names.length - 1;
        for (let i = 0; i < last; i++) {
            const value = labels[names[i]] ?? '';
            let next = node.get(value);
            if (next === undefined)
                node.set(value, (next = new Map()));
            node = next;
        }
        const value = labels[names[last]] ?? '';
        let child = node.get(value);
        if (child === undefined)
            node.set(value, (child = this.#make(names.map((n) => labels[n] ?? ''))));
        return child;
    }
}
/**
 * A {@link Meter} over its own prom-client registry, never the global one, so two apps in one
 * process keep separate series. Expose it with {@link PrometheusMeter.metrics} (e.g. `metricsRoute`).
 */
export class PrometheusMeter {
    #registry = new Registry();
    #metrics = new Map();
    #defaultLabels;
    #stopRuntime;
    constructor(options = {}) {
        this.#defaultLabels = { ...options.defaultLabels };
        if (Object.keys(this.#defaultLabels).length > 0)
            this.#registry.setDefaultLabels(this.#defaultLabels);
    }
    /** MIME type of {@link PrometheusMeter.metrics}' text (exposition format 0.0.4). */
    get contentType() {
        return this.#registry.contentType;
    }
    counter(name, help, labelNames) {
        const found = this.#existing(name, 'counter');
        if (found !== undefined)
            return found.metric;
        const names = [...labelNames];
        const prom = new PromCounter({ name, help, labelNames: names, registers: [this.#registry] });
        const cache = new SeriesCache(names, (values) => (values.length === 0 ? prom : prom.labels(...values)));
        const metric = { inc: (labels, value) => cache.get(labels).inc(value) };
        this.#metrics.set(name, { kind: 'counter', metric });
        return metric;
    }
    histogram(name, help, labelNames, buckets) {
        const found = this.#existing(name, 'histogram');
        if (found !== undefined)
            return found.metric;
        const names = [...labelNames];
        const prom = new PromHistogram({ name, help, labelNames: names, buckets: [...buckets], registers: [this.#registry] });
        const cache = new SeriesCache(names, (values) => (values.length === 0 ? prom : prom.labels(...values)));
        const metric = { observe: (labels, value) => cache.get(labels).observe(value) };
        this.#metrics.set(name, { kind: 'histogram', metric });
        return metric;
    }
    /**
     * Adds process and Node runtime metrics (`process_*`, `nodejs_*`: event loop lag, heap, GC) to this
     * meter's registry. Idempotent; {@link PrometheusMeter.close} stops their samplers.
     */
    collectRuntimeMetrics() {
        this.#stopRuntime ??= startRuntimeMetrics(this.#registry, this.#defaultLabels);
    }
    /** The text exposition of every series of this meter. */
    metrics() {
        return this.#registry.metrics();
    }
    /** Stops the runtime samplers; the registered series stay readable. Idempotent. */
    close() {
        this.#stopRuntime?.();
    }
    #existing(name, kind) {
        const found = this.#metrics.get(name);
        if (found !== undefined && found.kind !== kind) {
            throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `metric '${name}' is already registered as a ${found.kind}, not a ${kind}`);
        }
        return found;
    }
}
