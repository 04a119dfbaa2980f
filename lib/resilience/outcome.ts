/** Whether `v` is an AsyncIterable (a streamed reply). */
export function isStream(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && Symbol.asyncIterator in v;
}

/** Calls `done` once when the call settles: now, or when a streamed reply ends or fails. */
export function settle(reply: unknown, done: (err?: unknown) => void): unknown {
  if (!isStream(reply)) {
    done();
    return reply;
  }
  return (async function* () {
    try {
      yield* reply;
    } catch (err) {
      done(err);
      throw err;
    }
    done();
  })();
}
