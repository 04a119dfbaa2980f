import { createServer as createHttpServer, type IncomingMessage, type Server as NodeServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { defaultCodecs, type Codec, type CodecRegistry, type Negotiated } from '../../encoding/index.js';
import { FrameworkError, KratosError, publicError, toKratosError } from '../../errors/index.js';
import { advertisedHost, DeadlineQueue, formatHostPort, parseAddress } from '../../internal/index.js';
import { NoopLogger, type Logger } from '../../log/index.js';
import { callRunner, type CallRunner } from '../context.js';
import { RefusedRequest } from '../refused.js';
import type { Server } from '../server.js';
import { badPercentEncoding, bodyLimitFor, markupLimit, readBody, takenBodiless } from './body.js';
import { codecResponseEncoder, guardedErrorEncoder, plainRequestDecoder, rawResponseEncoder, statusErrorEncoder, type ErrorEncoder, type HttpCodecOptions } from './codecs.js';
import type { Admission } from '../admission.js';
import { frontDoor } from './front-door.js';
import { HttpContext } from './http-context.js';
import { closeAfterReply, ConnectionTracker } from './connections.js';
import { throughFilters } from './filters.js';
import { httpStatus, sendReply, writeReply, writeStream } from './reply.js';
import { isThenable } from '../direct-call.js';
import { absolutePath, onClientError, timeoutError } from './request-errors.js';
import { DEFAULT_HTTP_OPTIONS, type HttpFilter, type HttpServerOptions } from './server-options.js';
import { mountedCall, RouteTable, type HttpProtocol, type HttpRoute, type MountedRoute, type RouteMatch } from './route-table.js';

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
  readonly #run: CallRunner;
  readonly #ambient: boolean; // else handlers run as plain calls, with no closure per request
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
    this.#run = callRunner((this.#ambient = options.ambientContext !== false));
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
    this.#routes.add({ ...route, decode: route.decode ?? d.decode, encode, encodeError: route.encodeError === undefined ? d.encodeError : this.#guard(route.encodeError), call: mountedCall(route) });
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
    const served = this.#filters.length === 0 ? this.#serve : throughFilters(this.#filters, (req, res, method, path, query) => this.#dispatch(req, res, method, path, query));
    const callback = frontDoor(served, this.#caps.admission, { codecs: this.#codecs, encodeError: this.#codec.encodeError, exposeErrorDetail: this.#exposeErrorDetail, endpoint: () => this.#endpoint, draining: () => this.#draining, claimedByProtocol: (req, path) => this.#protocol?.claims(req, req.method ?? '', path) === true });
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

  // The request listener of node:http (the one entry of every request when there are no filters).
  readonly #serve = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    // An absolute-form target (`GET http://host/p`) routes by its path, as Koa does.
    if (path.charCodeAt(0) !== 47 /* / */) path = absolutePath(path);
    this.#dispatch(req, res, req.method ?? 'GET', path, query);
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

  /**
   * Serves one request. Each step runs synchronously as far as it can and continues on a promise only
   * when one is pending (a body to read, an async handler); every failure ends in a reply here, so
   * the returned promise (undefined when all is done) never rejects: Koa filters await it.
   */
  #dispatch(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string): Promise<void> | undefined {
    try {
      if (method !== 'GET' && this.#protocol?.claims(req, method, path) === true) {
        return this.#protocol.serve(req, res, path, this.#endpoint).catch((err: unknown) => this.#lastResort(res, err));
      }
      const match = this.#routes.lookup(method, path);
      if (match === undefined) return this.#noRoute(req, res, method, path);
      return this.#begin(req, res, method, query, match);
    } catch (err) {
      this.#lastResort(res, err);
      return undefined;
    }
  }

  // Failures the route's own error path could not answer (a throwing protocol or encoder).
  #lastResort(res: ServerResponse, err: unknown): void {
    this.#logger.log('error', 'msg', 'request failed', 'error', err);
    if (!res.headersSent) res.writeHead(500).end();
  }

  #begin(req: IncomingMessage, res: ServerResponse, method: string, query: string, match: RouteMatch): Promise<void> | undefined {
    const { route } = match;
    const deadline = this.#timeout > 0 && route.stream !== true ? Date.now() + this.#timeout : undefined;
    const ctx = new HttpContext(req, res, route.operation, this.#endpoint, deadline);
    ctx.unaryReply = route.stream !== true;
    this.#inFlight++;
    if (deadline !== undefined) {
      ctx.errorEncoder = route.encodeError;
      ctx.onExpire = this.#onExpire;
      this.#deadlines.add(ctx);
    }
    let decoded: unknown;
    try {
      // Most requests have no body: decode them without waiting a turn.
      decoded = this.#decode(req, ctx, method, query, match);
    } catch (err) {
      return this.#refused(ctx, route, err);
    }
    if (decoded instanceof Promise) return decoded.then((request: unknown) => this.#call(ctx, route, request), (err: unknown) => this.#refused(ctx, route, err));
    return this.#call(ctx, route, decoded);
  }

  // A refused request runs through the route's chain, whose first step throws the error.
  #refused(ctx: HttpContext, route: MountedRoute, err: unknown): Promise<void> | undefined {
    if (route.acceptsRefused === true) return this.#call(ctx, route, new RefusedRequest(err));
    this.#fail(ctx, route, err);
    return undefined;
  }

  #call(ctx: HttpContext, route: MountedRoute, request: unknown): Promise<void> | undefined {
    let reply: unknown;
    try {
      reply = this.#ambient ? this.#run(ctx, () => route.call(request, ctx)) : route.call(request, ctx);
    } catch (err) {
      this.#fail(ctx, route, err);
      return undefined;
    }
    // Pulled in the call's context too, so a handler's later steps still see it.
    if (route.stream === true) return this.#run(ctx, () => this.#stream(ctx, route, reply));
    if (!isThenable(reply)) return this.#reply(ctx, route, reply);
    return Promise.resolve(reply).then((r: unknown) => this.#reply(ctx, route, r), (err: unknown) => this.#fail(ctx, route, err));
  }

  #reply(ctx: HttpContext, route: MountedRoute, reply: unknown): undefined {
    try {
      if (ctx.abandoned === undefined) sendReply(ctx, route.encode, reply, this.#codecs.negotiate(ctx.req.headers.accept), this.#draining);
    } catch (err) {
      return ctx.req.complete ? this.#fail(ctx, route, err) : void queueMicrotask(() => this.#fail(ctx, route, err)); // in the request's head (a direct call): answered once node has read it, as before
    }
    return this.#done(ctx);
  }

  #stream(ctx: HttpContext, route: MountedRoute, reply: unknown): Promise<void> {
    const written = Promise.resolve(reply).then((out) => writeStream(ctx, route, out, this.#jsonReply, this.#logger));
    return written.then(() => this.#done(ctx), (err: unknown) => this.#fail(ctx, route, err));
  }

  #fail(ctx: HttpContext, route: MountedRoute, err: unknown): undefined {
    try {
      if (ctx.abandoned === undefined) this.#writeError(ctx, route.encodeError, err);
    } catch (failure) {
      this.#lastResort(ctx.res, failure);
    }
    return this.#done(ctx);
  }

  #done(ctx: HttpContext): undefined {
    this.#deadlines.remove(ctx);
    this.#inFlight--;
    return undefined;
  }

  #decode(req: IncomingMessage, ctx: HttpContext, method: string, query: string, match: RouteMatch): unknown {
    if (takenBodiless(req, method)) return this.#decodeRead(req, ctx, EMPTY, query, match);
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

  #noRoute(req: IncomingMessage, res: ServerResponse, method: string, path: string): undefined {
    takenBodiless(req, method);
    const allowed = this.#routes.allowed(path);
    if (allowed.length > 0) res.setHeader('allow', allowed.join(', '));
    if (allowed.length > 0 && method === 'OPTIONS') {
      writeReply(res, 204, undefined, this.#draining, false);
      return undefined;
    }
    const e = allowed.length === 0 ? new KratosError(404, 'NOT_FOUND', `no route for ${method} ${path}`) : new KratosError(405, 'METHOD_NOT_ALLOWED', `method ${method} not allowed for ${path}`);
    const out = this.#codec.encodeError(e, this.#codecs.negotiate(req.headers.accept), new HttpContext(req, res, path, this.#endpoint, undefined));
    writeReply(res, httpStatus(out.status ?? e.code), out, this.#draining, method === 'HEAD');
    return undefined;
  }
}
