import { AppContainer, type Class } from '../container/index.js';
import { Config } from '../config/index.js';
import { Logger } from '../log/index.js';
import { loggingServer } from '../middleware/logging/index.js';
import { metadataServer } from '../middleware/metadata/index.js';
import { recovery } from '../middleware/recovery/index.js';
import { type Middleware } from '../middleware/index.js';
import { App } from './app.js';
import { followLogLevel, loadAppConfig, loggerFromSettings, logReload } from './app-config.js';
import { APP_INFO } from './app-info.js';
import { buildObservability, indicatorsOf, type Observability } from './observability.js';
import { CACHE, CacheAside, createCache, wrapCachedMethods } from '../cache/index.js';
import { METER, TRACING } from './tokens.js';
import { HealthRegistry } from '../health/index.js';
import { HttpServer } from '../transport/http/index.js';
import { Hooks } from './hooks.js';
import { MiddlewareResolver } from './middleware-resolver.js';
import { frontDoors } from './front-door.js';
import type { AppInfo, AppOptions } from './options.js';
import { buildServers } from './servers.js';
import { registrationFrom } from './registration.js';
import { resolveSettings, type AppSettings } from './settings/index.js';

// Outermost first: the span covers everything (so log lines carry its trace id), the access log sees
// the final error, recovery turns throws into Kratos errors before metrics count them.
function builtinMiddleware(options: AppOptions, logger: Logger, obs: Observability): Middleware[] {
  const m: Middleware[] = [...obs.tracingMiddleware];
  const accessLog = options.accessLog !== false;
  if (accessLog) m.push(loggingServer(logger, options.accessLog || {}));
  if (options.recovery !== false) m.push(recovery({ logger, exposeMessages: options.recovery?.exposeMessages ?? false, log: !accessLog }));
  m.push(...obs.metricsMiddleware);
  if (options.callMetadata !== false) m.push(metadataServer(options.callMetadata ?? {}));
  return m;
}

// With `metrics.addr`, /metrics moves to a server of its own (an admin port scrapers reach).
function adminServer(obs: Observability, logger: Logger, ambientContext: boolean): HttpServer | undefined {
  if (obs.adminAddr === undefined) return undefined;
  const s = new HttpServer({ addr: obs.adminAddr, timeout: 0, logger, ambientContext });
  for (const r of obs.adminRoutes) s.route(r);
  return s;
}

// The logger the `log` settings describe, following `log.level` on hot reload.
function ownLogger(settings: AppSettings, config: Config, fields: unknown[]): Logger {
  const logger = loggerFromSettings(settings.log, settings.info, fields);
  followLogLevel(config, logger);
  return logger;
}

// Providers may ask for AppInfo before the App object exists; endpoints are read live from it.
function appInfoView(info: Omit<AppInfo, 'endpoints'>, app: () => App | undefined): AppInfo {
  return {
    ...info,
    get endpoints() {
      return app()?.endpoints ?? [];
    },
  };
}

/**
 * Builds an app from its root module: loads and checks the configuration, plans and checks the
 * dependency graph, builds every singleton (running onInit), and prepares the servers. Call
 * start() or run() next.
 */
export async function createApp(root: Class, options: AppOptions = {}): Promise<App> {
  const hooks = new Hooks(options.hooks);
  let early: Logger | undefined;
  const config = await loadAppConfig(
    options,
    (err, source) => early?.log('warn', 'msg', 'config reload failed; keeping the previous configuration', 'source', source, 'error', err),
    (changes, source) => logReload(early, changes, source),
  );
  const settings = resolveSettings(options, config, root.name);
  const { info } = settings;
  const obs = buildObservability(settings, info);
  early = options.logger ?? ownLogger(settings, config, obs.logFields);
  const cache = options.cache ?? createCache(settings.cache);
  let app: App | undefined;
  const container = await AppContainer.create(root, {
    global: [
      { provide: Logger, useValue: early },
      { provide: Config, useValue: config },
      { provide: APP_INFO, useFactory: () => appInfoView(info, () => app) },
      { provide: METER, useValue: obs.meter },
      { provide: TRACING, useValue: obs.tracing },
      { provide: CACHE, useValue: cache },
      ...(obs.health === undefined ? [] : [{ provide: HealthRegistry, useValue: obs.health }]),
      ...(options.providers ?? []),
    ],
    overrides: options.overrides ?? [],
  });
  const logger = container.get(Logger);
  // Before any server binds a handler: repositories' @Cached methods read through the app's cache.
  wrapCachedMethods(container.singletons(), new CacheAside({ cache, meter: obs.meter, logger: logger.named('cache') }));
  const resolver = new MiddlewareResolver(container);
  const appMiddleware = [...builtinMiddleware(options, logger, obs), ...resolver.resolveAll(options.middleware ?? [], 'the app options')];
  const servers = await buildServers(container, resolver, appMiddleware, settings, logger, obs.routes, frontDoors(options.limiter, options.middleware ?? [], obs.meter, obs.routes, logger));
  for (const indicator of indicatorsOf(container.singletons())) obs.health?.add(indicator);
  const admin = adminServer(obs, logger, settings.ambientContext);
  const registration = registrationFrom(options.registrar, settings.registry, logger);
  if (registration.registrar !== undefined) {
    const r = registration.registrar as { checkHealth?: () => unknown };
    if (typeof r.checkHealth === 'function') obs.health?.add({ name: 'registry', check: () => r.checkHealth?.() as never });
  }
  app = new App(settings, {
    container,
    config: container.get(Config),
    servers,
    hooks,
    logger,
    extraServers: admin === undefined ? [] : [admin],
    readiness: (ready) => obs.health?.setReady(ready),
    closers: [() => obs.close(), () => cache.close()],
    registration,
  });
  return app;
}
