export { metricsServer, metricsClient } from './metrics.js';
export { observeCall, isAsyncIterable } from './call-outcome.js';
