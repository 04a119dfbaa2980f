import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { defaultCodecs } from '../../encoding/index.js';
import { FrameworkError, KratosError, toKratosError } from '../../errors/index.js';
import { advertisedHost, DeadlineQueue, formatHostPort, lazyRequire, parseAddress } from '../../internal/index.js';
import { NoopLogger } from '../../log/index.js';
import { runWithContext } from '../context.js';
import { bindParams, bindQuery, decodePlainBody, readBody } from './body.js';
import { HttpContext } from './http-context.js';
import { ConnectionTracker } from './connections.js';
import { errorBody, httpStatus, writeReply } from './reply.js';
import { absolutePath, onClientError } from './request-errors.js';
import { RouteTable } from './route-table.js';
export const DEFAULT_HTTP_OPTIONS = { addr: '0.0.0.0:0', timeout: 1000, bodyLimit: 1 << 20 };
// Koa serves only apps with filters; the others never load it (start-up time and memory).
const loadKoa = lazyRequire('koa');
const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);
const EMPTY = Buffer.alloc(0);
/**
 * The HTTP transport on Koa: routes from descriptors, each request dispatched once to its prepared
 * handler, replies and Kratos error bodies written straight to the response, graceful stop.
 */
export class HttpServer {
    #routes = new RouteTable();
    #addr;
    #timeout;
    #bodyLimit;
    #logger;
    #tls;
    #deadlines = new DeadlineQueue();
    #codecs;
    #json;
    #limits;
    #filters;
    #onExpire = (ctx) => this.#writeError(ctx, timeoutError(this.#timeout));
    #server;
    #connections;
    #endpoint = '';
    #port = 0;
    #inFlight = 0;
    #draining = false;
    #stopped;
    constructor(options = {}) {
        this.#addr = parseAddress(options.addr ?? DEFAULT_HTTP_OPTIONS.addr);
        this.#timeout = options.timeout ?? DEFAULT_HTTP_OPTIONS.timeout;
        this.#bodyLimit = options.bodyLimit ?? DEFAULT_HTTP_OPTIONS.bodyLimit;
        this.#logger = options.logger ?? new NoopLogger();
        this.#tls = options.tls;
        this.#codecs = options.codecs ?? defaultCodecs();
        this.#json = this.#codecs.get('json');
        this.#limits = {
            maxHeaderSize: options.maxHeaderSize ?? 16 * 1024,
            headersTimeout: options.headersTimeout ?? 10_000,
            requestTimeout: options.requestTimeout ?? 30_000,
        };
        this.#filters = options.filters ?? [];
    }
    /** Adds a route; before start(). Duplicates and malformed paths fail with a coded error. */
    route(route) {
        this.#routes.add(route);
    }
    get port() {
        return this.#port;
    }
    get host() {
        return this.#addr.host;
    }
    /** Requests being served now. */
    get inFlight() {
        return this.#inFlight;
    }
    endpoint() {
        return this.#endpoint;
    }
    async start() {
        const callback = this.#filters.length === 0 ? this.#serve : this.#koa();
        const l = this.#limits;
        // node checks these timeouts only every connectionsCheckingInterval (30 s by default): check often enough to matter.
        const limits = { ...l, connectionsCheckingInterval: Math.max(100, Math.min(1000, l.headersTimeout / 2)) };
        const server = this.#tls === undefined ? createHttpServer(limits, callback) : createHttpsServer({ ...this.#tls, ...limits }, callback);
        server.on('clientError', onClientError);
        this.#connections = new ConnectionTracker(server);
        await new Promise((resolve, reject) => {
            server.once('error', (err) => reject(new FrameworkError('KRATOS_ERR_ADDRESS_INVALID', `cannot listen on ${formatHostPort(this.#addr.host, this.#addr.port)}: ${err.code ?? err.message}`, { cause: err })));
            server.listen(this.#addr.port, this.#addr.host, () => resolve());
        });
        this.#server = server;
        this.#port = server.address().port;
        const scheme = this.#tls === undefined ? 'http' : 'https';
        this.#endpoint = `${scheme}://${formatHostPort(advertisedHost(this.#addr.host), this.#port)}`;
    }
    // Filters are Koa middleware, so with filters every request runs through Koa first; without any,
    // Koa's per-request context would be built only to be bypassed, so requests come straight here.
    #koa() {
        const KoaApp = loadKoa();
        const koa = new KoaApp();
        koa.silent = true;
        for (const f of this.#filters)
            koa.use(f);
        koa.use((kctx) => {
            kctx.respond = false;
            return this.#dispatch(kctx.req, kctx.res, kctx.method, kctx.path, kctx.querystring);
        });
        return koa.callback();
    }
    #serve = (req, res) => {
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        let path = q === -1 ? url : url.slice(0, q);
        const query = q === -1 ? '' : url.slice(q + 1);
        // An absolute-form target (`GET http://host/p`) routes by its path, as Koa does.
        if (!path.startsWith('/'))
            path = absolutePath(path);
        this.#dispatch(req, res, req.method ?? 'GET', path, query).catch((err) => {
            this.#logger.log('error', 'msg', 'request failed', 'error', err);
            if (!res.headersSent)
                res.writeHead(500).end();
        });
    };
    /**
     * Stops accepting, lets requests in flight finish (their responses close the connection), closes
     * idle keep-alive connections now, and destroys what is left at `deadline`.
     */
    stop(deadline) {
        if (this.#server === undefined)
            return Promise.resolve();
        this.#stopped ??= this.#stop(this.#server, this.#connections, deadline);
        return this.#stopped;
    }
    async #stop(server, connections, deadline) {
        this.#draining = true;
        const closed = new Promise((resolve) => server.close(() => resolve()));
        connections.closeIdle();
        const timer = deadline === undefined ? undefined : setTimeout(() => connections.destroyAll(), Math.max(0, deadline - Date.now()));
        await closed;
        if (timer !== undefined)
            clearTimeout(timer);
        this.#deadlines.close();
    }
    async #dispatch(req, res, method, path, query) {
        const found = this.#routes.lookup(method, path);
        if (found.match === undefined)
            return this.#noRoute(req, res, method, path, found.allowed);
        const { route } = found.match;
        const deadline = this.#timeout > 0 ? Date.now() + this.#timeout : undefined;
        const ctx = new HttpContext(req, res, route.operation, this.#endpoint, deadline);
        this.#inFlight++;
        res.once('close', onResponseClose);
        res[CONTEXT] = ctx;
        if (deadline !== undefined) {
            ctx.onExpire = this.#onExpire;
            this.#deadlines.add(ctx);
        }
        try {
            let request;
            let handler = route.handler;
            try {
                // Most requests have no body: bind them without waiting a turn.
                const bound = this.#bind(req, method, query, found.match);
                request = bound instanceof Promise ? await bound : bound;
            }
            catch (err) {
                if (route.onBindError === undefined)
                    throw err;
                ctx.bindError = err;
                handler = route.onBindError;
            }
            const reply = await runWithContext(ctx, () => handler(request, ctx));
            if (ctx.abandoned === undefined)
                writeReply(res, 200, this.#encode(route, reply, req), this.#draining, method === 'HEAD');
        }
        catch (err) {
            if (ctx.abandoned === undefined)
                this.#writeError(ctx, err);
        }
        finally {
            this.#deadlines.remove(ctx);
            this.#inFlight--;
        }
    }
    #bind(req, method, query, match) {
        const hasBody = !BODYLESS.has(method) || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
        if (!hasBody)
            return this.#decode(req, EMPTY, query, match);
        return readBody(req, this.#bodyLimit).then((body) => this.#decode(req, body, query, match));
    }
    #decode(req, body, query, match) {
        const contentType = req.headers['content-type'];
        const raw = {
            body,
            // A body without a Content-Type is read as JSON, the format clients most often forget to name.
            codec: contentType === undefined ? this.#json : this.#codecs.forContentType(contentType),
            contentType,
            query,
            params: match.params,
        };
        if (match.route.bind !== undefined)
            return match.route.bind(raw);
        const request = decodePlainBody(raw);
        bindQuery(request, query);
        bindParams(request, match.params);
        return request;
    }
    #encode(route, reply, req) {
        if (route.raw === true) {
            const r = reply;
            return { contentType: r.contentType, bytes: Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body) };
        }
        const codec = this.#codecs.forAccept(req.headers.accept);
        if (route.reply === undefined) {
            if (reply === undefined || reply === null)
                return undefined;
            return { contentType: codec.contentType, bytes: codec.marshal(reply) };
        }
        const { type, field, toPlain } = route.reply;
        let value = reply;
        for (const f of field ?? [])
            value = value?.[f];
        if (toPlain !== undefined)
            return { contentType: codec.contentType, bytes: codec.marshal(toPlain(value)) };
        return { contentType: codec.contentType, bytes: codec.marshal(value ?? (type === undefined ? null : {}), type) };
    }
    #writeError(ctx, err) {
        const e = toKratosError(err);
        if (!KratosError.isKratosError(err) && e.cause === err) {
            this.#logger.log('error', 'msg', 'request failed', 'operation', ctx.operation, 'error', err);
        }
        // A body we stopped reading must not be parsed as the next request on this connection.
        const closing = this.#draining || e.code === 413;
        writeReply(ctx.res, httpStatus(e.code), errorBody(e, this.#codecs.forAccept(ctx.req.headers.accept), this.#json), closing, ctx.req.method === 'HEAD');
    }
    #noRoute(req, res, method, path, allowed) {
        const codec = this.#codecs.forAccept(req.headers.accept);
        if (allowed.length === 0) {
            const e = new KratosError(404, 'NOT_FOUND', `no route for ${method} ${path}`);
            writeReply(res, 404, errorBody(e, codec, this.#json), this.#draining, method === 'HEAD');
            return;
        }
        res.setHeader('allow', allowed.join(', '));
        if (method === 'OPTIONS')
            return writeReply(res, 204, undefined, this.#draining, false);
        const e = new KratosError(405, 'METHOD_NOT_ALLOWED', `method ${method} not allowed for ${path}`);
        writeReply(res, 405, errorBody(e, codec, this.#json), this.#draining, method === 'HEAD');
    }
}
const CONTEXT = Symbol('kratos-ts/http/context');
// Shared listener (no closure per request): a response closed before it finished means the client left.
function onResponseClose() {
    const ctx = this[CONTEXT];
    if (ctx !== undefined && !this.writableFinished)
        ctx.abandon('closed');
}
function timeoutError(ms) {
    return new KratosError(504, 'TIMEOUT', `request timeout after ${ms}ms`);
}
