import { functionOption, numberOption } from './options.js';
/**
 * Samples a {@link CpuReader} on an interval and keeps a smoothed value, cpu = prev·decay +
 * reading·(1 − decay), so one busy sample (a GC pause) does not make BBR shed load. The timer starts
 * on the first {@link CpuSampler.value} and is unref'd, so it never keeps a process alive.
 * @public
 */
export class CpuSampler {
    #read;
    #interval;
    #decay;
    #value = 0;
    #timer;
    constructor(read, options = {}) {
        this.#read = functionOption('CpuSampler', 'read', read, read);
        this.#interval = numberOption('CpuSampler', 'interval', options.interval, 500, { min: 1 });
        this.#decay = numberOption('CpuSampler', 'decay', options.decay, 0.95, { min: 0, max: 0.999999 });
    }
    /** The smoothed usage, per mille. Starts sampling if it has not yet. */
    value() {
        if (this.#timer === undefined) {
            this.#timer = setInterval(() => this.sample(), this.#interval);
            this.#timer.unref();
        }
        return this.#value;
    }
    /** Takes one sample now and returns the new smoothed value (the timer calls this). */
    sample() {
        const reading = Math.min(1000, Math.max(0, this.#read()));
        this.#value = this.#value * this.#decay + reading * (1 - this.#decay);
        return this.#value;
    }
    /** Stops sampling; a later {@link CpuSampler.value} starts it again. */
    close() {
        if (this.#timer !== undefined)
            clearInterval(this.#timer);
        this.#timer = undefined;
    }
}
