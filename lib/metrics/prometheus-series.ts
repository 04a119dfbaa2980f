import type { CounterConfiguration, HistogramConfiguration } from 'prom-client';
import { Counter as PromCounter, Histogram as PromHistogram } from './prometheus-client.js';

/** One series of a counter: its labels (in label-name order, as prom-client makes them) and value. */
export interface CounterSeries {
  readonly labels: Record<string, string>;
  value: number;
}

/** One series of a histogram: per-bucket (not cumulative) counts, the last one past every bound. */
export interface HistogramSeries {
  readonly labels: Record<string, string>;
  readonly buckets: number[];
  sum: number;
  count: number;
}

function checkFinite(value: number): void {
  if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${String(value)}`);
}

/**
 * A prom-client counter whose series are plain objects the caller holds: prom-client hashes the
 * label set on every `inc`, even of a `labels()` child (about 1 µs a call), where incrementing a
 * held series is a field update. The exposition is prom-client's own, from the same values
 * (series in first-seen order, as prom-client lists them).
 */
export class HeldCounter extends PromCounter {
  readonly #series: CounterSeries[] = [];
  readonly #labelled: boolean;

  constructor(config: CounterConfiguration<string>) {
    super(config);
    // prom-client lists the one series of an unlabelled metric from the start, at 0.
    this.#labelled = (config.labelNames ?? []).length > 0;
    if (!this.#labelled) this.#series.push({ value: 0, labels: {} });
  }

  /** A new series of `labels` (the only one, unlabelled); the caller keeps it for {@link HeldCounter.add}. */
  series(labels: Record<string, string>): CounterSeries {
    if (!this.#labelled) return this.#series[0] as CounterSeries;
    const s = { value: 0, labels };
    this.#series.push(s);
    return s;
  }

  static add(s: CounterSeries, value = 1): void {
    if (value !== 1) {
      checkFinite(value);
      if (value < 0) throw new Error('It is not possible to decrease a counter');
    }
    s.value += value;
  }

  override async get(): Promise<Awaited<ReturnType<PromCounter['get']>>> {
    const base = await super.get();
    return { ...base, values: this.#series.map((s) => ({ value: s.value, labels: s.labels })) };
  }

  /** Zeroes every series (prom-client would drop them; the held ones stay in use). */
  override reset(): void {
    // prom-client's constructor resets before our fields exist.
    if (!(#series in this)) return super.reset();
    for (const s of this.#series) s.value = 0;
  }
}

type HistogramData = Awaited<ReturnType<PromHistogram['get']>>;
type HistogramValue = HistogramData['values'][number] & { sharedLabels?: Record<string, string>; exemplar?: null };

/** A prom-client histogram with held series, as {@link HeldCounter}. */
export class HeldHistogram extends PromHistogram {
  readonly #series: HistogramSeries[] = [];
  readonly #bounds: readonly number[];
  readonly #about: { name: string; help: string; aggregator: string };
  readonly #labelled: boolean;

  constructor(config: HistogramConfiguration<string> & { buckets: number[] }) {
    super(config);
    this.#about = { name: config.name, help: config.help, aggregator: config.aggregator ?? 'sum' };
    this.#bounds = [...config.buckets];
    this.#labelled = (config.labelNames ?? []).length > 0;
    if (!this.#labelled) this.#series.push(this.#empty({}));
  }

  series(labels: Record<string, string>): HistogramSeries {
    if (!this.#labelled) return this.#series[0] as HistogramSeries;
    const s = this.#empty(labels);
    this.#series.push(s);
    return s;
  }

  #empty(labels: Record<string, string>): HistogramSeries {
    return { labels, buckets: new Array<number>(this.#bounds.length + 1).fill(0), sum: 0, count: 0 };
  }

  /** Records `value` in `s`: the first bucket whose bound is >= value, as prom-client does. */
  record(s: HistogramSeries, value: number): void {
    checkFinite(value);
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    (s.buckets[i] as number)++;
    s.sum += value;
    s.count += 1;
  }

  // The values prom-client's own histogram hands its registry: cumulative buckets, +Inf, sum, count.
  async getForPromString(): Promise<HistogramData> {
    const { name, help, aggregator } = this.#about;
    const values: HistogramValue[] = [];
    for (const s of this.#series) {
      let acc = 0;
      this.#bounds.forEach((le, i) => {
        acc += s.buckets[i] as number;
        values.push({ labels: { le }, sharedLabels: s.labels, value: acc, metricName: `${name}_bucket`, exemplar: null });
      });
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: `${name}_bucket`, exemplar: null },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${name}_sum` },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${name}_count` },
      );
    }
    return { name, help, type: 'histogram', values, aggregator } as unknown as HistogramData;
  }

  override async get(): Promise<HistogramData> {
    const data = await this.getForPromString();
    return { ...data, values: (data.values as HistogramValue[]).map(({ sharedLabels, ...v }) => ({ ...v, labels: { ...v.labels, ...sharedLabels } })) };
  }

  override reset(): void {
    if (!(#series in this)) return super.reset();
    for (const s of this.#series) {
      s.buckets.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
