export { metricsServer, metricsClient } from './metrics.js';
export type { MetricsOptions } from './metrics.js';
export { observeCall, isAsyncIterable } from './call-outcome.js';
export type { CallEnd, CallScope } from './call-outcome.js';
