import { once } from 'node:events';
import { Metadata, } from '@grpc/grpc-js';
import { findKratosError, KratosError, STATUS_DETAILS_KEY, toGrpcStatus } from '../../errors/index.js';
import { runWithContext } from '../context.js';
import { GrpcContext } from './grpc-context.js';
function deadlineOf(call, serverTimeout) {
    const d = call.getDeadline();
    const client = d instanceof Date ? d.getTime() : Number.isFinite(d) ? Number(d) : undefined;
    const server = serverTimeout > 0 ? Date.now() + serverTimeout : undefined;
    if (client === undefined || (server !== undefined && server <= client))
        return { deadline: server, byServer: server !== undefined };
    return { deadline: client, byServer: false };
}
function deadlineError() {
    return new KratosError(504, 'DEADLINE_EXCEEDED', 'deadline exceeded');
}
/**
 * Wires a call's cancellation and deadline to its context. Deadlines set by the server's timeout
 * arrive in call order and share the server's queue; an earlier client deadline gets its own timer.
 */
function watch(call, ctx, env, byServer, onDeadline) {
    ctx.onCancelled = () => ctx.abort(new KratosError(499, 'CANCELLED', 'call cancelled by the client'));
    call.once('cancelled', ctx.onCancelled);
    if (ctx.deadline === undefined)
        return;
    ctx.onExpire = () => {
        ctx.abort(deadlineError());
        onDeadline();
    };
    if (byServer)
        env.deadlines.add(ctx);
    else
        ctx.timer = setTimeout(() => ctx.expire(), Math.max(0, ctx.deadline - Date.now()));
}
function unwatch(call, ctx, env) {
    if (ctx.onCancelled !== undefined)
        call.off('cancelled', ctx.onCancelled);
    env.deadlines.remove(ctx);
    if (ctx.timer !== undefined)
        clearTimeout(ctx.timer);
}
/** The grpc-js status object for an error, details in `grpc-status-details-bin` (§4). */
function statusOf(err, ctx, env) {
    if (findKratosError(err) === undefined)
        env.logger.log('error', 'msg', 'request failed', 'operation', ctx.operation, 'error', err);
    const s = toGrpcStatus(err);
    const metadata = new Metadata();
    metadata.set(STATUS_DETAILS_KEY, s.statusDetails);
    return { code: s.code, details: s.details, metadata };
}
function sendHeaders(call, ctx) {
    if (ctx.headersSent)
        return;
    ctx.headersSent = true;
    const header = ctx.replyHeaderIfSet;
    if (header !== undefined)
        call.sendMetadata(header.metadata);
}
// A client stream as an AsyncIterable that ends when the call is cancelled. The default iterator
// destroys the stream when it finishes, which for a bidi call would kill the reply side too.
async function* incoming(call, ctx) {
    for await (const msg of call.iterator({ destroyOnReturn: false })) {
        if (ctx.aborted)
            return;
        yield msg;
    }
}
async function writeAll(call, ctx, out) {
    if (out === null || typeof out !== 'object' || !(Symbol.asyncIterator in out || Symbol.iterator in out)) {
        throw new KratosError(500, 'UNKNOWN', `${ctx.operation}: a streaming handler must return an iterable`);
    }
    for await (const item of out) {
        if (ctx.aborted)
            return;
        sendHeaders(call, ctx);
        if (!call.write(item))
            await Promise.race([once(call, 'drain'), once(ctx.signal, 'abort')]);
    }
}
/** The grpc-js handler for `m`, running its chain once per call whatever the call kind. */
export function callHandler(m, env) {
    const { schema, handler } = m;
    const streamTimeout = schema.responseStream ? 0 : env.timeout;
    if (!schema.responseStream) {
        return (call, callback) => {
            const { deadline, byServer } = deadlineOf(call, streamTimeout);
            const ctx = new GrpcContext(schema.operation, env.endpoint, call.metadata, deadline);
            let done = false;
            const finish = (err, reply) => {
                if (done)
                    return;
                done = true;
                unwatch(call, ctx, env);
                if (err !== undefined)
                    return callback(statusOf(err, ctx, env));
                sendHeaders(call, ctx);
                callback(null, reply);
            };
            watch(call, ctx, env, byServer, () => finish(deadlineError()));
            const req = schema.requestStream ? incoming(call, ctx) : call.request;
            runWithContext(ctx, () => handler(req, ctx)).then((reply) => finish(undefined, reply), (err) => finish(err ?? new Error('rejected')));
        };
    }
    return (call) => {
        const { deadline, byServer } = deadlineOf(call, 0);
        const ctx = new GrpcContext(schema.operation, env.endpoint, call.metadata, deadline);
        let done = false;
        const fail = (err) => {
            if (done)
                return;
            done = true;
            unwatch(call, ctx, env);
            call.emit('error', statusOf(err, ctx, env));
        };
        watch(call, ctx, env, byServer, () => fail(deadlineError()));
        const req = schema.requestStream ? incoming(call, ctx) : call.request;
        runWithContext(ctx, async () => writeAll(call, ctx, await handler(req, ctx))).then(() => {
            if (done)
                return;
            done = true;
            unwatch(call, ctx, env);
            sendHeaders(call, ctx);
            call.end();
        }, (err) => fail(err ?? new Error('rejected')));
    };
}
