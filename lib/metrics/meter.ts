/** Label name to label value; names missing from a call are recorded as ''. */
export type Labels = Record<string, string>;

/** One series of a counter, its labels fixed. */
export interface BoundCounter {
  /** Adds `value` (default 1). */
  inc(value?: number): void;
}

/** One series of a histogram, its labels fixed. */
export interface BoundHistogram {
  observe(value: number): void;
}

/** A monotonically increasing count, per label set. */
export interface Counter {
  /** Adds `value` (default 1) to the series of `labels`. */
  inc(labels: Labels, value?: number): void;
  /**
   * The series of `labels`, to keep and increment without finding it again: code that knows its
   * labels ahead (per operation) binds once and pays per call only for the increment.
   */
  bind?(labels: Labels): BoundCounter;
}

/** A distribution of observed values (latencies in seconds), per label set. */
export interface Histogram {
  /** Records one observation in the series of `labels`. */
  observe(labels: Labels, value: number): void;
  /** The series of `labels`, as {@link Counter.bind}. */
  bind?(labels: Labels): BoundHistogram;
}

/** `counter.bind(labels)`, or a series that finds itself per call for a Counter without bind. */
export function bindCounter(counter: Counter, labels: Labels): BoundCounter {
  return counter.bind?.(labels) ?? { inc: (value) => counter.inc(labels, value) };
}

/** `histogram.bind(labels)`, as {@link bindCounter}. */
export function bindHistogram(histogram: Histogram, labels: Labels): BoundHistogram {
  return histogram.bind?.(labels) ?? { observe: (value) => histogram.observe(labels, value) };
}

/**
 * Creates metrics (docs/observability.md#metrics). The framework's middleware depend on this interface only, so the vendor
 * behind it (Prometheus today) can be swapped without touching them.
 */
export interface Meter {
  /** A counter; asking again for the same name returns the metric made the first time. */
  counter(name: string, help: string, labelNames: string[]): Counter;
  /** A histogram with upper bounds `buckets`; the same name again returns the first one. */
  histogram(name: string, help: string, labelNames: string[], buckets: number[]): Histogram;
}

/** Kratos' latency buckets in seconds (`DefaultSecondsHistogram`, docs/observability.md#metrics). */
export const DEFAULT_SECONDS_BUCKETS: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]);

const NOOP_COUNTER: Counter = { inc: () => undefined, bind: () => NOOP_COUNTER_SERIES };
const NOOP_HISTOGRAM: Histogram = { observe: () => undefined, bind: () => NOOP_HISTOGRAM_SERIES };
const NOOP_COUNTER_SERIES: BoundCounter = { inc: () => undefined };
const NOOP_HISTOGRAM_SERIES: BoundHistogram = { observe: () => undefined };

/** Records nothing: the default meter, so an app without metrics pays (almost) nothing. */
export class NoopMeter implements Meter {
  counter(_name: string, _help: string, _labelNames: string[]): Counter {
    return NOOP_COUNTER;
  }

  histogram(_name: string, _help: string, _labelNames: string[], _buckets: number[]): Histogram {
    return NOOP_HISTOGRAM;
  }
}
