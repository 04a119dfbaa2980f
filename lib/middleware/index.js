export { chain } from './chain.js';
export { selector, selective, isSelective, compileMatchers, chainFor, SelectorBuilder, APPLIES_TO, } from './selector.js';
export { recovery } from './recovery/index.js';
export { metadataServer, metadataClient } from './metadata/index.js';
export { validate, fromStandardSchema, validationError, isStandardSchema } from './validate/index.js';
export { loggingServer, loggingClient } from './logging/index.js';
export { metricsServer, metricsClient } from './metrics/index.js';
export { tracingServer, tracingClient } from './tracing/index.js';
