export { NoopMeter, DEFAULT_SECONDS_BUCKETS } from './meter.js';
export type { Counter, Histogram, Meter, Labels } from './meter.js';
export { PrometheusMeter } from './prometheus-meter.js';
export type { PrometheusMeterOptions } from './prometheus-meter.js';
