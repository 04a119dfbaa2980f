import { Server as GrpcJsServer, ServerCredentials } from '@grpc/grpc-js';
import { FrameworkError } from '../../errors/index.js';
import { advertisedHost, DeadlineQueue, formatHostPort, parseAddress } from '../../internal/index.js';
import { NoopLogger } from '../../log/index.js';
import { callHandler } from './call-handlers.js';
import { methodDefinition } from './method.js';
/** The gRPC transport on @grpc/grpc-js, serving protobufjs-described services (§2.5). */
export class GrpcServer {
    #server;
    #addr;
    #tls;
    #env;
    #listeners = [];
    #services = new Set();
    #port = 0;
    #started = false;
    #stopped;
    constructor(options = {}) {
        this.#addr = parseAddress(options.addr ?? '0.0.0.0:0');
        this.#tls = options.tls;
        this.#env = { endpoint: '', timeout: options.timeout ?? 1000, logger: options.logger ?? new NoopLogger(), deadlines: new DeadlineQueue() };
        const channelOptions = {};
        if (options.maxReceiveMessageLength !== undefined)
            channelOptions['grpc.max_receive_message_length'] = options.maxReceiveMessageLength;
        if (options.maxSendMessageLength !== undefined)
            channelOptions['grpc.max_send_message_length'] = options.maxSendMessageLength;
        this.#server = new GrpcJsServer(channelOptions);
    }
    /** Names of the services added so far (`helloworld.v1.Greeter`). */
    get services() {
        return [...this.#services];
    }
    get port() {
        return this.#port;
    }
    /** Adds a service's rpcs; before start(). */
    addService(fullName, methods) {
        const definition = {};
        const implementation = {};
        for (const m of methods) {
            definition[m.schema.name] = methodDefinition(m.schema);
            implementation[m.schema.name] = callHandler(m, this.#env);
        }
        this.addRawService(fullName, { definition, implementation });
    }
    /** Adds a service implemented directly on grpc-js (health, reflection). */
    addRawService(fullName, service) {
        if (this.#services.has(fullName)) {
            throw new FrameworkError('KRATOS_ERR_ROUTE_INVALID', `gRPC service ${fullName} is registered twice`);
        }
        this.#services.add(fullName);
        this.#server.addService(service.definition, service.implementation);
    }
    /** Tells `listener` when serving starts and when draining begins (health reporting). */
    onServingChange(listener) {
        this.#listeners.push(listener);
    }
    endpoint() {
        return this.#env.endpoint;
    }
    async start() {
        const creds = this.#credentials();
        const target = formatHostPort(this.#addr.host, this.#addr.port);
        this.#port = await new Promise((resolve, reject) => {
            this.#server.bindAsync(target, creds, (err, port) => {
                if (err !== null)
                    reject(new FrameworkError('KRATOS_ERR_ADDRESS_INVALID', `cannot listen on ${target}: ${err.message}`, { cause: err }));
                else
                    resolve(port);
            });
        });
        this.#started = true;
        const scheme = this.#tls === undefined ? 'grpc' : 'grpcs';
        this.#env.endpoint = `${scheme}://${formatHostPort(advertisedHost(this.#addr.host), this.#port)}`;
        for (const l of this.#listeners)
            l(true);
    }
    /** Reports NOT_SERVING, lets calls finish (tryShutdown) until `deadline`, then forces the rest closed. */
    stop(deadline) {
        if (!this.#started)
            return Promise.resolve();
        this.#stopped ??= new Promise((resolve) => {
            for (const l of this.#listeners)
                l(false);
            const timer = deadline === undefined ? undefined : setTimeout(() => this.#server.forceShutdown(), Math.max(0, deadline - Date.now()));
            this.#server.tryShutdown(() => {
                if (timer !== undefined)
                    clearTimeout(timer);
                this.#env.deadlines.close();
                resolve();
            });
        });
        return this.#stopped;
    }
    #credentials() {
        const tls = this.#tls;
        if (tls === undefined)
            return ServerCredentials.createInsecure();
        const ca = tls.ca === undefined ? null : Buffer.from(tls.ca);
        return ServerCredentials.createSsl(ca, [{ private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) }], tls.requireClientCert === true);
    }
}
