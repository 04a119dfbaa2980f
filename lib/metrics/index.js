export { NoopMeter, DEFAULT_SECONDS_BUCKETS } from './meter.js';
export { PrometheusMeter } from './prometheus-meter.js';
