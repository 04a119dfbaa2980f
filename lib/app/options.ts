import type { Provider } from '../container/index.js';
import type { Logger } from '../log/index.js';
import type { MiddlewareEntry } from '../annotations/index.js';
import type { ConfigSource } from '../config/index.js';
import type { Registrar } from '../registry/index.js';
import type { StandardSchemaV1 } from '../internal/index.js';
import type { LoggingOptions } from '../middleware/logging/index.js';
import type { MetadataServerOptions } from '../middleware/metadata/index.js';
import type { TracingExporter } from '../tracing/index.js';
import type { HttpServerOptions } from '../transport/http/index.js';
import type { GrpcServerOptions } from '../transport/grpc/index.js';
import type { GrpcWebOptions } from '../transport/grpcweb/index.js';
import type { Cache } from '../cache/index.js';
import type { Limiter } from '../resilience/index.js';

/** An application hook; receives the app. */
export type Hook = (app: AppInfo) => void | Promise<void>;

/** Names of the application hooks, in the order they run (docs/architecture.md#start-and-stop-order). */
export const HOOK_NAMES = ['beforeStart', 'afterStart', 'beforeStop', 'afterStop'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** Identity of a running app (Kratos `AppInfo`), injectable through the `AppInfo` token. */
export interface AppInfo {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Advertised server URLs, known after start. */
  readonly endpoints: readonly string[];
}

/**
 * Options of the app's HTTP server: the {@link HttpServerOptions} of the transport (the app supplies
 * its logger, error detail and gRPC-Web gateway), the timeout also as a duration string, and gRPC-Web.
 * Settings with a config key (`server.http.*`) default to config, then to the config reference's
 * default (docs/config-and-logging.md).
 */
export type HttpServerConfig = Omit<HttpServerOptions, 'timeout' | 'logger' | 'exposeErrorDetail' | 'protocol' | 'ambientContext'> & {
  /** Per-request timeout, ms or a duration string. Default: config `server.http.timeout`, else 1 s. 0 disables. */
  timeout?: number | string;
  /**
   * gRPC-Web for every proto rpc on this port (on by default; config `server.http.grpc_web.enabled`),
   * or false for none. `origins`: pages allowed by CORS (default '*', config `server.http.grpc_web.origins`);
   * `exposeHeaders`: reply metadata their scripts may read.
   */
  grpcWeb?: false | Pick<GrpcWebOptions, 'origins' | 'exposeHeaders'>;
};

/**
 * Options of the app's gRPC server: the {@link GrpcServerOptions} of the transport (the app supplies
 * its logger and error detail), the timeout also as a duration string, and the built-in services.
 */
export type GrpcServerConfig = Omit<GrpcServerOptions, 'timeout' | 'logger' | 'exposeErrorDetail' | 'ambientContext'> & {
  /** Timeout of unary and client-streaming calls, ms or a duration string. Default: config `server.grpc.timeout`, else 1 s. */
  timeout?: number | string;
  /** Serve grpc.health.v1.Health. Default true. */
  health?: boolean;
  /** Serve server reflection (v1 and v1alpha). Default true. */
  reflection?: boolean;
};

/** Options of {@link createApp}; every field is optional. */
export interface AppOptions {
  /** Instance id. Default: hostname-pid. */
  id?: string;
  /** Service name. Default: the root module's class name. */
  name?: string;
  /** Service version. Default: ''. */
  version?: string;
  /** Instance metadata (copied into the registry record). */
  metadata?: Record<string, string>;
  /** HTTP server options, or false for no HTTP server. */
  http?: HttpServerConfig | false;
  /** gRPC server options, or false for none. A gRPC server starts when a service is bound to a proto. */
  grpc?: GrpcServerConfig | false;
  /**
   * Directories searched for `@Service({ proto })` files and their imports; relative ones against the
   * project root (the nearest package.json above the entry script). The project's `third_party/` is
   * searched too, then the protos kratos-ts ships.
   */
  protoPaths?: string[];
  /** In-memory configuration tree (`{ server: { http: { addr } } }`), merged last, over every other source. */
  config?: Record<string, unknown>;
  /** More configuration sources (etcd, other files), merged after configDir and the environment. */
  configSources?: ConfigSource[];
  /** A Standard Schema (zod, ...) the whole configuration must satisfy; a bad config stops boot naming key and file. */
  configSchema?: StandardSchemaV1;
  /**
   * A config file or directory (yaml, yml, json) read at creation, or false for none.
   * Default: `configs/` beside the entry script, when present.
   */
  configDir?: string | false;
  /** The logger. Default: from the `log` config section, JSON lines on stdout at level `info`. */
  logger?: Logger;
  /** The built-in logging middleware (docs/config-and-logging.md#the-access-log, on by default): one line per call. */
  accessLog?: false | LoggingOptions;
  /** Prometheus metrics and `/metrics` (on by default; config `metrics.*`). `runtime: false` skips process/Node metrics. */
  metrics?: false | { runtime?: boolean };
  /**
   * OpenTelemetry tracing (on by default, sampler off unless `sampleRatio` or OTEL_TRACES_SAMPLER; config
   * `trace.*`). What is set here or in config wins over the OTEL_* environment (docs/observability.md).
   */
  tracing?: false | { exporter?: TracingExporter; endpoint?: string; sampleRatio?: number; serviceName?: string; useGlobalProvider?: boolean };
  /** `/healthz` and `/readyz` (on by default; config `health.enabled`). */
  health?: false;
  /** Middleware for every operation, outermost first, after the built-ins and before module middleware. */
  middleware?: MiddlewareEntry[];
  /**
   * Sheds load at the servers' front door with this limiter (e.g. a `BbrLimiter`): every HTTP request and
   * gRPC call is asked about before routing, decoding or middleware, and a refused one gets the 429
   * `RATELIMIT` / RESOURCE_EXHAUSTED reply at once. Health, `/metrics` and reflection are exempt
   * (docs/resilience-and-security.md#shedding-at-the-front-door). Do not also give it to `rateLimit()`.
   */
  limiter?: Limiter;
  /**
   * The built-in recovery middleware (outermost; on by default): non-Kratos failures become 500
   * `UNKNOWN` and are logged once. `exposeMessages` sends their message, and the internal detail of
   * dependency failures (an upstream's address, a foreign server's text) that servers otherwise replace
   * with the generic text of the code (development only; the log always has them).
   */
  recovery?: false | { exposeMessages?: boolean };
  /**
   * Make each call's context ambient through an AsyncLocalStorage (on by default; config
   * `server.ambientContext`): `currentContext()`, `currentClaims()`, the trace context, and the served
   * call's deadline and `x-md-global-*` metadata carried into outgoing calls. `false` runs handlers as
   * plain calls, which saves Node 20's async-hook cost on every promise; it needs `tracing: false`
   * (docs/architecture.md#the-ambient-context).
   */
  ambientContext?: boolean;
  /** The built-in metadata middleware (on by default, docs/errors-and-metadata.md#metadata): `x-md-*` request headers become ctx.metadata. */
  callMetadata?: false | MetadataServerOptions;
  /** What an unhandled promise rejection does while the app runs: logged (default) or exit the process. */
  unhandledRejections?: 'log' | 'exit';
  /** The cache behind `@Cached` methods and the `CACHE` token. Default: Redis at config `data.redis.addr`, else in memory. */
  cache?: Cache;
  /** Extra framework-level providers, visible from every module. */
  providers?: Provider[];
  /** Replacements by token, wherever declared (what createTestApp uses). */
  overrides?: Provider[];
  /** Application hooks; each may be one function or a list run in order. */
  hooks?: Partial<Record<HookName, Hook | Hook[]>>;
  /**
   * Where the app registers itself after its servers listen (docs/architecture.md#start-and-stop-order), and deregisters before they drain.
   * Default: an EtcdRegistry when config `registry.etcd.endpoints` is set (namespace, ttl beside it).
   */
  registrar?: Registrar;
  /** How long register and deregister may take, ms. Default 10 000 (Kratos). */
  registrarTimeout?: number;
  /** How long servers may drain on stop, ms. Default: 10 000. */
  stopTimeout?: number;
  /**
   * How long to keep serving after /readyz turns unready and before servers stop accepting, ms, so
   * load balancers notice first (a Kubernetes preStop delay). Default 0.
   */
  drainDelay?: number;
  /** Signals that make run() stop the app. Default: SIGTERM, SIGQUIT, SIGINT. */
  signals?: NodeJS.Signals[];
}

export const DEFAULT_HTTP_ADDR = '0.0.0.0:8000';
export const DEFAULT_GRPC_ADDR = '0.0.0.0:9000';
export const DEFAULT_HTTP_TIMEOUT_MS = 1000;
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;
export const DEFAULT_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGQUIT', 'SIGINT'];
