export { createTracing } from './otel-tracing.js';
export { sdkDisabledByEnv } from './otel-env.js';
export type { Tracing, TracingOptions, TracingExporter, SpanExporterLike } from './otel-tracing.js';
export { startServerSpan, startClientSpan } from './otel-span.js';
export type { SpanHandle } from './otel-span.js';
export { traceIdValuer, spanIdValuer } from './otel-valuers.js';
export {
  callAttributes,
  ATTR_RPC_SYSTEM,
  ATTR_RPC_SERVICE,
  ATTR_RPC_METHOD,
  ATTR_RPC_OPERATION,
  ATTR_RPC_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from './attributes.js';
