import 'reflect-metadata';
import * as errors from './errors/index.js';

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
export { Config, ConfigValue, configSection, ConfigSection, fileSource, envSource, memorySource, etcdSource } from './config/index.js';
export type { ConfigSource, ConfigLayer, ConfigOptions, ConfigObserver, EtcdSourceOptions, FileSourceOptions, EnvSourceOptions } from './config/index.js';
export { Logger, NoopLogger, StdLogger, WinstonLogger, FilterLogger, createLogger, valuer, timestamp, caller, parseLevel } from './log/index.js';
export type { Level, StdLoggerOptions, LoggerOptions, FilterOptions, Valuer } from './log/index.js';
export { chain } from './middleware/index.js';
export { selector } from './middleware/selector/index.js';
export { recovery } from './middleware/recovery/index.js';
export { metadataServer, metadataClient } from './middleware/metadata/index.js';
export { validate, fromStandardSchema } from './middleware/validate/index.js';
export { loggingServer, loggingClient } from './middleware/logging/index.js';
export type { Handler, Middleware, OperationMatcher } from './middleware/index.js';
export type { RecoveryOptions } from './middleware/recovery/index.js';
export type { MetadataServerOptions, MetadataClientOptions } from './middleware/metadata/index.js';
export type { Validator, Violation, StandardSchemaV1 } from './middleware/validate/index.js';
export { currentContext, ClientContext } from './transport/index.js';
export type { CallOptions, Endpoint } from './transport/index.js';
export { HttpServer, HttpClient, createHttpClient, createProtoHttpClient } from './transport/http/index.js';
export type { HttpRoute, HttpServerOptions, HttpClientOptions, HttpCallOptions } from './transport/http/index.js';
export { GrpcServer, createGrpcClient, HealthService } from './transport/grpc/index.js';
export type { GrpcServerOptions, GrpcClient, GrpcClientOptions, GrpcMethod } from './transport/grpc/index.js';
export { ProtoLoader, loadErrors, errorEnums, parsePathTemplate } from './proto/index.js';
export type { ServiceSchema, MethodSchema, HttpRule, PathTemplate, ErrorHelpers, ErrorEnumValue, ProtoPathsOption, ProtoLoaderOptions } from './proto/index.js';
export { CodecRegistry, defaultCodecs, toProtoJson, fromProtoJson, DEFAULT_DECODE_LIMITS } from './encoding/index.js';
export type { DecodeLimits } from './encoding/index.js';
export type { Codec } from './encoding/index.js';
export { Metadata } from './metadata/index.js';
export type { Context, Header, Kind, Server } from './transport/index.js';
export { errors };
export { KratosError, FrameworkError, FRAMEWORK_ERRORS } from './errors/index.js';
export type { FrameworkErrorCode, Status } from './errors/index.js';
export type { ModuleOptions, ServiceOptions, MiddlewareOptions, MiddlewareEntry } from './annotations/index.js';
export { PrometheusMeter, NoopMeter, DEFAULT_SECONDS_BUCKETS } from './metrics/index.js';
export type { Meter, Counter, Histogram } from './metrics/index.js';
export { createTracing, traceIdValuer, spanIdValuer } from './tracing/index.js';
export type { Tracing, TracingOptions, TracingExporter } from './tracing/index.js';
export { HealthRegistry, healthRoutes, metricsRoute } from './health/index.js';
export type { HealthIndicator, HealthResult } from './health/index.js';
export { metricsServer, metricsClient } from './middleware/metrics/index.js';
export { tracingServer, tracingClient } from './middleware/tracing/index.js';
export { MemoryRegistry, EtcdRegistry } from './registry/index.js';
export type { ServiceInstance, Registrar, Discovery, Watcher, EtcdRegistryOptions } from './registry/index.js';
export { jwtServer, jwtClient, claimsOf, currentClaims } from './auth/index.js';
export type { JwtServerOptions, JwtClientOptions, JwtKey } from './auth/index.js';
export { cors } from './transport/http/index.js';
export type { CorsOptions, HttpFilter } from './transport/http/index.js';
export { circuitBreaker, SreBreaker, rateLimit, BbrLimiter, TokenBucketLimiter, retry, bulkhead, LoadSignals, defaultCpuReader, cgroupCpuReader } from './resilience/index.js';
export type { CircuitBreaker, Limiter, RetryOptions, SreBreakerOptions, BbrOptions, BbrStat, LoadSample, TokenBucketOptions } from './resilience/index.js';
export { versionFilter, metadataFilter } from './selector/index.js';
export type { Balancer, NodeFilter, Node } from './selector/index.js';
export { CACHE, CacheAside, MemoryCache, RedisCache, cacheFromConfig } from './cache/index.js';
export type { Cache, ReadPolicy, MemoryCacheOptions, RedisCacheOptions, CacheAsideOptions } from './cache/index.js';
