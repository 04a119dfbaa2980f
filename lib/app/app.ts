import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { AppContainer, type Class, type ProviderToken } from '../container/index.js';
import { Config, StaticConfig, deepMerge, loadConfigPath, resolvePlaceholders } from '../config/index.js';
import { FrameworkError } from '../errors/index.js';
import { Logger, StdLogger } from '../log/index.js';
import { metadataServer, recovery, type Middleware } from '../middleware/index.js';
import type { Server } from '../transport/index.js';
import type { HttpServer } from '../transport/http/index.js';
import type { GrpcServer, HealthService } from '../transport/grpc/index.js';
import { APP_INFO } from './app-info.js';
import { Hooks } from './hooks.js';
import { MiddlewareResolver } from './middleware-resolver.js';
import {
  DEFAULT_SIGNALS,
  DEFAULT_STOP_TIMEOUT_MS,
  type AppInfo,
  type AppOptions,
} from './options.js';
import { buildServers, type Servers } from './servers.js';

type State = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * A service application (§1): the container, the servers built from its services, and the
 * lifecycle that starts and stops them in Kratos' order.
 */
export class App implements AppInfo {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly #container: AppContainer;
  readonly #servers: Server[];
  readonly #hooks: Hooks;
  readonly #logger: Logger;
  readonly #stopTimeout: number;
  readonly #signals: NodeJS.Signals[];
  readonly #http: HttpServer | undefined;
  readonly #grpc: GrpcServer | undefined;
  readonly #health: HealthService | undefined;
  readonly #rejections: 'log' | 'exit';
  readonly #onRejection = (reason: unknown): void => {
    this.#logger.log('error', 'msg', 'unhandled promise rejection', 'error', reason);
    if (this.#rejections === 'exit') process.exit(1);
  };
  #endpoints: string[] = [];
  #state: State = 'created';
  #stopping: Promise<void> | undefined;

  /** @internal use {@link createApp} */
  constructor(info: Omit<AppInfo, 'endpoints'>, parts: AppParts) {
    this.id = info.id;
    this.name = info.name;
    this.version = info.version;
    this.metadata = info.metadata;
    this.#container = parts.container;
    this.#http = parts.servers.http;
    this.#grpc = parts.servers.grpc;
    this.#health = parts.servers.health;
    this.#servers = [parts.servers.http, parts.servers.grpc].filter((s): s is HttpServer | GrpcServer => s !== undefined);
    this.#hooks = parts.hooks;
    this.#logger = parts.logger;
    this.#stopTimeout = parts.stopTimeout;
    this.#signals = parts.signals;
    this.#rejections = parts.rejections;
  }

  /** Advertised server URLs (`http://10.0.0.5:8000`), port 0 resolved; empty before start. */
  get endpoints(): readonly string[] {
    return this.#endpoints;
  }

  /** The HTTP server, when the app has one. */
  get http(): HttpServer | undefined {
    return this.#http;
  }

  /** The gRPC server, when the app has one. */
  get grpc(): GrpcServer | undefined {
    return this.#grpc;
  }

  /** The gRPC health service (§13), when the app has a gRPC server. */
  get health(): HealthService | undefined {
    return this.#health;
  }

  /** A provider's value by token. */
  get<T>(token: ProviderToken<T>): T {
    return this.#container.get(token);
  }

  /** Providers' onStart, beforeStart hooks, servers, afterStart hooks (§1). */
  async start(): Promise<void> {
    if (this.#state !== 'created') {
      throw new FrameworkError('KRATOS_ERR_APP_STATE', `start() called on an app that is ${this.#state}`);
    }
    this.#state = 'starting';
    process.on('unhandledRejection', this.#onRejection);
    try {
      await this.#container.start();
      await this.#hooks.run('beforeStart', this);
      await Promise.all(this.#servers.map((s) => s.start()));
      this.#endpoints = this.#servers.map((s) => s.endpoint());
      this.#state = 'running';
      for (const e of this.#endpoints) this.#logger.info(`server listening on ${e}`);
      await this.#hooks.run('afterStart', this);
    } catch (err) {
      await this.stop().catch((e: unknown) => this.#logger.error('stop after failed start failed', 'error', e));
      throw err;
    }
  }

  /**
   * beforeStop hooks, servers drain within stopTimeout, afterStop hooks, providers' onStop and
   * onDestroy (§1). Safe to call more than once; every call waits for the same stop.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const wasStarted = this.#state !== 'created';
    this.#state = 'stopping';
    const errors: unknown[] = [];
    const step = async (fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        errors.push(err);
      }
    };
    if (wasStarted) {
      await step(() => this.#hooks.run('beforeStop', this));
      const deadline = Date.now() + this.#stopTimeout;
      await step(async () => void (await Promise.all(this.#servers.map((s) => s.stop(deadline)))));
      await step(() => this.#hooks.run('afterStop', this));
      await step(() => this.#container.stop());
    }
    await step(() => this.#container.destroy());
    process.off('unhandledRejection', this.#onRejection);
    this.#state = 'stopped';
    if (errors.length > 0) throw errors[0];
  }

  /** Starts, then waits for one of the signals and stops gracefully; a second signal exits at once. */
  async run(): Promise<void> {
    await this.start();
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals): void => {
        if (this.#stopping !== undefined) {
          this.#logger.warn('second signal: exiting without waiting', 'signal', signal);
          process.exit(1);
        }
        this.#logger.info('stopping', 'signal', signal);
        this.stop()
          .catch((err: unknown) => this.#logger.error('stop failed', 'error', err))
          .finally(() => {
            for (const s of this.#signals) process.off(s, onSignal);
            resolve();
          });
      };
      for (const s of this.#signals) process.on(s, onSignal);
    });
  }
}

interface AppParts {
  container: AppContainer;
  servers: Servers;
  hooks: Hooks;
  logger: Logger;
  stopTimeout: number;
  signals: NodeJS.Signals[];
  rejections: 'log' | 'exit';
}

/**
 * Builds an app from its root module: plans and checks the dependency graph, builds every
 * singleton (running onInit), and prepares the servers. Call start() or run() next.
 */
export async function createApp(root: Class, options: AppOptions = {}): Promise<App> {
  const hooks = new Hooks(options.hooks);
  const config = new StaticConfig(readConfig(options));
  const info = {
    id: options.id ?? `${hostname()}-${process.pid}`,
    name: options.name ?? root.name,
    version: options.version ?? '',
    metadata: { ...(options.metadata ?? {}) },
  };
  let app: App | undefined;
  const container = await AppContainer.create(root, {
    global: [
      { provide: Logger, useValue: options.logger ?? new StdLogger() },
      { provide: Config, useValue: config },
      { provide: APP_INFO, useFactory: () => appInfoView(info, () => app) },
      ...(options.providers ?? []),
    ],
    overrides: options.overrides ?? [],
  });
  const logger = container.get(Logger);
  const resolver = new MiddlewareResolver(container);
  const appMiddleware = [...builtinMiddleware(options, logger), ...resolver.resolveAll(options.middleware ?? [], 'the app options')];
  const servers = await buildServers(container, resolver, appMiddleware, options, logger);
  app = new App(info, {
    container,
    servers,
    hooks,
    logger,
    stopTimeout: options.stopTimeout ?? DEFAULT_STOP_TIMEOUT_MS,
    signals: options.signals ?? DEFAULT_SIGNALS,
    rejections: options.unhandledRejections ?? 'log',
  });
  return app;
}

// Recovery is outermost so it also catches failures of every later middleware.
function builtinMiddleware(options: AppOptions, logger: Logger): Middleware[] {
  const m: Middleware[] = [];
  if (options.recovery !== false) m.push(recovery({ logger, exposeMessages: options.recovery?.exposeMessages ?? false }));
  if (options.callMetadata !== false) m.push(metadataServer(options.callMetadata ?? {}));
  return m;
}

function readConfig(options: AppOptions): Record<string, unknown> {
  const entry = process.argv[1];
  const dir = options.configDir ?? (entry === undefined ? false : join(dirname(entry), 'configs'));
  const files = dir === false ? {} : loadConfigPath(dir);
  return resolvePlaceholders(deepMerge(files, options.config ?? {}));
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
