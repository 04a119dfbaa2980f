import { defaultCpuReader, type CpuReader } from './cpu.js';
import { rateLimited, type Limiter } from './limiter.js';
import { RollingWindow } from './rolling-window.js';

/** Options of {@link BbrLimiter}; defaults are Kratos' (§12). */
export interface BbrOptions {
  /** Window, ms. Default 10 000. */
  window?: number;
  /** Buckets in the window. Default 100. */
  bucket?: number;
  /** CPU usage above which load is shed, per mille. Default 800 (80 %). */
  cpuThreshold?: number;
  /** The smoothed CPU usage, per mille; default: sampled every 500 ms from cgroup or process. */
  cpu?: () => number;
  clock?: () => number;
}

const SAMPLE_MS = 500;
const DECAY = 0.95;

/** A snapshot of the limiter, for dashboards and tests. */
export interface BbrStat {
  cpu: number;
  inFlight: number;
  maxInFlight: number;
  minRt: number;
  maxPass: number;
}

/**
 * BBR-style adaptive limiting (Kratos/aegis, §12): when CPU is past the threshold, calls beyond what
 * the service has shown it can sustain (maxPass · minRT, the bandwidth-delay product) are rejected
 * with 429; for a second after shedding starts it keeps shedding even if CPU dips.
 */
export class BbrLimiter implements Limiter {
  readonly #pass: RollingWindow;
  readonly #rt: RollingWindow;
  readonly #threshold: number;
  readonly #clock: () => number;
  readonly #bucketsPerSecond: number;
  readonly #cpuOverride: (() => number) | undefined;
  #cpu = 0;
  #sampler: NodeJS.Timeout | undefined;
  #inFlight = 0;
  #prevDrop = 0;
  #cache: { at: number; maxPass: number; minRt: number } | undefined;

  constructor(options: BbrOptions = {}) {
    const window = options.window ?? 10_000;
    const bucket = options.bucket ?? 100;
    this.#clock = options.clock ?? Date.now;
    this.#pass = new RollingWindow(window, bucket, this.#clock);
    this.#rt = new RollingWindow(window, bucket, this.#clock);
    this.#threshold = options.cpuThreshold ?? 800;
    this.#bucketsPerSecond = 1000 / (window / bucket);
    this.#cpuOverride = options.cpu;
  }

  #cpuNow(): number {
    if (this.#cpuOverride !== undefined) return this.#cpuOverride();
    if (this.#sampler === undefined) {
      const read: CpuReader = defaultCpuReader();
      this.#sampler = setInterval(() => (this.#cpu = this.#cpu * DECAY + read() * (1 - DECAY)), SAMPLE_MS);
      this.#sampler.unref();
    }
    return this.#cpu;
  }

  #stats(now: number): { maxPass: number; minRt: number } {
    if (this.#cache !== undefined && now - this.#cache.at < this.#pass.bucketMs) return this.#cache;
    let maxPass = 1;
    for (const b of this.#pass.buckets(true)) maxPass = Math.max(maxPass, b.sum);
    let minRt = Infinity;
    for (const b of this.#rt.buckets(true)) if (b.count > 0) minRt = Math.min(minRt, Math.ceil(b.sum / b.count));
    this.#cache = { at: now, maxPass, minRt: Number.isFinite(minRt) ? Math.max(1, minRt) : 1 };
    return this.#cache;
  }

  maxInFlight(now = this.#clock()): number {
    const { maxPass, minRt } = this.#stats(now);
    return Math.floor((maxPass * minRt * this.#bucketsPerSecond) / 1000 + 0.5);
  }

  #shouldDrop(now: number): boolean {
    const over = (): boolean => this.#inFlight > 1 && this.#inFlight > this.maxInFlight(now);
    if (this.#cpuNow() < this.#threshold) {
      if (this.#prevDrop === 0) return false;
      if (now - this.#prevDrop <= 1000) return over();
      this.#prevDrop = 0;
      return false;
    }
    const drop = over();
    if (drop && this.#prevDrop === 0) this.#prevDrop = now;
    return drop;
  }

  allow(): (err?: unknown) => void {
    const start = this.#clock();
    if (this.#shouldDrop(start)) throw rateLimited();
    this.#inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const rt = Math.ceil(this.#clock() - start);
      if (rt > 0) this.#rt.add(rt);
      this.#inFlight--;
      this.#pass.add(1);
    };
  }

  stat(): BbrStat {
    const now = this.#clock();
    const { maxPass, minRt } = this.#stats(now);
    return { cpu: this.#cpuNow(), inFlight: this.#inFlight, maxInFlight: this.maxInFlight(now), minRt, maxPass };
  }

  /** Stops CPU sampling. */
  close(): void {
    if (this.#sampler !== undefined) clearInterval(this.#sampler);
    this.#sampler = undefined;
  }
}
