// `kratos-ts/middleware`: the middleware core and every built-in middleware.
export { chain, onCallEnd, isAsyncIterable, staged, UNWATCHED } from '../middleware/index.js';
export type { Handler, Middleware, OperationMatcher, CallOutcome, OnCallEnd, Stage } from '../middleware/index.js';
export { selector } from '../middleware/selector/index.js';
export { recovery } from '../middleware/recovery/index.js';
export type { RecoveryOptions } from '../middleware/recovery/index.js';
export { loggingServer, loggingClient } from '../middleware/logging/index.js';
export type { LoggingOptions } from '../middleware/logging/index.js';
export { metricsServer, metricsClient } from '../middleware/metrics/index.js';
export type { MetricsOptions } from '../middleware/metrics/index.js';
export { tracingServer, tracingClient } from '../middleware/tracing/index.js';
export { metadataServer, metadataClient } from '../middleware/metadata/index.js';
export type { MetadataServerOptions, MetadataClientOptions } from '../middleware/metadata/index.js';
export { validate, fromStandardSchema } from '../middleware/validate/index.js';
export type { Validator, Violation, StandardSchemaV1 } from '../middleware/validate/index.js';
