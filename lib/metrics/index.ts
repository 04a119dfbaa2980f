export { NoopMeter, DEFAULT_SECONDS_BUCKETS, bindCounter, bindHistogram } from './meter.js';
export type { Counter, Histogram, Meter, Labels, BoundCounter, BoundHistogram } from './meter.js';
export { PrometheusMeter } from './prometheus-meter.js';
export type { PrometheusMeterOptions } from './prometheus-meter.js';
