import { Registry } from './prometheus-client.js';
import { FrameworkError } from '../errors/index.js';
import type { BoundCounter, BoundHistogram, Counter, Histogram, Labels, Meter } from './meter.js';
import { HeldCounter, HeldHistogram } from './prometheus-series.js';
import { startRuntimeMetrics } from './prometheus-runtime.js';

/** Options of {@link PrometheusMeter}. */
export interface PrometheusMeterOptions {
  /** Labels added to every series of this meter (e.g. `{ service: 'user' }`); default none. */
  defaultLabels?: Labels;
}

/**
 * Series children per label set, found through one Map level per label name so a hit allocates
 * nothing (no joined key string, no values array).
 */
class SeriesCache<T> {
  readonly #names: readonly string[];
  readonly #make: (labels: Labels) => T;
  readonly #root = new Map<string, unknown>();
  #unlabelled: T | undefined;

  constructor(names: readonly string[], make: (labels: Labels) => T) {
    this.#names = names;
    this.#make = make;
  }

  get(labels: Labels): T {
    const names = this.#names;
    if (names.length === 0) return (this.#unlabelled ??= this.#make({}));
    let node = this.#root;
    const last = names.length - 1;
    for (let i = 0; i < last; i++) {
      const value = labels[names[i] as string] ?? '';
      let next = node.get(value) as Map<string, unknown> | undefined;
      if (next === undefined) node.set(value, (next = new Map()));
      node = next;
    }
    const value = labels[names[last] as string] ?? '';
    let child = node.get(value) as T | undefined;
    if (child === undefined) node.set(value, (child = this.#make(Object.fromEntries(names.map((n) => [n, labels[n] ?? ''])))));
    return child;
  }
}

type Registered = { kind: 'counter'; metric: Counter } | { kind: 'histogram'; metric: Histogram };

/**
 * A {@link Meter} over its own prom-client registry, never the global one, so two apps in one
 * process keep separate series. Expose it with {@link PrometheusMeter.metrics} (e.g. `metricsRoute`).
 */
export class PrometheusMeter implements Meter {
  readonly #registry = new Registry();
  readonly #metrics = new Map<string, Registered>();
  readonly #defaultLabels: Labels;
  #stopRuntime: (() => void) | undefined;

  constructor(options: PrometheusMeterOptions = {}) {
    this.#defaultLabels = { ...options.defaultLabels };
    if (Object.keys(this.#defaultLabels).length > 0) this.#registry.setDefaultLabels(this.#defaultLabels);
  }

  /** MIME type of {@link PrometheusMeter.metrics}' text (exposition format 0.0.4). */
  get contentType(): string {
    return this.#registry.contentType;
  }

  counter(name: string, help: string, labelNames: string[]): Counter {
    const found = this.#existing(name, 'counter');
    if (found !== undefined) return found.metric as Counter;
    const names = [...labelNames];
    const prom = new HeldCounter({ name, help, labelNames: names, registers: [this.#registry] });
    const cache = new SeriesCache<BoundCounter>(names, (labels) => {
      const series = prom.series(labels);
      return { inc: (value) => HeldCounter.add(series, value) };
    });
    const metric: Counter = { inc: (labels, value) => cache.get(labels).inc(value), bind: (labels) => cache.get(labels) };
    this.#metrics.set(name, { kind: 'counter', metric });
    return metric;
  }

  histogram(name: string, help: string, labelNames: string[], buckets: number[]): Histogram {
    const found = this.#existing(name, 'histogram');
    if (found !== undefined) return found.metric as Histogram;
    const names = [...labelNames];
    const prom = new HeldHistogram({ name, help, labelNames: names, buckets: [...buckets], registers: [this.#registry] });
    const cache = new SeriesCache<BoundHistogram>(names, (labels) => {
      const series = prom.series(labels);
      return { observe: (value) => prom.record(series, value) };
    });
    const metric: Histogram = { observe: (labels, value) => cache.get(labels).observe(value), bind: (labels) => cache.get(labels) };
    this.#metrics.set(name, { kind: 'histogram', metric });
    return metric;
  }

  /**
   * Adds process and Node runtime metrics (`process_*`, `nodejs_*`: event loop lag, heap, GC) to this
   * meter's registry. Idempotent; {@link PrometheusMeter.close} stops their samplers.
   */
  collectRuntimeMetrics(): void {
    this.#stopRuntime ??= startRuntimeMetrics(this.#registry, this.#defaultLabels);
  }

  /** The text exposition of every series of this meter. */
  metrics(): Promise<string> {
    return this.#registry.metrics();
  }

  /** Stops the runtime samplers; the registered series stay readable. Idempotent. */
  close(): void {
    this.#stopRuntime?.();
  }

  #existing(name: string, kind: Registered['kind']): Registered | undefined {
    const found = this.#metrics.get(name);
    if (found !== undefined && found.kind !== kind) {
      throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `metric '${name}' is already registered as a ${found.kind}, not a ${kind}`);
    }
    return found;
  }
}
