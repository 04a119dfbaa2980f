// `kratos-ts/health`: readiness checks and the admin routes that serve them.
export { HealthRegistry, healthRoutes, metricsRoute } from '../health/index.js';
export type { HealthIndicator, HealthResult } from '../health/index.js';
