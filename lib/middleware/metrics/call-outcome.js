/** True for an AsyncIterable reply: a server- or bidi-streaming handler's messages. */
export function isAsyncIterable(value) {
    return typeof value === 'object' && value !== null && typeof value[Symbol.asyncIterator] === 'function';
}
/**
 * Runs `run` and reports the call's end to `end` exactly once. A streaming reply is a call that has
 * not ended yet: it is wrapped so the end is reported when the stream finishes, fails or is abandoned,
 * which is what both latency and outcome mean for a stream.
 */
export async function observeCall(run, ctx, end, scope) {
    let reply;
    try {
        reply = await (scope === undefined ? run() : scope(run));
    }
    catch (err) {
        end(err);
        throw err;
    }
    if (!isAsyncIterable(reply)) {
        end(undefined);
        return reply;
    }
    return observeStream(reply, ctx, end, scope);
}
async function* observeStream(source, ctx, end, scope) {
    const it = source[Symbol.asyncIterator]();
    // A generator's body runs in the async context of whoever calls next(), which is the transport,
    // so each pull re-enters the scope for the handler's code to see, e.g., its span as active.
    const pull = scope === undefined ? () => it.next() : () => scope(() => it.next());
    let reported = false;
    try {
        for (;;) {
            const step = await pull();
            if (step.done === true) {
                reported = true;
                end(undefined);
                return;
            }
            yield step.value;
        }
    }
    catch (err) {
        if (!reported) {
            reported = true;
            end(err);
        }
        throw err;
    }
    finally {
        if (!reported) {
            // The consumer stopped early: a cancelled call counts as its cancellation, a deliberate stop as success.
            end(ctx.signal.aborted ? ctx.signal.reason : undefined);
            await it.return?.()?.catch(() => undefined);
        }
    }
}
