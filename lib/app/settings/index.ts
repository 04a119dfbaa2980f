import { hostname } from 'node:os';
import { cacheSettings, MEMORY_CACHE_SETTINGS, REDIS_SETTINGS, type CacheSettings } from '../../cache/index.js';
import { configReference, resolveSection, type ConfigReader, type Resolved, type Section } from '../../settings/index.js';
import type { AppInfo, AppOptions, GrpcServerConfig, HttpServerConfig } from '../options.js';
import { HEALTH_SETTINGS, LOG_SETTINGS, METRICS_SETTINGS, REGISTRY_SETTINGS, TRACE_SETTINGS } from './observability-settings.js';
import { CALL_SETTINGS, GRPC_SETTINGS, GRPC_WEB_SETTINGS, HTTP_SETTINGS, LIFECYCLE_SETTINGS } from './server-settings.js';
import { FrameworkError } from '../../errors/index.js';

export { HEALTH_SETTINGS, LOG_SETTINGS, METRICS_SETTINGS, REGISTRY_SETTINGS, TRACE_SETTINGS } from './observability-settings.js';
export { CALL_SETTINGS, GRPC_SETTINGS, GRPC_WEB_SETTINGS, HTTP_SETTINGS, LIFECYCLE_SETTINGS } from './server-settings.js';

type Without<T, K extends PropertyKey> = Omit<T, K | 'grpcWeb' | 'health' | 'reflection'>;

/** The HTTP server's options: what `http` gave that config cannot, and the resolved settings. */
export type HttpSettings = Without<HttpServerConfig, keyof typeof HTTP_SETTINGS> & Resolved<typeof HTTP_SETTINGS>;
/** The gRPC-Web gateway's options, or false for none. */
export type GrpcWebSettings = false | Omit<Resolved<typeof GRPC_WEB_SETTINGS>, 'enabled'>;
/** The gRPC server's options and its built-in services. */
export type GrpcSettings = Without<GrpcServerConfig, keyof typeof GRPC_SETTINGS> & Resolved<typeof GRPC_SETTINGS>;
/** Tracing's settings, or false when it is off. */
export type TraceSettings = false | Omit<Resolved<typeof TRACE_SETTINGS>, 'enabled'>;
/** Metrics' settings, or false when they are off. */
export type MetricsSettings = false | Omit<Resolved<typeof METRICS_SETTINGS>, 'enabled'>;
export type LogSettings = Resolved<typeof LOG_SETTINGS>;
export type RegistrySettings = Resolved<typeof REGISTRY_SETTINGS>;
export type LifecycleSettings = Resolved<typeof LIFECYCLE_SETTINGS>;

/** Everything an app is built from, resolved once from its options and config, checked and frozen. */
export interface AppSettings {
  readonly info: Readonly<Omit<AppInfo, 'endpoints'>>;
  readonly lifecycle: LifecycleSettings;
  /** The HTTP server, or false for none. */
  readonly http: false | Readonly<HttpSettings>;
  readonly grpcWeb: GrpcWebSettings;
  /** The gRPC server, or false for none. */
  readonly grpc: false | Readonly<GrpcSettings>;
  readonly protoPaths: readonly string[];
  /** Make each call's context ambient through an AsyncLocalStorage (`ambientContext`). */
  readonly ambientContext: boolean;
  /** Send the internal detail of errors to clients (recovery.exposeMessages, development only). */
  readonly exposeErrorDetail: boolean;
  readonly log: LogSettings;
  readonly metrics: MetricsSettings;
  readonly tracing: TraceSettings;
  readonly health: boolean;
  readonly registry: RegistrySettings;
  readonly cache: CacheSettings;
}

/** Every section with config keys, in the order of the config reference. */
export const CONFIG_SECTIONS: readonly Section[] = [
  HTTP_SETTINGS, GRPC_WEB_SETTINGS, GRPC_SETTINGS, CALL_SETTINGS, LIFECYCLE_SETTINGS, LOG_SETTINGS, METRICS_SETTINGS, TRACE_SETTINGS, HEALTH_SETTINGS,
  REGISTRY_SETTINGS, REDIS_SETTINGS, MEMORY_CACHE_SETTINGS,
];

/** The markdown table of every config key the framework reads (docs/config-and-logging.md). */
export function appConfigReference(): string {
  return configReference(CONFIG_SECTIONS);
}

/** A section's resolved fields, or false when its `enabled` setting says off. */
function unlessOff<T extends { enabled: boolean }>(resolved: T): false | Omit<T, 'enabled'> {
  if (!resolved.enabled) return false;
  const { enabled: _, ...rest } = resolved;
  return Object.freeze(rest);
}

/**
 * The app's settings: for each, the option when given, else config (placeholders already resolved
 * from the environment), else its default. A bad value stops boot naming its option or config key
 * (and file), the value and what was expected.
 */
export function resolveSettings(options: AppOptions, config: ConfigReader, defaultName: string): AppSettings {
  const { grpcWeb: _w, ...httpOptions } = options.http || {};
  const { health: _h, reflection: _r, ...grpcOptions } = options.grpc || {};
  return withAmbientChecked({
    info: Object.freeze({
      id: options.id ?? `${hostname()}-${process.pid}`,
      name: options.name ?? defaultName,
      version: options.version ?? '',
      metadata: Object.freeze({ ...(options.metadata ?? {}) }),
    }),
    lifecycle: resolveSection(LIFECYCLE_SETTINGS, options, config),
    http: options.http === false ? false : Object.freeze({ ...httpOptions, ...resolveSection(HTTP_SETTINGS, options, config) }),
    grpcWeb: options.http === false ? false : unlessOff(resolveSection(GRPC_WEB_SETTINGS, options, config)),
    grpc: options.grpc === false ? false : Object.freeze({ ...grpcOptions, ...resolveSection(GRPC_SETTINGS, options, config) }),
    protoPaths: Object.freeze([...(options.protoPaths ?? [])]),
    exposeErrorDetail: options.recovery !== false && options.recovery?.exposeMessages === true,
    log: resolveSection(LOG_SETTINGS, options, config),
    metrics: unlessOff(resolveSection(METRICS_SETTINGS, options, config)),
    tracing: unlessOff(resolveSection(TRACE_SETTINGS, options, config)),
    health: resolveSection(HEALTH_SETTINGS, options, config).enabled,
    registry: resolveSection(REGISTRY_SETTINGS, options, config),
    cache: cacheSettings(config),
    ambientContext: resolveSection(CALL_SETTINGS, options, config).ambientContext,
  });
}

/**
 * Refuses settings that need the ambient context when it is off: tracing carries OpenTelemetry's
 * context (the active span of the handler, of outgoing calls and of log lines) in it.
 */
function withAmbientChecked(settings: AppSettings): AppSettings {
  if (!settings.ambientContext && settings.tracing !== false) {
    throw new FrameworkError(
      'KRATOS_ERR_AMBIENT_CONTEXT_REQUIRED',
      'ambientContext: false (config server.ambientContext) with tracing on: OpenTelemetry keeps the active span in the ambient context',
      { hint: 'Switch tracing off too (tracing: false, or config trace.enabled: false), or keep the ambient context.' },
    );
  }
  return Object.freeze(settings);
}
