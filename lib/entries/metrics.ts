// `kratos-ts/metrics`: the Meter and its Prometheus adapter.
export { METER } from '../app/index.js';
export { PrometheusMeter, NoopMeter, DEFAULT_SECONDS_BUCKETS, bindCounter, bindHistogram } from '../metrics/index.js';
export type { Meter, Counter, Histogram, BoundCounter, BoundHistogram } from '../metrics/index.js';
