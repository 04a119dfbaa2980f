import { Server as GrpcJsServer, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { FrameworkError } from '../../errors/index.js';
import { advertisedHost, DeadlineQueue, formatHostPort, parseAddress } from '../../internal/index.js';
import { NoopLogger, type Logger } from '../../log/index.js';
import type { Admission } from '../admission.js';
import { callRunner } from '../context.js';
import type { Server } from '../server.js';
import { frontDoor } from './front-door.js';
import { guardService, type GuardFor } from './guarded-service.js';
import { callHandler, type CallEnv } from './call-handlers.js';
import { methodDefinition, type GrpcMethod } from './method.js';
import { keepStreamTablesYoung } from './stream-tables.js';

/** TLS material; with `ca` and `requireClientCert`, clients must present a certificate (mutual TLS). */
export interface GrpcTlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer;
  requireClientCert?: boolean;
}

/** Options of {@link GrpcServer}. */
export interface GrpcServerOptions {
  /** `host:port` to listen on. Default `0.0.0.0:0`. */
  addr?: string;
  /** Timeout in ms for unary and client-streaming calls (a shorter client deadline wins); 0 for none. Default 1000. */
  timeout?: number;
  tls?: GrpcTlsOptions;
  /** Largest message accepted, bytes. Default 4 MiB (grpc-js). */
  maxReceiveMessageLength?: number;
  /** Largest message sent, bytes. Default unlimited (grpc-js). */
  maxSendMessageLength?: number;
  /** Logs failures that are not Kratos errors (when no recovery middleware did). Default: silent. */
  logger?: Logger;
  /** Send the internal detail of errors (peer addresses, dependency messages) to clients. Default false: logs only. */
  exposeErrorDetail?: boolean;
  /** Asked first for every call, as its stream opens, before grpc-js and the middleware; a refusal is answered at once (docs/resilience-and-security.md#shedding-at-the-front-door). */
  admission?: Admission | undefined;
  /**
   * Make each call's context ambient (currentContext(), the OpenTelemetry context) through an
   * AsyncLocalStorage. Default true; false runs handlers as plain calls (docs/architecture.md#the-ambient-context).
   */
  ambientContext?: boolean;
}

/** A service registered by something other than the app's own services (health, reflection). */
export interface RawService {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/** Called when the server starts serving or begins to drain. */
export type ServingListener = (serving: boolean) => void;

/** The gRPC transport on @grpc/grpc-js, serving protobufjs-described services (docs/proto-first.md#grpc-server). */
export class GrpcServer implements Server {
  readonly #server: GrpcJsServer;
  readonly #addr: { host: string; port: number };
  readonly #tls: GrpcTlsOptions | undefined;
  readonly #env: CallEnv;
  readonly #listeners: ServingListener[] = [];
  readonly #services = new Set<string>();
  readonly #admission: Admission | undefined;
  #port = 0;
  #started = false;
  #stopped: Promise<void> | undefined;

  constructor(options: GrpcServerOptions = {}) {
    this.#addr = parseAddress(options.addr ?? '0.0.0.0:0');
    this.#tls = options.tls;
    this.#admission = options.admission;
    this.#env = { endpoint: '', timeout: options.timeout ?? 1000, logger: options.logger ?? new NoopLogger(), deadlines: new DeadlineQueue(), exposeErrorDetail: options.exposeErrorDetail === true, run: callRunner(options.ambientContext !== false) };
    // Nothing here serves channelz, so grpc-js need not keep its per-call statistics (a tracker object,
    // its closures and timestamps on every call).
    const channelOptions: Record<string, number> = { 'grpc.enable_channelz': 0 };
    if (options.maxReceiveMessageLength !== undefined) channelOptions['grpc.max_receive_message_length'] = options.maxReceiveMessageLength;
    if (options.maxSendMessageLength !== undefined) channelOptions['grpc.max_send_message_length'] = options.maxSendMessageLength;
    this.#server = new GrpcJsServer(channelOptions);
  }

  /** Names of the services added so far (`helloworld.v1.Greeter`). */
  get services(): string[] {
    return [...this.#services];
  }

  get port(): number {
    return this.#port;
  }

  /** Adds a service's rpcs; before start(). */
  addService(fullName: string, methods: GrpcMethod[]): void {
    const definition: Record<string, ServiceDefinition[string]> = {};
    const implementation: UntypedServiceImplementation = {};
    for (const m of methods) {
      definition[m.schema.name] = methodDefinition(m.schema);
      implementation[m.schema.name] = callHandler(m, this.#env);
    }
    this.addRawService(fullName, { definition, implementation });
  }

  /**
   * Adds a service implemented directly on grpc-js (health, reflection). With `guard`, its calls run
   * through the middleware it returns for each method's path, as the app's own rpcs do.
   */
  addRawService(fullName: string, service: RawService, guard?: GuardFor): void {
    if (this.#services.has(fullName)) {
      throw new FrameworkError('KRATOS_ERR_ROUTE_INVALID', `gRPC service ${fullName} is registered twice`);
    }
    this.#services.add(fullName);
    const s = guard === undefined ? service : guardService(service, guard, this.#env);
    this.#server.addService(s.definition, s.implementation);
  }

  /** Tells `listener` when serving starts and when draining begins (health reporting). */
  onServingChange(listener: ServingListener): void {
    this.#listeners.push(listener);
  }

  endpoint(): string {
    return this.#env.endpoint;
  }

  async start(): Promise<void> {
    const creds = this.#credentials();
    const target = formatHostPort(this.#addr.host, this.#addr.port);
    this.#port = await new Promise<number>((resolve, reject) => {
      this.#server.bindAsync(target, creds, (err, port) => {
        if (err !== null) reject(new FrameworkError('KRATOS_ERR_ADDRESS_INVALID', `cannot listen on ${target}: ${err.message}`, { cause: err }));
        else resolve(port);
      });
    });
    // grpc-js keeps its HTTP/2 servers private; reaching them is the one way to see repeated headers.
    const h2 = (this.#server as unknown as { http2Servers?: Map<NodeJS.EventEmitter, unknown> }).http2Servers;
    for (const server of h2?.keys() ?? []) server.prependListener('stream', keepRepeatedHeaders);
    if (this.#admission !== undefined) frontDoor(h2?.keys(), this.#admission, this.#env.exposeErrorDetail);
    for (const server of h2?.keys() ?? []) keepStreamTablesYoung(server);
    this.#started = true;
    const scheme = this.#tls === undefined ? 'grpc' : 'grpcs';
    this.#env.endpoint = `${scheme}://${formatHostPort(advertisedHost(this.#addr.host), this.#port)}`;
    for (const l of this.#listeners) l(true);
  }

  /** Reports NOT_SERVING, lets calls finish (tryShutdown) until `deadline`, then forces the rest closed. */
  stop(deadline?: number): Promise<void> {
    if (!this.#started) return Promise.resolve();
    this.#stopped ??= new Promise<void>((resolve) => {
      for (const l of this.#listeners) l(false);
      const timer = deadline === undefined ? undefined : setTimeout(() => this.#server.forceShutdown(), Math.max(0, deadline - Date.now()));
      this.#server.tryShutdown(() => {
        if (timer !== undefined) clearTimeout(timer);
        this.#env.deadlines.close();
        resolve();
      });
    });
    return this.#stopped;
  }

  #credentials(): ServerCredentials {
    const tls = this.#tls;
    if (tls === undefined) return ServerCredentials.createInsecure();
    const ca = tls.ca === undefined ? null : Buffer.from(tls.ca);
    return ServerCredentials.createSsl(ca, [{ private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) }], tls.requireClientCert === true);
  }
}

/**
 * Node joins a header field sent twice into one "a, b"; gRPC metadata keeps each value apart, as
 * grpc-go does. Runs before grpc-js reads the headers and gives it the values from the raw list.
 */
function keepRepeatedHeaders(_stream: unknown, headers: Record<string, unknown>, _flags: number, raw?: string[]): void {
  if (raw === undefined) return;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const joined = headers[name];
    // A value that differs from the one on its own line was joined from several: nothing is built otherwise.
    if (typeof joined === 'string' && joined !== raw[i + 1] && !name.startsWith(':')) headers[name] = valuesOf(raw, name);
  }
}

function valuesOf(raw: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i] === name) values.push(raw[i + 1] as string);
  return values;
}
