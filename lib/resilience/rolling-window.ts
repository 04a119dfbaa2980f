import { functionOption, numberOption } from './options.js';

/** One time slice of a {@link RollingWindow}: how many values were added and their sum. */
export interface Bucket {
  readonly count: number;
  readonly sum: number;
  /** Start of the slice, ms on the window's clock. */
  readonly start: number;
}

/** Options of {@link RollingWindow}. */
export interface RollingWindowOptions {
  /** Length of the window, ms. */
  window: number;
  /** Number of buckets; each covers `window / size` ms. */
  size: number;
  /** Current time in ms. Default `Date.now`. */
  clock?: () => number;
}

/**
 * A rolling window of `size` buckets (aegis' window, docs/resilience-and-security.md#resilience-and-security). Values land in the bucket of the current
 * time slice. Buckets are recycled lazily when written and skipped when read once they fall out of the
 * window, so an idle window costs nothing: no timer ticks to rotate it.
 */
export class RollingWindow {
  readonly #size: number;
  readonly #span: number;
  readonly #clock: () => number;
  // Parallel arrays rather than bucket objects: add() is on every call's hot path.
  readonly #counts: number[];
  readonly #sums: number[];
  readonly #slots: number[];

  constructor(options: RollingWindowOptions) {
    const window = numberOption('RollingWindow', 'window', options.window, NaN, { min: 0, exclusiveMin: true });
    this.#size = numberOption('RollingWindow', 'size', options.size, NaN, { min: 1, integer: true });
    this.#span = window / this.#size;
    this.#clock = functionOption('RollingWindow', 'clock', options.clock, Date.now);
    this.#counts = new Array<number>(this.#size).fill(0);
    this.#sums = new Array<number>(this.#size).fill(0);
    // Slot numbers no clock reading can produce, so every bucket starts out stale.
    this.#slots = new Array<number>(this.#size).fill(-Infinity);
  }

  /** Duration of one bucket, ms. */
  get bucketMs(): number {
    return this.#span;
  }

  /** Number of buckets in the window. */
  get size(): number {
    return this.#size;
  }

  /** Adds `value` to the current bucket (count + 1, sum + value). */
  add(value: number): void {
    const slot = Math.floor(this.#clock() / this.#span);
    const i = this.#index(slot);
    if (this.#slots[i] !== slot) {
      this.#slots[i] = slot;
      this.#counts[i] = 0;
      this.#sums[i] = 0;
    }
    this.#counts[i] = (this.#counts[i] ?? 0) + 1;
    this.#sums[i] = (this.#sums[i] ?? 0) + value;
  }

  /**
   * Folds the buckets still inside the window, oldest first. Buckets nothing was added to in their
   * slice are passed as empty, so callers see exactly `size` buckets (or `size - 1` with `skipCurrent`).
   */
  reduce<T>(fn: (acc: T, bucket: Bucket) => T, initial: T, options: { skipCurrent?: boolean } = {}): T {
    const current = Math.floor(this.#clock() / this.#span);
    const newest = options.skipCurrent === true ? current - 1 : current;
    let acc = initial;
    for (let slot = current - this.#size + 1; slot <= newest; slot++) {
      const i = this.#index(slot);
      const live = this.#slots[i] === slot;
      acc = fn(acc, { count: live ? (this.#counts[i] ?? 0) : 0, sum: live ? (this.#sums[i] ?? 0) : 0, start: slot * this.#span });
    }
    return acc;
  }

  /** Sums of counts and values over the window. */
  totals(): { count: number; sum: number } {
    return this.reduce((acc, b) => ({ count: acc.count + b.count, sum: acc.sum + b.sum }), { count: 0, sum: 0 });
  }

  #index(slot: number): number {
    // Slots before the epoch (a clock starting below 0 in tests) still map into the array.
    return ((slot % this.#size) + this.#size) % this.#size;
  }
}
