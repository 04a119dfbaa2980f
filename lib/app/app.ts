import { isClusterWorker, onPrimaryStop, reportListening, runPrimary, workerCount } from '../cluster/index.js';
import type { AppContainer, ProviderToken } from '../container/index.js';
import type { Config } from '../config/index.js';
import { FrameworkError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import type { Server } from '../transport/index.js';
import type { HttpServer } from '../transport/http/index.js';
import type { GrpcServer, HealthService } from '../transport/grpc/index.js';
import type { Hooks } from './hooks.js';
import type { AppInfo } from './options.js';
import type { Servers } from './servers.js';
import type { AppSettings } from './settings/index.js';
import type { ServiceInstance } from '../registry/index.js';
import { withTimeout, type Registration } from './registration.js';

type State = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * A service application (docs/architecture.md#start-and-stop-order): the container, the servers built from its services, and the
 * lifecycle that starts and stops them in Kratos' order.
 */
export class App implements AppInfo {
  readonly #settings: AppSettings;
  readonly #parts: AppParts;
  /** The HTTP and gRPC servers, then the extra ones (an admin server). */
  readonly #servers: Server[];
  #registered = false;
  readonly #onRejection = (reason: unknown): void => {
    this.#parts.logger.log('error', 'msg', 'unhandled promise rejection', 'error', reason);
    if (this.#settings.lifecycle.rejections === 'exit') process.exit(1);
  };
  #endpoints: string[] = [];
  #state: State = 'created';
  #stopping: Promise<void> | undefined;

  /** @internal use createApp */
  constructor(settings: AppSettings, parts: AppParts) {
    this.#settings = settings;
    this.#parts = parts;
    const { http, grpc } = parts.servers;
    this.#servers = [...[http, grpc].filter((s): s is HttpServer | GrpcServer => s !== undefined), ...parts.extraServers];
  }

  get id(): string {
    return this.#settings.info.id;
  }

  get name(): string {
    return this.#settings.info.name;
  }

  get version(): string {
    return this.#settings.info.version;
  }

  get metadata(): Readonly<Record<string, string>> {
    return this.#settings.info.metadata;
  }

  /** Advertised server URLs (`http://10.0.0.5:8000`), port 0 resolved; empty before start. */
  get endpoints(): readonly string[] {
    return this.#endpoints;
  }

  /** The HTTP server, when the app has one. */
  get http(): HttpServer | undefined {
    return this.#parts.servers.http;
  }

  /** The gRPC server, when the app has one. */
  get grpc(): GrpcServer | undefined {
    return this.#parts.servers.grpc;
  }

  /** The gRPC health service (docs/observability.md#health-and-readiness), when the app has a gRPC server. */
  get health(): HealthService | undefined {
    return this.#parts.servers.health;
  }

  /** This instance as the registry sees it (docs/registry.md#registering). */
  #instance(): ServiceInstance {
    return { id: this.id, name: this.name, version: this.version, metadata: { ...this.metadata }, endpoints: [...this.#endpoints] };
  }

  /** A provider's value by token. */
  get<T>(token: ProviderToken<T>): T {
    return this.#parts.container.get(token);
  }

  /** Providers' onStart, beforeStart hooks, servers, afterStart hooks (docs/architecture.md#start-and-stop-order). */
  async start(): Promise<void> {
    if (this.#state !== 'created') {
      throw new FrameworkError('KRATOS_ERR_APP_STATE', `start() called on an app that is ${this.#state}`);
    }
    this.#state = 'starting';
    process.on('unhandledRejection', this.#onRejection);
    try {
      await this.#parts.container.start();
      await this.#parts.hooks.run('beforeStart', this);
      await Promise.all(this.#servers.map((s) => s.start()));
      this.#endpoints = this.#servers.filter((s) => !this.#parts.extraServers.includes(s)).map((s) => s.endpoint());
      this.#state = 'running';
      // In a cluster the primary registers the app once, for all its workers.
      const registrar = isClusterWorker() ? undefined : this.#parts.registration.registrar;
      if (registrar !== undefined) await withTimeout('register', this.#instance(), this.#settings.lifecycle.registrarTimeout, () => registrar.register(this.#instance()));
      this.#registered = registrar !== undefined;
      for (const e of this.#endpoints) this.#parts.logger.info(`server listening on ${e}`);
      await this.#parts.hooks.run('afterStart', this);
      this.#parts.readiness(true);
    } catch (err) {
      await this.stop().catch((e: unknown) => this.#parts.logger.error('stop after failed start failed', 'error', e));
      throw err;
    }
  }

  /**
   * beforeStop hooks, servers drain within stopTimeout, afterStop hooks, providers' onStop and
   * onDestroy (docs/architecture.md#start-and-stop-order). Safe to call more than once; every call waits for the same stop.
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
    // Unready first, so load balancers stop sending before anything drains.
    this.#parts.readiness(false);
    if (wasStarted) {
      await step(() => this.#parts.hooks.run('beforeStop', this));
      const registrar = this.#parts.registration.registrar;
      if (registrar !== undefined && this.#registered) {
        await step(() => withTimeout('deregister', this.#instance(), this.#settings.lifecycle.registrarTimeout, () => registrar.deregister(this.#instance())));
      }
      if (this.#settings.lifecycle.drainDelay > 0) await new Promise((r) => setTimeout(r, this.#settings.lifecycle.drainDelay));
      const deadline = Date.now() + this.#settings.lifecycle.stopTimeout;
      await step(async () => void (await Promise.all(this.#servers.map((s) => s.stop(deadline)))));
      await step(() => this.#parts.hooks.run('afterStop', this));
      await step(() => this.#parts.container.stop());
    }
    await step(() => this.#parts.container.destroy());
    await step(() => this.#parts.config.close());
    await step(() => this.#parts.registration.close());
    for (const close of this.#parts.closers) await step(close);
    process.off('unhandledRejection', this.#onRejection);
    this.#state = 'stopped';
    if (errors.length > 0) throw errors[0];
  }

  /**
   * Starts, then waits for one of the signals and stops gracefully; a second signal exits at once.
   * With `workers` (or config `server.workers`) above 1, this process becomes the primary of a
   * cluster instead: it forks that many workers sharing the ports, registers the app once, restarts
   * workers that die and stops them all on a signal.
   */
  async run(options: RunOptions = {}): Promise<void> {
    const workers = workerCount(options.workers ?? this.#settings.lifecycle.workers);
    if (workers > 1 && !isClusterWorker()) return this.#runPrimary(workers);
    await this.start();
    reportListening(this.#endpoints);
    await new Promise<void>((resolve) => {
      let askedByPrimary = false;
      const stopNow = (...why: unknown[]): void => {
        this.#parts.logger.info('stopping', ...why);
        this.stop()
          .catch((err: unknown) => this.#parts.logger.error('stop failed', 'error', err))
          .finally(() => {
            for (const s of this.#settings.lifecycle.signals) process.off(s, onSignal);
            stopListening();
            // A worker's IPC channel would keep it alive once the app has stopped.
            if (isClusterWorker()) process.disconnect?.();
            resolve();
          });
      };
      const onSignal = (signal: NodeJS.Signals): void => {
        if (this.#stopping === undefined) return stopNow('signal', signal);
        // In a cluster a terminal's Ctrl-C reaches the workers as well as the primary that asked them to stop.
        if (askedByPrimary) return;
        this.#parts.logger.warn('second signal: exiting without waiting', 'signal', signal);
        process.exit(1);
      };
      const stopListening = onPrimaryStop(() => {
        askedByPrimary = true;
        if (this.#stopping === undefined) stopNow('reason', 'asked by the cluster primary');
      });
      for (const s of this.#settings.lifecycle.signals) process.on(s, onSignal);
    });
  }

  // The primary serves nothing itself: its app only registers the cluster's endpoints.
  async #runPrimary(workers: number): Promise<void> {
    const registrar = this.#parts.registration.registrar;
    await runPrimary({
      workers,
      logger: this.#parts.logger,
      signals: this.#settings.lifecycle.signals,
      stopTimeout: this.#settings.lifecycle.stopTimeout,
      onListening: async (endpoints) => {
        this.#endpoints = endpoints;
        if (registrar === undefined) return;
        await withTimeout('register', this.#instance(), this.#settings.lifecycle.registrarTimeout, () => registrar.register(this.#instance()));
        this.#registered = true;
      },
      onStopping: async () => {
        if (registrar === undefined || !this.#registered) return;
        this.#registered = false;
        await withTimeout('deregister', this.#instance(), this.#settings.lifecycle.registrarTimeout, () => registrar.deregister(this.#instance()));
      },
    });
    await this.stop();
  }
}

/** Options of {@link App.run}. */
export interface RunOptions {
  /** Worker processes sharing the ports: a number, or 'auto' for one per core. Default: config `server.workers`, else none. */
  workers?: number | 'auto';
}

/** @internal what createApp hands the App: the parts it built from the settings */
export interface AppParts {
  container: AppContainer;
  config: Config;
  servers: Servers;
  /** Servers beyond HTTP and gRPC (an admin server for /metrics). */
  extraServers: Server[];
  /** Told true once the app serves, false as soon as it starts to stop (/readyz). */
  readiness: (ready: boolean) => void;
  /** Run last on stop (metrics, tracing exporters, the cache). */
  closers: (() => Promise<void>)[];
  registration: Registration;
  hooks: Hooks;
  logger: Logger;
}
