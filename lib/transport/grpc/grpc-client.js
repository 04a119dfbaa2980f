import { credentials, Metadata } from '@grpc/grpc-js';
import { fromGrpcStatus, KratosError } from '../../errors/index.js';
import { chain, metadataClient } from '../../middleware/index.js';
import { ClientContext, outgoingDeadline } from '../client-context.js';
import { parseEndpoint } from '../endpoint.js';
import { unreached } from '../resolver.js';
import { channelPool } from './channel-pool.js';
import { ProtoLoader } from '../../proto/index.js';
import { methodDefinition } from './method.js';
import { MetadataHeader } from './metadata-header.js';
function lowerFirst(s) {
    return s.charAt(0).toLowerCase() + s.slice(1);
}
function channelCredentials(tls, scheme) {
    if (tls === undefined)
        return scheme === 'grpcs' ? credentials.createSsl() : credentials.createInsecure();
    if (tls === true)
        return credentials.createSsl();
    const b = (v) => (v === undefined ? null : Buffer.from(v));
    return credentials.createSsl(b(tls.ca), b(tls.key), b(tls.cert));
}
// The address a call last failed on, so a retry goes elsewhere.
const failedOn = new WeakMap();
// A call we cancelled ourselves (deadline, caller's signal) fails with our reason, not CANCELLED.
function failure(err, ctx) {
    const reason = ctx.signal.reason;
    if (ctx.signal.aborted && KratosError.isKratosError(reason))
        return reason;
    return fromGrpcStatus(err);
}
async function* mapErrors(stream, ctx, done, early) {
    try {
        for await (const msg of stream)
            yield msg;
        // grpc-js emits errors without destroying the stream, so one emitted before reading ends the loop quietly.
        const e = early();
        if (e !== undefined)
            throw e;
        done();
    }
    catch (err) {
        const e = failure(err, ctx);
        done(e);
        throw e;
    }
    finally {
        ctx.done();
    }
}
async function pump(input, call) {
    const items = Symbol.asyncIterator in input || Symbol.iterator in input ? input : [input];
    for await (const item of items) {
        if (!call.write(item))
            await new Promise((r) => call.once('drain', r));
    }
    call.end();
}
/**
 * A gRPC client for `service` (§2.6): promise unary calls, AsyncIterable streams, per-call timeout with
 * deadline propagation, client middleware, reply headers, and errors restored as Kratos errors. One
 * channel per address, reused by every call; `direct:///` lists are used round robin.
 */
export function createGrpcClient(target, options) {
    const service = 'proto' in target ? new ProtoLoader({ protoPaths: target.protoPaths ?? target.includeDirs ?? [] }).serviceSync(target.proto, target.name) : target;
    const endpoint = parseEndpoint(options.endpoint, 'grpc');
    const creds = channelCredentials(options.tls, endpoint.scheme);
    const channelOptions = {};
    if (options.maxReceiveMessageLength !== undefined)
        channelOptions['grpc.max_receive_message_length'] = options.maxReceiveMessageLength;
    if (options.maxSendMessageLength !== undefined)
        channelOptions['grpc.max_send_message_length'] = options.maxSendMessageLength;
    const discovery = options.discovery === undefined ? undefined : {
        discovery: options.discovery,
        ...(options.balancer === undefined ? {} : { balancer: options.balancer }),
        ...(options.nodeFilters === undefined ? {} : { filters: options.nodeFilters }),
        ...(options.subsetSize === undefined ? {} : { subsetSize: options.subsetSize }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
    };
    const pool = channelPool(endpoint, creds, channelOptions, discovery, options.tls !== undefined || endpoint.scheme === 'grpcs');
    const timeout = options.timeout ?? 2000;
    const builtin = options.callMetadata === false ? [] : [metadataClient(options.callMetadata ?? {})];
    const wrap = chain(...builtin, ...(options.middleware ?? []));
    const client = { close: () => pool.close() };
    for (const m of service.methods) {
        const def = methodDefinition(m);
        const invoke = async (req, context) => {
            const ctx = context;
            const md = ctx.requestHeader.metadata;
            const callOpts = ctx.deadline === undefined ? {} : { deadline: ctx.deadline };
            const lease = await pool.acquire(ctx.deadline, failedOn.get(ctx));
            const c = lease.client;
            const onHeaders = (h) => {
                for (const [k, v] of Object.entries(h.getMap()))
                    ctx.replyHeader.add(k, typeof v === 'string' ? v : v.toString('base64'));
            };
            if (!m.responseStream) {
                return new Promise((resolve, reject) => {
                    const cb = (err, reply) => {
                        const e = err === null ? undefined : failure(err, ctx);
                        lease.done(e);
                        if (e !== undefined)
                            failedOn.set(ctx, lease.address);
                        if (e === undefined)
                            resolve(reply);
                        else
                            reject(e);
                    };
                    const call = m.requestStream
                        ? c.makeClientStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, md, callOpts, cb)
                        : c.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, req, md, callOpts, cb);
                    call.on('metadata', onHeaders);
                    ctx.signal.addEventListener('abort', () => call.cancel(), { once: true });
                    if (m.requestStream)
                        pump(req, call).catch(reject);
                });
            }
            const call = m.requestStream
                ? c.makeBidiStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, md, callOpts)
                : c.makeServerStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, req, md, callOpts);
            call.on('metadata', onHeaders);
            // The stream may fail before the caller starts reading: keep the error for the iterator, not as uncaught.
            let early;
            call.on('error', (e) => (early ??= e));
            ctx.signal.addEventListener('abort', () => call.cancel(), { once: true });
            if (m.requestStream)
                pump(req, call).catch((err) => call.destroy(err));
            return mapErrors(call, ctx, lease.done, () => early);
        };
        // A unary call that never reached a server (node gone, refused) is tried once more on another node.
        const retrying = m.requestStream || m.responseStream ? invoke : async (req, ctx) => {
            try {
                return await invoke(req, ctx);
            }
            catch (err) {
                if (!unreached(err) || ctx.signal.aborted)
                    throw err;
                return invoke(req, ctx);
            }
        };
        const handler = wrap(retrying);
        client[lowerFirst(m.name)] = (req, opts = {}) => {
            const request = new MetadataHeader(new Metadata());
            for (const [k, v] of Object.entries(opts.headers ?? {}))
                for (const x of Array.isArray(v) ? v : [v])
                    request.add(k, x);
            const ctx = new ClientContext('grpc', m.operation, options.endpoint, { request, reply: opts.replyHeader ?? new MetadataHeader() }, outgoingDeadline(opts.timeout ?? timeout), opts);
            const result = handler(req, ctx);
            if (!m.responseStream)
                return result.finally(() => ctx.done());
            return streamOf(result);
        };
    }
    return client;
}
// Stream methods return an AsyncIterable at once; the chain's promise settles into it.
async function* streamOf(pending) {
    const it = (await pending);
    if (it === null || typeof it !== 'object' || !(Symbol.asyncIterator in it)) {
        throw new KratosError(500, 'UNKNOWN', 'client middleware must return the stream it was given');
    }
    yield* it;
}
