export { HealthRegistry, DEFAULT_HEALTH_TIMEOUT_MS } from './health-registry.js';
export type { HealthIndicator, HealthResult, HealthRegistryOptions, ReadinessReport } from './health-registry.js';
export { healthRoutes, metricsRoute, NOT_READY_REASON } from './health-routes.js';
export type { HealthRoutesOptions, RawReply, RawHttpRoute, MetricsSource } from './health-routes.js';
