export { HealthRegistry, DEFAULT_HEALTH_TIMEOUT_MS } from './health-registry.js';
export { healthRoutes, metricsRoute, NOT_READY_REASON } from './health-routes.js';
