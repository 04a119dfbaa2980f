export { metricsServer, metricsClient } from './metrics.js';
export type { MetricsOptions } from './metrics.js';
