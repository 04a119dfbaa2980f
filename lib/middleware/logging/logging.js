import { findKratosError, toKratosError } from '../../errors/index.js';
function isStream(v) {
    return typeof v === 'object' && v !== null && Symbol.asyncIterator in v;
}
// Bytes as their length and bigints as digits; a replacer slows stringify down, so it is used only when needed.
const readable = (_k, x) => (x instanceof Uint8Array ? `<${x.length} bytes>` : typeof x === 'bigint' ? String(x) : x);
/** True for an object without nested objects or bigints (most requests), which stringify needs no help with. */
function isFlat(v) {
    if (typeof v !== 'object' || v === null)
        return typeof v !== 'bigint';
    for (const k in v) {
        const x = v[k];
        if (typeof x === 'object' ? x !== null : typeof x === 'bigint')
            return false;
    }
    return true;
}
/** The request as logged: its redact() if it has one, else JSON, truncated. */
function argsOf(req, max) {
    if (isStream(req))
        return '<stream>';
    const r = req;
    let text;
    try {
        const v = typeof r?.redact === 'function' ? r.redact() : req;
        text = typeof v === 'string' ? v : ((isFlat(v) ? JSON.stringify(v) : JSON.stringify(v, readable)) ?? '');
    }
    catch {
        text = String(req);
    }
    return text.length > max ? `${text.slice(0, max)}...` : text;
}
function record(logger, kind, ctx, args, start, err) {
    const latency = (performance.now() - start) / 1000;
    if (err === undefined) {
        logger.log('info', 'kind', kind, 'component', ctx.kind, 'operation', ctx.operation, 'args', args, 'code', 200, 'reason', '', 'stack', '', 'latency', latency);
        return;
    }
    const e = toKratosError(err);
    // For an error recovery replaced, the stack worth reading is the original's.
    const origin = findKratosError(err) === e && e.cause instanceof Error ? e.cause : err;
    const stack = origin instanceof Error ? (origin.stack ?? String(origin)) : String(origin);
    logger.log('error', 'kind', kind, 'component', ctx.kind, 'operation', ctx.operation, 'args', args, 'code', e.code, 'reason', e.reason, 'stack', stack, 'latency', latency);
}
// A streamed reply is logged when the stream ends, so one call makes one line.
async function* logAtEnd(stream, done) {
    try {
        yield* stream;
    }
    catch (err) {
        done(err);
        throw err;
    }
    done(undefined);
}
function logging(kind, logger, options) {
    const max = options.maxArgs ?? 512;
    return (next) => async (req, ctx) => {
        // Off the hot path when nothing would be written.
        if (!logger.enabled('error'))
            return next(req, ctx);
        const start = performance.now();
        const args = logger.enabled('info') ? argsOf(req, max) : '';
        let reply;
        try {
            reply = await next(req, ctx);
        }
        catch (err) {
            record(logger, kind, ctx, args, start, err);
            throw err;
        }
        if (isStream(reply))
            return logAtEnd(reply, (err) => (err !== undefined || logger.enabled('info') ? record(logger, kind, ctx, args, start, err) : undefined));
        if (logger.enabled('info'))
            record(logger, kind, ctx, args, start, undefined);
        return reply;
    };
}
/** Server middleware (§6): one line per call with kind, component, operation, args, code, reason, stack, latency. */
export function loggingServer(logger, options = {}) {
    return logging('server', logger, options);
}
/** Client middleware (§6): the same line for outgoing calls. */
export function loggingClient(logger, options = {}) {
    return logging('client', logger, options);
}
