/** Told once how a call ended: `undefined` for success, else the error. */
export type SettledCallback = (err?: unknown) => void;

/**
 * True for a streamed value: an AsyncIterable request or reply.
 * @internal
 */
export function isStream(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
}

/**
 * Runs `call` and reports its end to `done` exactly once. A streamed reply has not ended when the
 * handler returns, so it is wrapped and reported when it finishes, fails or is abandoned; otherwise a
 * bulkhead slot or a limiter's in-flight count would be released while the stream is still running.
 * @internal
 */
export async function runSettled(call: () => Promise<unknown>, done: SettledCallback, signal?: AbortSignal): Promise<unknown> {
  let reply: unknown;
  try {
    reply = await call();
  } catch (err) {
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
function settleStream(source: AsyncIterable<unknown>, done: SettledCallback, signal: AbortSignal | undefined): AsyncIterableIterator<unknown> {
  let it: AsyncIterator<unknown> | undefined;
  let ended = false;
  const end = (err?: unknown): void => {
    if (ended) return;
    ended = true;
    done(err);
  };
  const source$ = (): AsyncIterator<unknown> => (it ??= source[Symbol.asyncIterator]());
  const wrapper: AsyncIterableIterator<unknown> = {
    [Symbol.asyncIterator]: () => wrapper,
    async next() {
      try {
        const step = await source$().next();
        if (step.done === true) end();
        return step;
      } catch (err) {
        end(err);
        throw err;
      }
    },
    async return(value?: unknown) {
      // A consumer that stops early after a cancellation reports the cancellation; a deliberate stop is a success.
      end(signal?.aborted === true ? signal.reason : undefined);
      // Even a source never read is told, so it can release what it holds (a socket, a cursor).
      const step = await source$().return?.(value);
      return step ?? { done: true, value };
    },
    async throw(err?: unknown) {
      end(err);
      if (it?.throw !== undefined) return it.throw(err);
      throw err;
    },
  };
  return wrapper;
}
