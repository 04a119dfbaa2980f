// `kratos-ts`: what every service needs. Each concept also has its own entry with the rest of its surface
// (`kratos-ts/http`, `/grpc`, `/middleware`, `/registry`, `/selector`, `/resilience`, `/cache`, `/auth`,
// `/health`, `/config`, `/log`, `/metrics`, `/tracing`, `/encoding`, `/proto`, `/errors`), plus
// `kratos-ts/decorators` and `kratos-ts/testing`.
import 'reflect-metadata';
import * as errors from './errors/index.js';

export { errors };
export { KratosError, FrameworkError, FRAMEWORK_ERRORS } from './errors/index.js';
export type { FrameworkErrorCode, Status } from './errors/index.js';

// The app and its container.
export { App, createApp, APP_INFO, METER, TRACING, HOOK_NAMES } from './app/index.js';
export type { AppOptions, AppInfo, Hook, HookName, HttpServerConfig, GrpcServerConfig, RunOptions } from './app/index.js';
export { token, AppContainer } from './container/index.js';
export type {
  Token,
  ProviderToken,
  Provider,
  ClassProvider,
  ValueProvider,
  FactoryProvider,
  ExistingProvider,
  OnInit,
  OnStart,
  OnStop,
  OnDestroy,
} from './container/index.js';
export type { ModuleOptions, ServiceOptions, MiddlewareOptions, MiddlewareEntry } from './annotations/index.js';

// The call: its context, metadata, handlers and middleware.
export { currentContext, ClientContext } from './transport/index.js';
export type { Context, Header, Kind, Server, CallOptions, Endpoint, Admission } from './transport/index.js';
export { Metadata } from './metadata/index.js';
export { chain, onCallEnd, isAsyncIterable, staged, UNWATCHED } from './middleware/index.js';
export type { Handler, Middleware, OperationMatcher, CallOutcome, OnCallEnd, Stage } from './middleware/index.js';
export { selector } from './middleware/selector/index.js';
export { recovery } from './middleware/recovery/index.js';
export { loggingServer, loggingClient } from './middleware/logging/index.js';
export { metricsServer, metricsClient } from './middleware/metrics/index.js';
export { tracingServer, tracingClient } from './middleware/tracing/index.js';
export { metadataServer, metadataClient } from './middleware/metadata/index.js';
export { validate, fromStandardSchema } from './middleware/validate/index.js';
export type { RecoveryOptions } from './middleware/recovery/index.js';
export type { LoggingOptions } from './middleware/logging/index.js';
export type { MetadataServerOptions, MetadataClientOptions } from './middleware/metadata/index.js';
export type { Validator, Violation, StandardSchemaV1 } from './middleware/validate/index.js';

// Clients, and what generated code uses.
export { createHttpClient, createProtoHttpClient } from './transport/http/index.js';
export type { HttpClientOptions, HttpCallOptions } from './transport/http/index.js';
export { createGrpcClient } from './transport/grpc/index.js';
export type { GrpcClient, GrpcClientOptions } from './transport/grpc/index.js';
export { ProtoLoader, loadErrors } from './proto/index.js';
export type { ProtoPathsOption, ErrorHelpers } from './proto/index.js';

// Config, logs, metrics, tracing, registry, selector and encoding: the types a service names, and the
// parts it commonly builds.
export { Config, ConfigValue, configSection, ConfigSection } from './config/index.js';
export type { ConfigSource } from './config/index.js';
export { Logger, createLogger, SLOT } from './log/index.js';
export type { Level, LoggerOptions, RecordWriter } from './log/index.js';
export type { Meter, Counter, Histogram, BoundCounter, BoundHistogram } from './metrics/index.js';
export type { Tracing } from './tracing/index.js';
export { MemoryRegistry, EtcdRegistry } from './registry/index.js';
export type { ServiceInstance, Registrar, Discovery } from './registry/index.js';
export type { Balancer, Node } from './selector/index.js';
export { CodecRegistry, defaultCodecs } from './encoding/index.js';
export type { Codec } from './encoding/index.js';
