/**
 * True for a streamed value: an AsyncIterable request or reply.
 * @internal
 */
export function isStream(value) {
    return typeof value === 'object' && value !== null && typeof value[Symbol.asyncIterator] === 'function';
}
/**
 * Runs `call` and reports its end to `done` exactly once. A streamed reply has not ended when the
 * handler returns, so it is wrapped and reported when it finishes, fails or is abandoned; otherwise a
 * bulkhead slot or a limiter's in-flight count would be released while the stream is still running.
 * @internal
 */
export async function runSettled(call, done, signal) {
    let reply;
    try {
        reply = await call();
    }
    catch (err) {
        done(err);
        throw err;
    }
    if (!isStream(reply)) {
        done();
        return reply;
    }
    return settleStream(reply, done, signal);
}
/**
 * Wraps `source` so `done` runs when it ends. A hand-written iterator rather than a generator: a
 * generator's cleanup never runs when `return()` is called before the first `next()`, which is
 * exactly what a transport does to a stream it cancels early.
 */
function settleStream(source, done, signal) {
    let it;
    let ended = false;
    const end = (err) => {
        if (ended)
            return;
        ended = true;
        done(err);
    };
    const source$ = () => (it ??= source[Symbol.asyncIterator]());
    const wrapper = {
        [Symbol.asyncIterator]: () => wrapper,
        async next() {
            try {
                const step = await source$().next();
                if (step.done === true)
                    end();
                return step;
            }
            catch (err) {
                end(err);
                throw err;
            }
        },
        async return(value) {
            // A consumer that stops early after a cancellation reports the cancellation; a deliberate stop is a success.
            end(signal?.aborted === true ? signal.reason : undefined);
            // Even a source never read is told, so it can release what it holds (a socket, a cursor).
            const step = await source$().return?.(value);
            return step ?? { done: true, value };
        },
        async throw(err) {
            end(err);
            if (it?.throw !== undefined)
                return it.throw(err);
            throw err;
        },
    };
    return wrapper;
}
