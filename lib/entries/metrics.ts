// `kratos-ts/metrics`: the Meter and its Prometheus adapter.
export { METER } from '../app/index.js';
export { PrometheusMeter, NoopMeter, DEFAULT_SECONDS_BUCKETS } from '../metrics/index.js';
export type { Meter, Counter, Histogram } from '../metrics/index.js';
