import { defaultCpuReader } from './cpu.js';
import { CpuSampler } from './cpu-sampler.js';
import { rateLimited } from './limiter.js';
import { functionOption, numberOption } from './options.js';
import { RollingWindow } from './rolling-window.js';
/**
 * Kratos' defaults for {@link BbrLimiter}.
 * @public
 */
export const DEFAULT_BBR_OPTIONS = { window: 10_000, bucket: 100, cpuThreshold: 800 };
/** How long shedding continues once started, even if CPU drops below the threshold, ms. */
const DROP_HOLD_MS = 1000;
/**
 * Adaptive load shedding after BBR congestion control (aegis' bbr, §12). The service's capacity is
 * estimated as its best throughput times its best latency (the bandwidth-delay product, maxPass ·
 * minRT); while CPU is above the threshold, calls beyond that many in flight are rejected with 429.
 * Shedding continues for a second after it starts even if CPU dips, since the CPU average lags and
 * would otherwise let a burst straight back in.
 * @public
 */
export class BbrLimiter {
    #pass;
    #rt;
    #threshold;
    #clock;
    #bucketsPerSecond;
    #cpu;
    #sampler;
    #inFlight = 0;
    #dropStartedAt;
    #cache;
    constructor(options = {}) {
        const d = DEFAULT_BBR_OPTIONS;
        const window = numberOption('BbrLimiter', 'window', options.window, d.window, { min: 0, exclusiveMin: true });
        const bucket = numberOption('BbrLimiter', 'bucket', options.bucket, d.bucket, { min: 2, integer: true });
        this.#threshold = numberOption('BbrLimiter', 'cpuThreshold', options.cpuThreshold, d.cpuThreshold, { min: 0, max: 1000 });
        this.#clock = functionOption('BbrLimiter', 'clock', options.clock, () => performance.now());
        this.#pass = new RollingWindow({ window, size: bucket, clock: this.#clock });
        this.#rt = new RollingWindow({ window, size: bucket, clock: this.#clock });
        this.#bucketsPerSecond = 1000 / (window / bucket);
        if (options.cpu === undefined) {
            const sampler = new CpuSampler(defaultCpuReader());
            this.#sampler = sampler;
            this.#cpu = () => sampler.value();
        }
        else {
            this.#cpu = functionOption('BbrLimiter', 'cpu', options.cpu, options.cpu);
        }
    }
    /** Admits the call, or throws the 429 when CPU is high and more calls are in flight than the estimate allows. */
    allow() {
        const start = this.#clock();
        if (this.#shouldDrop(start))
            throw rateLimited();
        this.#inFlight++;
        let finished = false;
        return () => {
            if (finished)
                return;
            finished = true;
            const rt = Math.ceil(this.#clock() - start);
            // Sub-millisecond calls say nothing about latency; recording 0 would make minRT meaningless.
            if (rt > 0)
                this.#rt.add(rt);
            this.#inFlight--;
            this.#pass.add(1);
        };
    }
    /** A snapshot for dashboards and tests. */
    stat() {
        const now = this.#clock();
        const { maxPass, minRt } = this.#stats(now);
        return { cpu: this.#cpu(), inFlight: this.#inFlight, maxInFlight: this.#maxInFlight(now), minRt, maxPass };
    }
    /** Stops the default CPU sampler (a no-op with an injected `cpu`). */
    close() {
        this.#sampler?.close();
    }
    #shouldDrop(now) {
        const overloaded = () => this.#inFlight > 1 && this.#inFlight > this.#maxInFlight(now);
        if (this.#cpu() < this.#threshold) {
            if (this.#dropStartedAt === undefined)
                return false;
            if (now - this.#dropStartedAt <= DROP_HOLD_MS)
                return overloaded();
            this.#dropStartedAt = undefined;
            return false;
        }
        const drop = overloaded();
        // Only the start of a shedding episode is recorded, so the hold runs from when it began (as aegis).
        if (drop && this.#dropStartedAt === undefined)
            this.#dropStartedAt = now;
        return drop;
    }
    #maxInFlight(now) {
        const { maxPass, minRt } = this.#stats(now);
        return Math.floor((maxPass * minRt * this.#bucketsPerSecond) / 1000 + 0.5);
    }
    // Recomputed at most once per bucket: the inputs only change when a bucket completes.
    #stats(now) {
        if (this.#cache !== undefined && now - this.#cache.at < this.#pass.bucketMs && now >= this.#cache.at)
            return this.#cache;
        const skipCurrent = { skipCurrent: true };
        const maxPass = this.#pass.reduce((max, b) => Math.max(max, b.sum), 1, skipCurrent);
        const minAvg = this.#rt.reduce((min, b) => (b.count > 0 ? Math.min(min, b.sum / b.count) : min), Infinity, skipCurrent);
        const minRt = Number.isFinite(minAvg) ? Math.max(1, Math.ceil(minAvg)) : 1;
        this.#cache = { at: now, maxPass, minRt };
        return this.#cache;
    }
}
