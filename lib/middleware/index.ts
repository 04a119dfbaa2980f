export type { Handler, Middleware } from './types.js';
export { chain } from './chain.js';
export {
  selector,
  selective,
  isSelective,
  compileMatchers,
  chainFor,
  SelectorBuilder,
  APPLIES_TO,
} from './selector.js';
export type { OperationMatcher, SelectiveMiddleware } from './selector.js';
export { recovery } from './recovery/index.js';
export type { RecoveryOptions } from './recovery/index.js';
export { metadataServer, metadataClient } from './metadata/index.js';
export type { MetadataServerOptions, MetadataClientOptions } from './metadata/index.js';
export { validate, fromStandardSchema, validationError, isStandardSchema } from './validate/index.js';
export type { Validator, Violation, StandardSchemaV1, StandardIssue, StandardResult } from './validate/index.js';
export { loggingServer, loggingClient } from './logging/index.js';
export type { LoggingOptions } from './logging/index.js';
export { metricsServer, metricsClient } from './metrics/index.js';
export type { MetricsOptions } from './metrics/index.js';
export { tracingServer, tracingClient } from './tracing/index.js';
