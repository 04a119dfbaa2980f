import { functionOption, numberOption } from './options.js';
import type { CpuReader } from './cpu.js';

/**
 * Options of {@link CpuSampler}; defaults are Kratos'.
 * @public
 */
export interface CpuSamplerOptions {
  /** Time between samples, ms. Default 500. */
  interval?: number;
  /** Weight of the previous value, [0, 1). Default 0.95. */
  decay?: number;
}

/**
 * Samples a {@link CpuReader} on an interval and keeps a smoothed value, cpu = prev·decay +
 * reading·(1 − decay), so one busy sample (a GC pause) does not make BBR shed load. The timer starts
 * on the first {@link CpuSampler.value} and is unref'd, so it never keeps a process alive.
 * @public
 */
export class CpuSampler {
  readonly #read: CpuReader;
  readonly #interval: number;
  readonly #decay: number;
  #value = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(read: CpuReader, options: CpuSamplerOptions = {}) {
    this.#read = functionOption('CpuSampler', 'read', read, read);
    this.#interval = numberOption('CpuSampler', 'interval', options.interval, 500, { min: 1 });
    this.#decay = numberOption('CpuSampler', 'decay', options.decay, 0.95, { min: 0, max: 0.999999 });
  }

  /** The smoothed usage, per mille. Starts sampling if it has not yet. */
  value(): number {
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.sample(), this.#interval);
      this.#timer.unref();
    }
    return this.#value;
  }

  /** Takes one sample now and returns the new smoothed value (the timer calls this). */
  sample(): number {
    const reading = Math.min(1000, Math.max(0, this.#read()));
    this.#value = this.#value * this.#decay + reading * (1 - this.#decay);
    return this.#value;
  }

  /** Stops sampling; a later {@link CpuSampler.value} starts it again. */
  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
