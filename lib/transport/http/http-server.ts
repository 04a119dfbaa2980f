import { createServer as createHttpServer, type IncomingMessage, type Server as NodeServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { defaultCodecs, type Codec, type CodecRegistry, type Negotiated } from '../../encoding/index.js';
import { FrameworkError, KratosError, publicError, toKratosError } from '../../errors/index.js';
import { advertisedHost, DeadlineQueue, formatHostPort, lazyRequire, parseAddress } from '../../internal/index.js';
import { NoopLogger, type Logger } from '../../log/index.js';
import { runWithContext } from '../context.js';
import { RefusedRequest } from '../refused.js';
import type { Server } from '../server.js';
import { badPercentEncoding, bodyLimitFor, markupLimit, readBody } from './body.js';
import { codecResponseEncoder, guardedErrorEncoder, plainRequestDecoder, rawResponseEncoder, statusErrorEncoder, type ErrorEncoder, type HttpCodecOptions } from './codecs.js';
import { frontDoor, type Admission } from './front-door.js';
import { HttpContext } from './http-context.js';
import { closeAfterReply, ConnectionTracker } from './connections.js';
import { httpStatus, writeReply, writeStream } from './reply.js';
import { absolutePath, onClientError } from './request-errors.js';
import { RouteTable, type HttpProtocol, type HttpRoute, type MountedRoute, type RouteMatch } from './route-table.js';

/** Options of {@link HttpServer}; the request decoder and the encoders are in {@link HttpCodecOptions}. */
export interface HttpServerOptions extends HttpCodecOptions {
  /** `host:port` to listen on. Default `0.0.0.0:0`. */
  addr?: string;
  /** Per-request timeout in ms; 0 disables. Default 1000 (Kratos' default). */
  timeout?: number;
  /** Largest accepted request body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Logger for failures that are not Kratos errors. Default: silent. */
  logger?: Logger;
  /** Serve HTTPS with this key pair. */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer };
  /** Codecs for request bodies (by Content-Type) and replies (by Accept). Default: json, proto, form, yaml, xml. */
  codecs?: CodecRegistry;
  /** Largest request head (request line and headers), bytes; beyond it 431. Default 16 KiB. */
  maxHeaderSize?: number;
  /** Time a client has to send the request head, ms (slowloris guard). Default 10 000. */
  headersTimeout?: number;
  /** Time a client has to send a whole request, ms. Default 30 000. */
  requestTimeout?: number;
  /** Time a client has to send a request body once it is routed, ms: beyond it 408 and the connection is closed. Default 10 000. */
  bodyTimeout?: number;
  /** Most open connections; beyond it node closes new ones at once. Default: no cap. */
  maxConnections?: number;
  /** Filters run before routing, for every request (404s and preflights too): Koa middleware, e.g. cors(). */
  filters?: HttpFilter[];
  /** Accept YAML/XML request bodies: `true` or `{ bodyLimit }` (default 32 KiB). Default off (415). */
  markupBodies?: boolean | { bodyLimit?: number };
  /** Send the internal detail of errors (peer addresses, dependency messages) to clients. Default false: logs only. */
  exposeErrorDetail?: boolean;
  /** A protocol served beside the routes on the same port, claiming its requests itself (gRPC-Web). */
  protocol?: HttpProtocol | undefined;
  /** Asked first for every request, before routing and middleware; a refusal is answered at once (docs/resilience-and-security.md#shedding-at-the-front-door). */
  admission?: Admission | undefined;
}

/** A filter around the whole router (Kratos `http.Filter`): Koa middleware; call next() to go on. */
export type HttpFilter = Koa.Middleware;

export const DEFAULT_HTTP_OPTIONS = { addr: '0.0.0.0:0', timeout: 1000, bodyLimit: 1 << 20 } as const;

// Koa serves only apps with filters; the others never load it (start-up time and memory).
const loadKoa = lazyRequire<typeof Koa>('koa');

const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);
const EMPTY = Buffer.alloc(0);

/**
 * The HTTP transport on Koa: routes from descriptors, each request dispatched once to its prepared
 * handler, replies and Kratos error bodies written straight to the response, graceful stop.
 */
export class HttpServer implements Server {
  readonly #routes = new RouteTable();
  readonly #addr: { host: string; port: number };
  readonly #timeout: number;
  readonly #bodyLimit: number;
  readonly #logger: Logger;
  readonly #tls: HttpServerOptions['tls'];
  readonly #deadlines = new DeadlineQueue();
  readonly #codecs: CodecRegistry;
  readonly #json: Codec;
  readonly #codec: { decode: MountedRoute['decode']; encode: MountedRoute['encode']; encodeError: ErrorEncoder };
  readonly #jsonReply: Negotiated;
  readonly #guard: (encoder: ErrorEncoder) => ErrorEncoder;
  readonly #limits: { maxHeaderSize: number; headersTimeout: number; requestTimeout: number };
  readonly #caps: { bodyTimeout: number; maxConnections: number | undefined; admission: Admission | undefined };
  readonly #filters: HttpFilter[];
  readonly #markupLimit: number;
  readonly #exposeErrorDetail: boolean;
  readonly #protocol: HttpProtocol | undefined;
  readonly #onExpire = (ctx: HttpContext): void => this.#writeError(ctx, ctx.errorEncoder ?? this.#codec.encodeError, timeoutError(this.#timeout));
  #server: NodeServer | undefined;
  #connections: ConnectionTracker | undefined;
  #endpoint = '';
  #port = 0;
  #inFlight = 0;
  #draining = false;
  #stopped: Promise<void> | undefined;

  constructor(options: HttpServerOptions = {}) {
    this.#addr = parseAddress(options.addr ?? DEFAULT_HTTP_OPTIONS.addr);
    this.#timeout = options.timeout ?? DEFAULT_HTTP_OPTIONS.timeout;
    this.#exposeErrorDetail = options.exposeErrorDetail === true;
    this.#bodyLimit = options.bodyLimit ?? DEFAULT_HTTP_OPTIONS.bodyLimit;
    this.#logger = options.logger ?? new NoopLogger();
    this.#tls = options.tls;
    this.#codecs = options.codecs ?? defaultCodecs();
    this.#json = this.#codecs.get('json') as Codec;
    this.#jsonReply = { codec: this.#json, contentType: this.#json.contentType };
    const kratosErrors = statusErrorEncoder(this.#json);
    this.#guard = (encoder) => guardedErrorEncoder(encoder, kratosErrors, this.#logger);
    const encodeError = this.#guard(options.errorEncoder ?? kratosErrors);
    this.#codec = { decode: options.requestDecoder ?? plainRequestDecoder, encode: options.responseEncoder ?? codecResponseEncoder, encodeError };
    this.#limits = {
      maxHeaderSize: options.maxHeaderSize ?? 16 * 1024,
      headersTimeout: options.headersTimeout ?? 10_000,
      requestTimeout: options.requestTimeout ?? 30_000,
    };
    this.#filters = options.filters ?? [];
    this.#markupLimit = markupLimit(options.markupBodies ?? false, this.#bodyLimit);
    this.#protocol = options.protocol;
    this.#caps = { bodyTimeout: options.bodyTimeout ?? 10_000, maxConnections: options.maxConnections, admission: options.admission };
  }

  /** Adds a route; before start(). Duplicates and malformed paths fail with a coded error. */
  route(route: HttpRoute): void {
    const d = this.#codec;
    const encode = route.raw === true ? rawResponseEncoder : (route.encode ?? d.encode);
    this.#routes.add({ ...route, decode: route.decode ?? d.decode, encode, encodeError: route.encodeError === undefined ? d.encodeError : this.#guard(route.encodeError) });
  }

  get port(): number {
    return this.#port;
  }

  get host(): string {
    return this.#addr.host;
  }

  /** Requests being served now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  endpoint(): string {
    return this.#endpoint;
  }

  async start(): Promise<void> {
    const callback = frontDoor(this.#filters.length === 0 ? this.#serve : this.#koa(), this.#caps.admission, { codecs: this.#codecs, encodeError: this.#codec.encodeError, exposeErrorDetail: this.#exposeErrorDetail, endpoint: () => this.#endpoint, draining: () => this.#draining });
    const l = this.#limits;
    // node checks these timeouts only every connectionsCheckingInterval (30 s by default): check often enough to matter.
    const limits = { ...l, connectionsCheckingInterval: Math.max(100, Math.min(1000, l.headersTimeout / 2)) };
    const server = this.#tls === undefined ? createHttpServer(limits, callback) : createHttpsServer({ ...this.#tls, ...limits }, callback);
    server.on('clientError', onClientError);
    this.#connections = new ConnectionTracker(server, this.#caps.maxConnections);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new FrameworkError('KRATOS_ERR_ADDRESS_INVALID', `cannot listen on ${formatHostPort(this.#addr.host, this.#addr.port)}: ${err.code ?? err.message}`, { cause: err })));
      server.listen(this.#addr.port, this.#addr.host, () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    const scheme = this.#tls === undefined ? 'http' : 'https';
    this.#endpoint = `${scheme}://${formatHostPort(advertisedHost(this.#addr.host), this.#port)}`;
  }

  // Filters are Koa middleware, so with filters every request runs through Koa first; without any,
  // Koa's per-request context would be built only to be bypassed, so requests come straight here.
  #koa(): (req: IncomingMessage, res: ServerResponse) => void {
    const KoaApp = loadKoa();
    const koa = new KoaApp();
    koa.silent = true;
    for (const f of this.#filters) koa.use(f);
    koa.use((kctx) => {
      kctx.respond = false;
      return this.#dispatch(kctx.req, kctx.res, kctx.method, kctx.path, kctx.querystring);
    });
    return koa.callback();
  }

  readonly #serve = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    // An absolute-form target (`GET http://host/p`) routes by its path, as Koa does.
    if (!path.startsWith('/')) path = absolutePath(path);
    this.#dispatch(req, res, req.method ?? 'GET', path, query).catch((err: unknown) => {
      this.#logger.log('error', 'msg', 'request failed', 'error', err);
      if (!res.headersSent) res.writeHead(500).end();
    });
  };

  /**
   * Stops accepting, lets requests in flight finish (their responses close the connection), closes
   * idle keep-alive connections now, and destroys what is left at `deadline`.
   */
  stop(deadline?: number): Promise<void> {
    if (this.#server === undefined) return Promise.resolve();
    this.#stopped ??= this.#stop(this.#server, this.#connections as ConnectionTracker, deadline);
    return this.#stopped;
  }

  async #stop(server: NodeServer, connections: ConnectionTracker, deadline: number | undefined): Promise<void> {
    this.#draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    connections.closeIdle();
    const timer = deadline === undefined ? undefined : setTimeout(() => connections.destroyAll(), Math.max(0, deadline - Date.now()));
    await closed;
    if (timer !== undefined) clearTimeout(timer);
    this.#deadlines.close();
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string): Promise<void> {
    if (method !== 'GET' && this.#protocol?.claims(req, method, path) === true) return this.#protocol.serve(req, res, path, this.#endpoint);
    const found = this.#routes.lookup(method, path);
    if (found.match === undefined) return this.#noRoute(req, res, method, path, found.allowed);
    const { route } = found.match;
    const deadline = this.#timeout > 0 && route.stream !== true ? Date.now() + this.#timeout : undefined;
    const ctx = new HttpContext(req, res, route.operation, this.#endpoint, deadline);
    this.#inFlight++;
    res.once('close', onResponseClose);
    (res as ResponseWithContext)[CONTEXT] = ctx;
    if (deadline !== undefined) {
      ctx.errorEncoder = route.encodeError;
      ctx.onExpire = this.#onExpire;
      this.#deadlines.add(ctx);
    }
    try {
      let request: unknown;
      try {
        // Most requests have no body: decode them without waiting a turn.
        const decoded = this.#decode(req, ctx, method, query, found.match);
        request = decoded instanceof Promise ? await decoded : decoded;
      } catch (err) {
        // A refused request runs through the route's chain, whose first step throws the error.
        if (route.acceptsRefused !== true) throw err;
        request = new RefusedRequest(err);
      }
      const reply: unknown = await runWithContext(ctx, () => route.handler(request, ctx));
      if (route.stream === true) await writeStream(ctx, route, reply, this.#jsonReply, this.#logger);
      else if (ctx.abandoned === undefined) writeReply(res, 200, route.encode(reply, this.#codecs.negotiate(req.headers.accept), ctx), this.#draining, method === 'HEAD');
    } catch (err) {
      if (ctx.abandoned === undefined) this.#writeError(ctx, route.encodeError, err);
    } finally {
      this.#deadlines.remove(ctx);
      this.#inFlight--;
    }
  }

  #decode(req: IncomingMessage, ctx: HttpContext, method: string, query: string, match: RouteMatch): unknown {
    const hasBody = !BODYLESS.has(method) || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return this.#decodeRead(req, ctx, EMPTY, query, match);
    return readBody(req, bodyLimitFor(this.#codecs.forContentType(req.headers['content-type']), this.#bodyLimit, this.#markupLimit), this.#caps.bodyTimeout)
      .then((body) => this.#decodeRead(req, ctx, body, query, match));
  }

  #decodeRead(req: IncomingMessage, ctx: HttpContext, body: Buffer, query: string, match: RouteMatch): unknown {
    if (match.badParam !== undefined) throw badPercentEncoding(match.badParam);
    const contentType = req.headers['content-type'];
    // A body without a Content-Type is read as JSON, the format clients most often forget to name.
    const codec = contentType === undefined ? this.#json : this.#codecs.forContentType(contentType);
    return match.route.decode({ body, codec, contentType, query, params: match.params }, ctx);
  }

  #writeError(ctx: HttpContext, encodeError: ErrorEncoder, err: unknown): void {
    const found = toKratosError(err);
    if (!KratosError.isKratosError(err) && found.cause === err) {
      this.#logger.log('error', 'msg', 'request failed', 'operation', ctx.operation, 'error', err);
    }
    const e = publicError(found, this.#exposeErrorDetail);
    const out = encodeError(e, this.#codecs.negotiate(ctx.req.headers.accept), ctx);
    const closing = this.#draining || e.code === 413 || !ctx.req.complete; // an unread body must not become the next request
    writeReply(ctx.res, httpStatus(out.status ?? e.code), out, closing, ctx.req.method === 'HEAD');
    if (!ctx.req.complete) closeAfterReply(ctx.req, ctx.res);
  }

  #noRoute(req: IncomingMessage, res: ServerResponse, method: string, path: string, allowed: string[]): void {
    if (allowed.length > 0) res.setHeader('allow', allowed.join(', '));
    if (allowed.length > 0 && method === 'OPTIONS') return writeReply(res, 204, undefined, this.#draining, false);
    const e = allowed.length === 0 ? new KratosError(404, 'NOT_FOUND', `no route for ${method} ${path}`) : new KratosError(405, 'METHOD_NOT_ALLOWED', `method ${method} not allowed for ${path}`);
    const out = this.#codec.encodeError(e, this.#codecs.negotiate(req.headers.accept), new HttpContext(req, res, path, this.#endpoint, undefined));
    writeReply(res, httpStatus(out.status ?? e.code), out, this.#draining, method === 'HEAD');
  }
}

const CONTEXT = Symbol('kratos-ts/http/context');
type ResponseWithContext = ServerResponse & { [CONTEXT]?: HttpContext };

// Shared listener (no closure per request): a response closed before it finished means the client left.
function onResponseClose(this: ResponseWithContext): void {
  const ctx = this[CONTEXT];
  if (ctx !== undefined && !this.writableFinished) ctx.abandon('closed');
}

function timeoutError(ms: number): KratosError {
  return new KratosError(504, 'TIMEOUT', `request timeout after ${ms}ms`);
}
