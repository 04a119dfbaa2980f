/** One bucket of a rolling window: how many values were added and their sum. */
export interface Bucket {
  count: number;
  sum: number;
  /** Largest single value (used for per-bucket maxima). */
  start: number;
}

/**
 * A rolling window of `size` buckets covering `windowMs` (aegis' window, §12): values land in the
 * bucket of the current time slice; slices older than the window are reset lazily, never by a timer.
 */
export class RollingWindow {
  readonly #buckets: Bucket[];
  readonly #span: number;
  readonly #clock: () => number;

  constructor(windowMs: number, size: number, clock: () => number = Date.now) {
    this.#span = windowMs / size;
    this.#clock = clock;
    this.#buckets = Array.from({ length: size }, () => ({ count: 0, sum: 0, start: -Infinity }));
  }

  /** Duration of one bucket, ms. */
  get bucketMs(): number {
    return this.#span;
  }

  #current(now: number): Bucket {
    const slot = Math.floor(now / this.#span);
    const b = this.#buckets[slot % this.#buckets.length] as Bucket;
    const start = slot * this.#span;
    if (b.start !== start) {
      b.start = start;
      b.count = 0;
      b.sum = 0;
    }
    return b;
  }

  add(value: number): void {
    const b = this.#current(this.#clock());
    b.count++;
    b.sum += value;
  }

  /** Buckets still inside the window, oldest first, optionally leaving out the current one. */
  buckets(skipCurrent = false): Bucket[] {
    const now = this.#clock();
    const oldest = now - this.#span * this.#buckets.length;
    const current = Math.floor(now / this.#span) * this.#span;
    return this.#buckets
      .filter((b) => b.start > oldest && b.start <= now && !(skipCurrent && b.start === current))
      .sort((a, b) => a.start - b.start);
  }

  /** Sums of counts and values over the window. */
  totals(): { count: number; sum: number } {
    let count = 0;
    let sum = 0;
    for (const b of this.buckets()) {
      count += b.count;
      sum += b.sum;
    }
    return { count, sum };
  }
}
