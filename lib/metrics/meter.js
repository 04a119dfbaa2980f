/** Kratos' latency buckets in seconds (`DefaultSecondsHistogram`, §6). */
export const DEFAULT_SECONDS_BUCKETS = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]);
const NOOP_COUNTER = { inc: () => undefined };
const NOOP_HISTOGRAM = { observe: () => undefined };
/** Records nothing: the default meter, so an app without metrics pays (almost) nothing. */
export class NoopMeter {
    counter(_name, _help, _labelNames) {
        return NOOP_COUNTER;
    }
    histogram(_name, _help, _labelNames, _buckets) {
        return NOOP_HISTOGRAM;
    }
}
