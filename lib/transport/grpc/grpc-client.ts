import { credentials, Metadata, status as grpcStatus, type Call, type Client, type CallOptions as GrpcCallOptions, type ChannelCredentials, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { fromGrpcStatus, KratosError } from '../../errors/index.js';
import { chain, type Handler, type Middleware } from '../../middleware/index.js';
import { metadataClient, type MetadataClientOptions } from '../../middleware/metadata/index.js';
import { ClientContext, outgoingDeadline, type CallOptions } from '../client-context.js';
import { parseEndpoint } from '../endpoint.js';
import { markUnreached, unreached } from '../resolver.js';
import { channelPool, type Lease } from './channel-pool.js';
import type { Discovery } from '../../registry/index.js';
import type { Balancer, NodeFilter } from '../../selector/index.js';
import type { Logger } from '../../log/index.js';
import { ProtoLoader } from '../../proto/index.js';
import { methodDefinition, type GrpcMethodSchema } from './method.js';
import { MetadataHeader } from './metadata-header.js';

/** TLS for the client; `true` uses the system roots. */
export type GrpcClientTls = true | { ca?: string | Buffer; key?: string | Buffer; cert?: string | Buffer };

/** Options of {@link createGrpcClient}. */
export interface GrpcClientOptions {
  /** `host:port`, `grpc://host:port`, `grpcs://host:port` or `direct:///h1:p1,h2:p2`. */
  endpoint: string;
  /** Default per-call timeout in ms (Kratos: 2000); 0 for none. */
  timeout?: number;
  /** Client middleware, outermost first; runs once per call, streams included. */
  middleware?: Middleware[];
  /** The registry behind `discovery:///name` endpoints. */
  discovery?: Discovery;
  /** How a node is picked per call among discovered instances (default wrr, docs/registry.md#balancers-and-filters). */
  balancer?: Balancer;
  /** Node filters applied on every pick (versionFilter, metadataFilter, custom). */
  nodeFilters?: NodeFilter[];
  /** Consistent-hash subset size for large fleets; default 25, 0 for all. */
  subsetSize?: number;
  logger?: Logger;
  /** Metadata propagation (docs/errors-and-metadata.md#metadata), on by default. */
  callMetadata?: false | MetadataClientOptions;
  tls?: GrpcClientTls;
  maxReceiveMessageLength?: number;
  maxSendMessageLength?: number;
}

/** What a client is made from: a loaded proto service (lib/proto's ServiceSchema fits). */
export interface GrpcServiceLike {
  fullName: string;
  methods: readonly GrpcMethodSchema[];
}

/** A service by its .proto file and full name, loaded when the client is made. */
export interface ProtoServiceRef {
  proto: string;
  name: string;
  /** Directories searched for its imports; relative ones against the project root. */
  protoPaths?: string[];
  /** @deprecated Use `protoPaths`. */
  includeDirs?: string[];
}

/** A method of a generic client; the four call kinds share one shape. */
export type ClientMethod = (request: unknown, options?: CallOptions) => Promise<unknown> | AsyncIterable<unknown>;

/** A client: one method per rpc in lowerCamel (`sayHello`), plus close(). */
export interface GrpcClient {
  readonly [method: string]: ClientMethod | (() => void);
  close(): void;
}

/** Tries in all for a unary call whose earlier tries never reached a server. */
const UNREACHED_ATTEMPTS = 3;

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function channelCredentials(tls: GrpcClientTls | undefined, scheme: string): ChannelCredentials {
  if (tls === undefined) return scheme === 'grpcs' ? credentials.createSsl() : credentials.createInsecure();
  if (tls === true) return credentials.createSsl();
  const b = (v: string | Buffer | undefined): Buffer | null => (v === undefined ? null : Buffer.from(v));
  return credentials.createSsl(b(tls.ca), b(tls.key), b(tls.cert));
}

// The addresses each call (one ClientContext, kept across retries) was sent to, so no retry, the
// transport's own or the retry middleware's, goes to a node this call already tried.
const triedBy = new WeakMap<object, Set<string>>();

function triedOf(ctx: object): Set<string> {
  let tried = triedBy.get(ctx);
  if (tried === undefined) triedBy.set(ctx, (tried = new Set()));
  return tried;
}

// A call we cancelled ourselves (deadline, caller's signal) fails with our reason, not CANCELLED.
function failure(err: ServiceError, ctx: ClientContext): KratosError {
  const reason: unknown = ctx.signal.reason;
  if (ctx.signal.aborted && KratosError.isKratosError(reason)) return reason;
  return fromGrpcStatus(err);
}

/**
 * Whether an UNAVAILABLE provably never reached the server application. grpc-js opens an HTTP/2
 * stream only after its picker found a READY connection; until then getPeer() answers with the
 * channel's target (or 'unknown'), so a failure with no stream ("No connection established", refused
 * connect) was never written. With a stream, only a REFUSED_STREAM reset counts (a GOAWAY also refuses
 * the streams above its last processed id that way): it carries no response headers at all, whereas
 * any status a server chose arrives in a HEADERS frame. "Connection dropped", resets and every status
 * from a server are left alone: the request may have run.
 */
function neverReached(err: ServiceError, call: Call, client: Client, gotHeaders: boolean): boolean {
  if (err.code !== grpcStatus.UNAVAILABLE) return false;
  const peer = call.getPeer();
  if (peer === 'unknown' || peer === client.getChannel().getTarget()) return true;
  // A refused stream ends with RST_STREAM and no HEADERS frame, so its metadata is empty; a status a
  // server sent, even one with this very text, comes in a HEADERS frame (content-type at least).
  return !gotHeaders && err.details === 'Stream refused by server' && Object.keys(err.metadata.getMap()).length === 0;
}

function copyReplyHeaders(h: Metadata, ctx: ClientContext): void {
  for (const [k, v] of Object.entries(h.getMap())) ctx.replyHeader.add(k, typeof v === 'string' ? v : v.toString('base64'));
}

/** What a unary attempt's reply callback settles. */
interface UnaryAttempt {
  ctx: ClientContext;
  lease: Lease;
  resolve(reply: unknown): void;
  reject(err: unknown): void;
  call?: Call;
  gotHeaders: boolean;
  logger: Logger | undefined;
  operation: string;
}

/**
 * The reply callback and `metadata` listener grpc-js keeps on its call object. Made here, outside the
 * call's scope, and let go of the attempt once the reply came: grpc-js' call can outlive the call (its
 * client keeps promoting finished calls to V8's old space, docs/performance.md "The fourteenth round"),
 * and it must not keep the caller's context, middleware and promise with it.
 */
function unaryListeners(attempt: UnaryAttempt): { onReply: (err: ServiceError | null, reply?: unknown) => void; onHeaders: (h: Metadata) => void } {
  let a: UnaryAttempt | undefined = attempt;
  const onHeaders = (h: Metadata): void => {
    if (a === undefined) return;
    a.gotHeaders = true;
    copyReplyHeaders(h, a.ctx);
  };
  const onReply = (err: ServiceError | null, reply?: unknown): void => {
    if (a === undefined) return;
    const { ctx, lease, call, gotHeaders, logger, operation, resolve, reject } = a;
    a = undefined;
    const e = err === null ? undefined : failure(err, ctx);
    if (err !== null && e !== undefined) {
      if (!ctx.signal.aborted && neverReached(err, call!, lease.client, gotHeaders)) markUnreached(e);
      logger?.debug('call attempt failed', 'operation', operation, 'address', lease.address, 'unreached', unreached(e), 'error', e.message);
    }
    lease.done(e);
    if (e === undefined) resolve(reply);
    else reject(e);
  };
  return { onReply, onHeaders };
}

async function* mapErrors(stream: ClientReadableStream<unknown>, ctx: ClientContext, done: (err?: unknown) => void, early: () => unknown): AsyncIterable<unknown> {
  try {
    for await (const msg of stream) yield msg;
    // grpc-js emits errors without destroying the stream, so one emitted before reading ends the loop quietly.
    const e = early();
    if (e !== undefined) throw e;
    done();
  } catch (err) {
    const e = failure(err as ServiceError, ctx);
    done(e);
    throw e;
  } finally {
    ctx.done();
  }
}

async function pump(input: unknown, call: { write(m: unknown): boolean; end(): void; once(e: 'drain', f: () => void): unknown }): Promise<void> {
  const items = Symbol.asyncIterator in (input as object) || Symbol.iterator in (input as object) ? (input as AsyncIterable<unknown>) : [input];
  for await (const item of items) {
    if (!call.write(item)) await new Promise<void>((r) => call.once('drain', r));
  }
  call.end();
}

/**
 * A gRPC client for `service` (docs/proto-first.md#clients): promise unary calls, AsyncIterable streams, per-call timeout with
 * deadline propagation, client middleware, reply headers, and errors restored as Kratos errors. One
 * channel per address, reused by every call; `direct:///` lists are used round robin.
 */
export function createGrpcClient(target: GrpcServiceLike | ProtoServiceRef, options: GrpcClientOptions): GrpcClient {
  const service = 'proto' in target ? new ProtoLoader({ protoPaths: target.protoPaths ?? target.includeDirs ?? [] }).serviceSync(target.proto, target.name) : target;
  const endpoint = parseEndpoint(options.endpoint, 'grpc');
  const creds = channelCredentials(options.tls, endpoint.scheme);
  const channelOptions: Record<string, number> = {};
  if (options.maxReceiveMessageLength !== undefined) channelOptions['grpc.max_receive_message_length'] = options.maxReceiveMessageLength;
  if (options.maxSendMessageLength !== undefined) channelOptions['grpc.max_send_message_length'] = options.maxSendMessageLength;
  const discovery = options.discovery === undefined ? undefined : {
    discovery: options.discovery,
    ...(options.balancer === undefined ? {} : { balancer: options.balancer }),
    ...(options.nodeFilters === undefined ? {} : { filters: options.nodeFilters }),
    ...(options.subsetSize === undefined ? {} : { subsetSize: options.subsetSize }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  const pool = channelPool(endpoint, creds, channelOptions, discovery, options.tls !== undefined || endpoint.scheme === 'grpcs', options.logger);
  const timeout = options.timeout ?? 2000;
  const builtin = options.callMetadata === false ? [] : [metadataClient(options.callMetadata ?? {})];
  const wrap = chain(...builtin, ...(options.middleware ?? []));
  // Failed attempts are logged at debug level with their address: what an operator needs to see where
  // calls went while an instance died (and what the fleet soak counts).
  const logger = options.logger?.enabled('debug') === true ? options.logger : undefined;
  const client: Record<string, unknown> = { close: () => pool.close() };
  for (const m of service.methods) {
    const def = methodDefinition(m);
    const invoke: Handler = async (req, context) => {
      const ctx = context as ClientContext;
      const md = (ctx.requestHeader as MetadataHeader).metadata;
      const callOpts: GrpcCallOptions = ctx.deadline === undefined ? {} : { deadline: ctx.deadline };
      const tried = triedOf(ctx);
      const lease = await pool.acquire(ctx.deadline, tried);
      tried.add(lease.address);
      const c = lease.client;
      if (!m.responseStream) {
        return new Promise((resolve, reject) => {
          const attempt: UnaryAttempt = { ctx, lease, resolve, reject, gotHeaders: false, logger, operation: m.operation };
          const { onReply, onHeaders } = unaryListeners(attempt);
          const call: Call = m.requestStream
            ? c.makeClientStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, md, callOpts, onReply)
            : c.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, req, md, callOpts, onReply);
          attempt.call = call;
          call.on('metadata', onHeaders);
          ctx.signal.addEventListener('abort', () => call.cancel(), { once: true });
          if (m.requestStream) pump(req, call as never).catch(reject);
        });
      }
      const onHeaders = (h: Metadata): void => copyReplyHeaders(h, ctx);
      const call = m.requestStream
        ? c.makeBidiStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, md, callOpts)
        : c.makeServerStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, req, md, callOpts);
      call.on('metadata', onHeaders);
      // The stream may fail before the caller starts reading: keep the error for the iterator, not as uncaught.
      let early: unknown;
      call.on('error', (e: unknown) => (early ??= e));
      ctx.signal.addEventListener('abort', () => call.cancel(), { once: true });
      if (m.requestStream) pump(req, call as never).catch((err: unknown) => call.destroy(err as Error));
      return mapErrors(call as ClientReadableStream<unknown>, ctx, lease.done, () => early);
    };
    // A unary call that provably never reached a server (no connection, refused) is sent again to
    // a node it has not tried; nothing else is resent here (the retry middleware decides the rest).
    const retrying: Handler = m.requestStream || m.responseStream ? invoke : async (req, ctx) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await invoke(req, ctx);
        } catch (err) {
          if (attempt >= UNREACHED_ATTEMPTS || !unreached(err) || ctx.signal.aborted) throw err;
        }
      }
    };
    const handler = wrap(retrying);
    client[lowerFirst(m.name)] = (req: unknown, opts: CallOptions = {}) => {
      const request = new MetadataHeader(new Metadata());
      for (const [k, v] of Object.entries(opts.headers ?? {})) for (const x of Array.isArray(v) ? v : [v]) request.add(k, x);
      const ctx = new ClientContext('grpc', m.operation, options.endpoint, { request, reply: opts.replyHeader ?? new MetadataHeader() }, outgoingDeadline(opts.timeout ?? timeout), opts);
      const result = handler(req, ctx);
      if (!m.responseStream) return result.finally(() => ctx.done());
      return streamOf(result);
    };
  }
  return client as unknown as GrpcClient;
}

// Stream methods return an AsyncIterable at once; the chain's promise settles into it.
async function* streamOf(pending: Promise<unknown>): AsyncIterable<unknown> {
  const it = (await pending) as AsyncIterable<unknown>;
  if (it === null || typeof it !== 'object' || !(Symbol.asyncIterator in it)) {
    throw new KratosError(500, 'UNKNOWN', 'client middleware must return the stream it was given');
  }
  yield* it;
}
