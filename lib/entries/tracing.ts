// `kratos-ts/tracing`: OpenTelemetry tracing and the log valuers that carry trace ids.
export { TRACING } from '../app/index.js';
export { createTracing, traceIdValuer, spanIdValuer } from '../tracing/index.js';
export type { Tracing, TracingOptions, TracingExporter } from '../tracing/index.js';
