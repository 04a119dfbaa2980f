import { isClusterWorker, onPrimaryStop, reportListening, runPrimary, workerCount } from '../cluster/index.js';
import { FrameworkError } from '../errors/index.js';
import { withTimeout } from './registration.js';
/**
 * A service application (§1): the container, the servers built from its services, and the
 * lifecycle that starts and stops them in Kratos' order.
 */
export class App {
    id;
    name;
    version;
    metadata;
    #container;
    #config;
    #readiness;
    #drainDelay;
    #registration;
    #registrarTimeout;
    #extra;
    #registered = false;
    #closers;
    #servers;
    #hooks;
    #logger;
    #stopTimeout;
    #signals;
    #http;
    #grpc;
    #health;
    #rejections;
    #onRejection = (reason) => {
        this.#logger.log('error', 'msg', 'unhandled promise rejection', 'error', reason);
        if (this.#rejections === 'exit')
            process.exit(1);
    };
    #endpoints = [];
    #state = 'created';
    #stopping;
    /** @internal use createApp */
    constructor(info, parts) {
        this.id = info.id;
        this.name = info.name;
        this.version = info.version;
        this.metadata = info.metadata;
        this.#container = parts.container;
        this.#config = parts.config;
        this.#http = parts.servers.http;
        this.#grpc = parts.servers.grpc;
        this.#health = parts.servers.health;
        this.#servers = [...[parts.servers.http, parts.servers.grpc].filter((s) => s !== undefined), ...parts.extraServers];
        this.#readiness = parts.readiness;
        this.#drainDelay = parts.drainDelay;
        this.#registration = parts.registration;
        this.#registrarTimeout = parts.registrarTimeout;
        this.#extra = parts.extraServers;
        this.#closers = parts.closers;
        this.#hooks = parts.hooks;
        this.#logger = parts.logger;
        this.#stopTimeout = parts.stopTimeout;
        this.#signals = parts.signals;
        this.#rejections = parts.rejections;
    }
    /** Advertised server URLs (`http://10.0.0.5:8000`), port 0 resolved; empty before start. */
    get endpoints() {
        return this.#endpoints;
    }
    /** The HTTP server, when the app has one. */
    get http() {
        return this.#http;
    }
    /** The gRPC server, when the app has one. */
    get grpc() {
        return this.#grpc;
    }
    /** The gRPC health service (§13), when the app has a gRPC server. */
    get health() {
        return this.#health;
    }
    /** This instance as the registry sees it (§11). */
    #instance() {
        return { id: this.id, name: this.name, version: this.version, metadata: { ...this.metadata }, endpoints: [...this.#endpoints] };
    }
    /** A provider's value by token. */
    get(token) {
        return this.#container.get(token);
    }
    /** Providers' onStart, beforeStart hooks, servers, afterStart hooks (§1). */
    async start() {
        if (this.#state !== 'created') {
            throw new FrameworkError('KRATOS_ERR_APP_STATE', `start() called on an app that is ${this.#state}`);
        }
        this.#state = 'starting';
        process.on('unhandledRejection', this.#onRejection);
        try {
            await this.#container.start();
            await this.#hooks.run('beforeStart', this);
            await Promise.all(this.#servers.map((s) => s.start()));
            this.#endpoints = this.#servers.filter((s) => !this.#extra.includes(s)).map((s) => s.endpoint());
            this.#state = 'running';
            // In a cluster the primary registers the app once, for all its workers.
            const registrar = isClusterWorker() ? undefined : this.#registration.registrar;
            if (registrar !== undefined)
                await withTimeout('register', this.#instance(), this.#registrarTimeout, () => registrar.register(this.#instance()));
            this.#registered = registrar !== undefined;
            for (const e of this.#endpoints)
                this.#logger.info(`server listening on ${e}`);
            await this.#hooks.run('afterStart', this);
            this.#readiness(true);
        }
        catch (err) {
            await this.stop().catch((e) => this.#logger.error('stop after failed start failed', 'error', e));
            throw err;
        }
    }
    /**
     * beforeStop hooks, servers drain within stopTimeout, afterStop hooks, providers' onStop and
     * onDestroy (§1). Safe to call more than once; every call waits for the same stop.
     */
    stop() {
        this.#stopping ??= this.#stop();
        return this.#stopping;
    }
    async #stop() {
        const wasStarted = this.#state !== 'created';
        this.#state = 'stopping';
        const errors = [];
        const step = async (fn) => {
            try {
                await fn();
            }
            catch (err) {
                errors.push(err);
            }
        };
        // Unready first, so load balancers stop sending before anything drains.
        this.#readiness(false);
        if (wasStarted) {
            await step(() => this.#hooks.run('beforeStop', this));
            const registrar = this.#registration.registrar;
            if (registrar !== undefined && this.#registered) {
                await step(() => withTimeout('deregister', this.#instance(), this.#registrarTimeout, () => registrar.deregister(this.#instance())));
            }
            if (this.#drainDelay > 0)
                await new Promise((r) => setTimeout(r, this.#drainDelay));
            const deadline = Date.now() + this.#stopTimeout;
            await step(async () => void (await Promise.all(this.#servers.map((s) => s.stop(deadline)))));
            await step(() => this.#hooks.run('afterStop', this));
            await step(() => this.#container.stop());
        }
        await step(() => this.#container.destroy());
        await step(() => this.#config.close());
        await step(() => this.#registration.close());
        for (const close of this.#closers)
            await step(close);
        process.off('unhandledRejection', this.#onRejection);
        this.#state = 'stopped';
        if (errors.length > 0)
            throw errors[0];
    }
    /**
     * Starts, then waits for one of the signals and stops gracefully; a second signal exits at once.
     * With `workers` (or config `server.workers`) above 1, this process becomes the primary of a
     * cluster instead: it forks that many workers sharing the ports, registers the app once, restarts
     * workers that die and stops them all on a signal.
     */
    async run(options = {}) {
        const workers = workerCount(options.workers ?? this.#config.get('server.workers'));
        if (workers > 1 && !isClusterWorker())
            return this.#runPrimary(workers);
        await this.start();
        reportListening(this.#endpoints);
        await new Promise((resolve) => {
            let askedByPrimary = false;
            const stopNow = (...why) => {
                this.#logger.info('stopping', ...why);
                this.stop()
                    .catch((err) => this.#logger.error('stop failed', 'error', err))
                    .finally(() => {
                    for (const s of this.#signals)
                        process.off(s, onSignal);
                    stopListening();
                    // A worker's IPC channel would keep it alive once the app has stopped.
                    if (isClusterWorker())
                        process.disconnect?.();
                    resolve();
                });
            };
            const onSignal = (signal) => {
                if (this.#stopping === undefined)
                    return stopNow('signal', signal);
                // In a cluster a terminal's Ctrl-C reaches the workers as well as the primary that asked them to stop.
                if (askedByPrimary)
                    return;
                this.#logger.warn('second signal: exiting without waiting', 'signal', signal);
                process.exit(1);
            };
            const stopListening = onPrimaryStop(() => {
                askedByPrimary = true;
                if (this.#stopping === undefined)
                    stopNow('reason', 'asked by the cluster primary');
            });
            for (const s of this.#signals)
                process.on(s, onSignal);
        });
    }
    // The primary serves nothing itself: its app only registers the cluster's endpoints.
    async #runPrimary(workers) {
        const registrar = this.#registration.registrar;
        await runPrimary({
            workers,
            logger: this.#logger,
            signals: this.#signals,
            stopTimeout: this.#stopTimeout,
            onListening: async (endpoints) => {
                this.#endpoints = endpoints;
                if (registrar === undefined)
                    return;
                await withTimeout('register', this.#instance(), this.#registrarTimeout, () => registrar.register(this.#instance()));
                this.#registered = true;
            },
            onStopping: async () => {
                if (registrar === undefined || !this.#registered)
                    return;
                this.#registered = false;
                await withTimeout('deregister', this.#instance(), this.#registrarTimeout, () => registrar.deregister(this.#instance()));
            },
        });
        await this.stop();
    }
}
