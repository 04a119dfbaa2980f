import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { defaultCodecs, REPLY_DECODE_LIMITS, type Codec, type CodecRegistry, type MessageType } from '../../encoding/index.js';
import { KratosError, withInternalDetail } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import type { Discovery } from '../../registry/index.js';
import type { Balancer, NodeFilter } from '../../selector/index.js';
import { markUnreached, noDiscovery, Resolver, unreached } from '../resolver.js';
import { StaticNodes } from '../static-nodes.js';
import { NodeProbe } from './node-probe.js';
import { chain, type Handler, type Middleware } from '../../middleware/index.js';
import { metadataClient, type MetadataClientOptions } from '../../middleware/metadata/index.js';
import { ClientContext, outgoingDeadline, type CallOptions } from '../client-context.js';
import { parseEndpoint } from '../endpoint.js';
import { Metadata } from '../../metadata/index.js';
import { rawHttpBody } from './reply.js';

// A direct address has no balancer to tell how the call went.
const NO_FEEDBACK = (): void => undefined;

/** Longest a pooled socket stays idle when the server announces no keep-alive timeout. */
const IDLE_SOCKET_MS = 30_000;

/** Tries in all for a call whose earlier tries never reached a server. */
const UNREACHED_ATTEMPTS = 3;

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  /** `host:port`, `http(s)://host:port` or `direct:///h1:p1,h2:p2` (round robin). */
  endpoint: string;
  /** Default per-call timeout in ms (Kratos: 2000); 0 for none. */
  timeout?: number;
  /** Client middleware, outermost first. */
  middleware?: Middleware[];
  /** Metadata propagation (docs/errors-and-metadata.md#metadata), on by default. */
  callMetadata?: false | MetadataClientOptions;
  /** Codecs for request bodies and replies. Default: json, proto, form, yaml, xml. */
  codecs?: CodecRegistry;
  /** Content-Type of request bodies. Default `application/json`. */
  contentType?: string;
  /** The registry behind `discovery:///name` endpoints. */
  discovery?: Discovery;
  /** How a node is picked per call among discovered instances (default wrr, docs/registry.md#balancers-and-filters). */
  balancer?: Balancer;
  /** Node filters applied on every pick. */
  nodeFilters?: NodeFilter[];
  /** Consistent-hash subset size for large fleets; default 25, 0 for all. */
  subsetSize?: number;
  logger?: Logger;
  /** TLS for https endpoints: extra CA, client certificate. */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  userAgent?: string;
}

/** Options of one HTTP call. */
export interface HttpCallOptions extends CallOptions {
  /** What middleware sees as ctx.operation (default: the path). */
  operation?: string;
  /** Message type of the request body, for proto-aware codecs. */
  requestType?: MessageType | undefined;
  /** Message type of the reply, for proto-aware codecs. */
  replyType?: MessageType | undefined;
  contentType?: string;
  /** The body is a google.api.HttpBody (`{ contentType, data }`): sent as its raw bytes under its content type. */
  rawRequest?: boolean;
  /** The reply is a google.api.HttpBody: read as `{ contentType, data }` from the raw response. */
  rawReply?: boolean;
}

/** A request as the innermost client handler sends it. */
interface Outgoing {
  method: string;
  path: string;
  body: unknown;
  options: HttpCallOptions;
}

/**
 * An HTTP client (docs/proto-first.md#clients): codec-encoded bodies, client middleware on every call, per-call timeout
 * with deadline propagation, reply headers, and Kratos errors restored from error bodies. One
 * keep-alive agent per client, so connections are reused across calls.
 */
export class HttpClient {
  readonly #addresses: string[];
  // The direct:/// list (or single address) when there is no registry.
  readonly #static: StaticNodes | undefined;
  readonly #tls: boolean;
  readonly #agent: HttpAgent;
  readonly #codecs: CodecRegistry;
  readonly #timeout: number;
  readonly #contentType: string;
  readonly #userAgent: string;
  readonly #handler: Handler;
  readonly #endpoint: string;
  readonly #resolver: Resolver | undefined;
  // Health only matters when there is another node to pick: none for a single address.
  readonly #probe: NodeProbe | undefined;
  // Failed attempts are logged at debug level with their address (see grpc-client).
  readonly #debug: Logger | undefined;
  // The addresses each call (one ClientContext, kept across retries) was sent to.
  readonly #tried = new WeakMap<object, Set<string>>();

  constructor(options: HttpClientOptions) {
    const ep = parseEndpoint(options.endpoint, 'http');
    this.#endpoint = options.endpoint;
    this.#addresses = ep.addresses;
    this.#tls = ep.scheme === 'https' || (ep.scheme === 'discovery' && options.tls !== undefined);
    if (ep.scheme === 'discovery') {
      if (options.discovery === undefined) throw noDiscovery(options.endpoint);
      this.#resolver = new Resolver(ep.name, {
        discovery: options.discovery,
        schemes: this.#tls ? ['https'] : ['http'],
        ...(options.balancer === undefined ? {} : { balancer: options.balancer }),
        ...(options.nodeFilters === undefined ? {} : { filters: options.nodeFilters }),
        ...(options.subsetSize === undefined ? {} : { subsetSize: options.subsetSize }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      });
    }
    this.#static = this.#resolver === undefined ? new StaticNodes(ep.addresses, options.logger) : undefined;
    this.#probe = this.#resolver !== undefined ? new NodeProbe(this.#resolver) : ep.addresses.length > 1 ? new NodeProbe(this.#static as StaticNodes) : undefined;
    this.#debug = options.logger?.enabled('debug') === true ? options.logger : undefined;
    // With a timeout set, node:http also honours the server's `Keep-Alive: timeout=N` and drops an idle
    // socket a second before the server would: a request written on a socket the server is closing
    // may have been read, so it cannot be resent, and this keeps that race away.
    const keepAlive = { keepAlive: true, timeout: IDLE_SOCKET_MS };
    this.#agent = this.#tls ? new HttpsAgent({ ...keepAlive, ...(options.tls ?? {}) }) : new HttpAgent(keepAlive);
    this.#codecs = options.codecs ?? defaultCodecs(REPLY_DECODE_LIMITS);
    this.#timeout = options.timeout ?? 2000;
    this.#contentType = options.contentType ?? 'application/json';
    this.#userAgent = options.userAgent ?? 'kratos-ts';
    const builtin = options.callMetadata === false ? [] : [metadataClient(options.callMetadata ?? {})];
    this.#handler = chain(...builtin, ...(options.middleware ?? []))((req, ctx) => this.#sendWithRetry(req as Outgoing, ctx as ClientContext));
  }

  /** Sends `body` (if any) to `path` and resolves with the decoded reply; failures reject with a KratosError. */
  async invoke<T = unknown>(method: string, path: string, body?: unknown, options: HttpCallOptions = {}): Promise<T> {
    const request = new Metadata(options.headers);
    const ctx = new ClientContext('http', options.operation ?? path, this.#endpoint, { request, reply: options.replyHeader ?? new Metadata() }, outgoingDeadline(options.timeout ?? this.#timeout), options);
    try {
      return (await this.#handler({ method: method.toUpperCase(), path, body, options } satisfies Outgoing, ctx)) as T;
    } finally {
      ctx.done();
    }
  }

  /** Closes idle connections and stops following the registry; calls in flight finish. */
  close(): void {
    this.#probe?.close();
    void this.#resolver?.stop();
    this.#agent.destroy();
  }

  // A request that provably never reached a server (connection refused or never made, no node) is
  // sent again to a node this call has not tried; anything else is the retry middleware's decision.
  async #sendWithRetry(out: Outgoing, ctx: ClientContext): Promise<unknown> {
    let tried = this.#tried.get(ctx);
    if (tried === undefined) this.#tried.set(ctx, (tried = new Set()));
    const spread = this.#resolver !== undefined || this.#addresses.length > 1;
    for (let attempt = 1; ; attempt++) {
      const target = await this.#address(ctx, tried);
      tried.add(target.address);
      try {
        return await this.#send(out, ctx, target);
      } catch (err) {
        if (!spread || attempt >= UNREACHED_ATTEMPTS || !unreached(err) || ctx.signal.aborted) throw err;
      }
    }
  }

  async #address(ctx: ClientContext, tried: ReadonlySet<string>): Promise<{ address: string; done: (err?: unknown) => void }> {
    const r = this.#resolver;
    if (r === undefined) return { address: (this.#static as StaticNodes).pick(tried), done: NO_FEEDBACK };
    if (r.nodes.length === 0) await r.waitReady(ctx.deadline === undefined ? 10_000 : Math.max(0, ctx.deadline - Date.now()));
    const { node, done } = r.pick(tried);
    return { address: node.address, done: (err) => done({ err }) };
  }

  #send(out: Outgoing, ctx: ClientContext, target: { address: string; done: (err?: unknown) => void }): Promise<unknown> {
    const codec = this.#codecs.forContentType(out.options.contentType ?? this.#contentType) ?? (this.#codecs.get('json') as Codec);
    const raw = out.options.rawRequest === true ? rawHttpBody(out.body) : undefined;
    const payload = raw !== undefined ? raw.bytes : out.body === undefined ? undefined : codec.marshal(out.body, out.options.requestType);
    const headers: Record<string, string | string[]> = { 'user-agent': this.#userAgent, accept: out.options.rawReply === true ? '*/*' : codec.contentType };
    for (const k of ctx.requestHeader.keys()) headers[k] = ctx.requestHeader.values(k);
    if (payload !== undefined) {
      headers['content-type'] = raw?.contentType ?? codec.contentType;
      headers['content-length'] = String(payload.length);
    }
    const address = target.address;
    const send = this.#tls ? httpsRequest : httpRequest;
    const settled = new Promise((resolve, reject) => {
      const req = send(`${this.#tls ? 'https' : 'http'}://${address}${out.path}`, { method: out.method, headers, agent: this.#agent, signal: ctx.signal });
      // Nothing is written before the TCP connection is up, so a failure before 'connect' provably
      // never reached the server. A reused keep-alive socket is connected: a reset on it may come
      // after the server read the request, so it is not resent here.
      let connected = false;
      req.once('socket', (socket) => {
        if (!socket.connecting) connected = true;
        else socket.once('connect', () => (connected = true));
        this.#probe?.follow(address, socket);
      });
      req.once('error', (err: NodeJS.ErrnoException) => {
        const e = transportError(err, ctx);
        if (!connected && !ctx.signal.aborted) {
          markUnreached(e);
          this.#probe?.down(address, `${err.code ?? 'error'}: ${err.message}`);
        } else if (!ctx.signal.aborted) this.#probe?.suspect(address);
        this.#debug?.debug('call attempt failed', 'operation', ctx.operation, 'address', address, 'unreached', unreached(e), 'error', e.message);
        reject(e);
      });
      req.once('response', (res) => {
        // headersDistinct: a header sent twice keeps both values (res.headers joins them into "a, b").
        for (const [k, v] of Object.entries(res.headersDistinct)) for (const x of v ?? []) ctx.replyHeader.add(k, x);
        readAll(res).then((buf) => {
          try {
            const ok = (res.statusCode ?? 500) >= 200 && (res.statusCode ?? 500) < 300;
            resolve(ok && out.options.rawReply === true ? { contentType: res.headers['content-type'] ?? '', data: buf } : this.#decode(res, buf, out.options.replyType));
          } catch (err) {
            reject(err);
          }
        }, (err: NodeJS.ErrnoException) => reject(transportError(err, ctx)));
      });
      req.end(payload);
    });
    settled.then(() => target.done(), (err: unknown) => target.done(err));
    return settled;
  }

  #decode(res: IncomingMessage, body: Buffer, type: MessageType | undefined): unknown {
    const status = res.statusCode ?? 500;
    const codec = this.#codecs.forContentType(res.headers['content-type']) ?? (this.#codecs.get('json') as Codec);
    if (status >= 200 && status < 300) return body.length === 0 ? undefined : codec.unmarshal(body, type);
    let e: Partial<KratosError> = {};
    try {
      e = codec.unmarshal(body) as Partial<KratosError>;
    } catch {
      // A body that is not a Kratos error still gives the status and its text.
    }
    const metadata = typeof e.metadata === 'object' && e.metadata !== null ? e.metadata : {};
    const message = typeof e.message === 'string' ? e.message : body.toString('utf8').slice(0, 512) || (res.statusMessage ?? '');
    const reason = typeof e.reason === 'string' ? e.reason : '';
    const err = new KratosError(status, reason, message, { ...metadata });
    // A reply that is not a Kratos error (a proxy's page, a foreign server's text) is not ours to pass on.
    return Promise.reject(reason === '' ? withInternalDetail(err) : err);
  }
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => resolve(Buffer.concat(chunks)));
    res.once('error', reject);
  });
}

// Transport failures as Kratos errors: our own deadline is a 504, a refused or reset connection a 503.
function transportError(err: NodeJS.ErrnoException, ctx: ClientContext): KratosError {
  const reason: unknown = ctx.signal.reason;
  if (ctx.signal.aborted && KratosError.isKratosError(reason)) return reason;
  if (ctx.signal.aborted) return new KratosError(499, 'CANCELLED', 'call cancelled', {}, err);
  // The message names the peer (connect ECONNREFUSED 10.0.0.5:8000): servers pass on only the code.
  return withInternalDetail(new KratosError(503, 'UNAVAILABLE', `${err.code ?? 'error'}: ${err.message}`, {}, err));
}

/** A generic HTTP client for `options.endpoint`. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  return new HttpClient(options);
}
