import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import { defaultCpuReader, type CpuReader } from './cpu.js';
import { functionOption, numberOption } from './options.js';

/**
 * How busy this Node process is, as {@link LoadSignals} smooths it.
 * @public
 */
export interface LoadSample {
  /** CPU time of this process against one core (or a cgroup quota below one core), per mille. */
  cpu: number;
  /** Event-loop utilisation: the share of wall time the loop was not waiting for I/O, 0..1. */
  elu: number;
  /** Mean event-loop delay, ms: how late a timer fires, i.e. how long ready work waits for the loop. */
  delay: number;
}

/**
 * Options of {@link LoadSignals}.
 * @public
 */
export interface LoadSignalsOptions {
  /** Time between samples, ms. Default 100. */
  interval?: number;
  /** Weight of the previous value, [0, 1). Default 0.5: a step change is 90 % visible after 4 samples (≈ 0.4 s). */
  decay?: number;
  /** CPU reader, per mille of one core. Default {@link defaultCpuReader}. */
  cpu?: CpuReader;
}

/**
 * Samples the three ways a Node process shows saturation: its CPU against the one core its event loop
 * runs on, event-loop utilisation, and event-loop delay. Each is smoothed as prev·decay + reading·(1 −
 * decay) so a single GC pause does not look like overload, yet a real one is seen within half a second.
 * Sampling starts on the first {@link LoadSignals.value} and its timer is unref'd.
 * @public
 */
export class LoadSignals {
  readonly #interval: number;
  readonly #decay: number;
  readonly #readCpu: CpuReader;
  readonly #value: LoadSample = { cpu: 0, elu: 0, delay: 0 };
  #timer: NodeJS.Timeout | undefined;
  #histogram: IntervalHistogram | undefined;
  #elu: EventLoopUtilization | undefined;

  constructor(options: LoadSignalsOptions = {}) {
    this.#interval = numberOption('LoadSignals', 'interval', options.interval, 100, { min: 1 });
    this.#decay = numberOption('LoadSignals', 'decay', options.decay, 0.5, { min: 0, max: 0.999999 });
    this.#readCpu = functionOption('LoadSignals', 'cpu', options.cpu, defaultCpuReader());
  }

  /** The smoothed signals. Starts sampling if it has not yet. */
  value(): LoadSample {
    if (this.#timer === undefined) this.#start();
    return this.#value;
  }

  /** Takes one sample now (the timer calls this) and returns the smoothed signals. */
  sample(): LoadSample {
    const d = this.#decay;
    const elu = performance.eventLoopUtilization(this.#elu);
    this.#elu = performance.eventLoopUtilization();
    const h = this.#histogram;
    // The histogram is empty when no timer tick completed since the last reset: the loop was blocked all along.
    const delay = h === undefined ? 0 : h.count > 0 ? h.mean / 1e6 : this.#interval;
    h?.reset();
    const v = this.#value;
    v.cpu = v.cpu * d + Math.min(1000, Math.max(0, this.#readCpu())) * (1 - d);
    v.elu = v.elu * d + elu.utilization * (1 - d);
    v.delay = v.delay * d + delay * (1 - d);
    return v;
  }

  /** Stops sampling; a later {@link LoadSignals.value} starts it again. */
  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#histogram?.disable();
    this.#timer = undefined;
    this.#histogram = undefined;
  }

  #start(): void {
    this.#elu = performance.eventLoopUtilization();
    // 10 ms resolution: fine enough for the delays that matter (tens of ms), cheap enough to leave on.
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
    this.#timer = setInterval(() => this.sample(), this.#interval);
    this.#timer.unref();
  }
}
