/**
 * A streaming handler's synchronous reply (an array, a `*` generator): an AsyncIterable like every
 * other reply stream, so middleware that watch or wrap streams see nothing new, whose iterator also
 * hands transports the items' own synchronous iterator ({@link syncIteratorOf}). A transport then
 * writes messages until the connection asks it to wait, without a promise per message.
 */
export class SyncReplies implements AsyncIterable<unknown> {
  readonly #items: Iterable<unknown>;

  constructor(items: Iterable<unknown>) {
    this.#items = items;
  }

  [Symbol.asyncIterator](): SyncIteratorAdapter {
    return new SyncIteratorAdapter(this.#items[Symbol.iterator]());
  }
}

/**
 * A synchronous iterator seen as an async one (what `for await` makes of one, without awaiting the
 * values: a synchronous reply yields messages, not promises of them). `sync` is the iterator itself.
 */
export class SyncIteratorAdapter implements AsyncIterator<unknown> {
  readonly sync: Iterator<unknown>;

  constructor(sync: Iterator<unknown>) {
    this.sync = sync;
  }

  next(): Promise<IteratorResult<unknown>> {
    try {
      return Promise.resolve(this.sync.next());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    try {
      return Promise.resolve(this.sync.return?.(value) ?? { done: true, value });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  throw(err?: unknown): Promise<IteratorResult<unknown>> {
    try {
      if (this.sync.throw === undefined) return Promise.reject(err);
      return Promise.resolve(this.sync.throw(err));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

/** True for a one-shot synchronous iterator (a generator object), not for a collection such as an array. */
export function isSyncIterator(value: unknown): value is IterableIterator<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { next?: unknown }).next === 'function' &&
    typeof (value as Record<symbol, unknown>)[Symbol.iterator] === 'function'
  );
}

/** The synchronous iterator under an iterator of a reply stream, or undefined when it is truly async. */
export function syncIteratorOf(it: AsyncIterator<unknown>): Iterator<unknown> | undefined {
  return it instanceof SyncIteratorAdapter ? it.sync : undefined;
}

/**
 * A streaming handler's reply as a reply stream: async iterables as they are, synchronous iterables
 * (arrays, generators) as {@link SyncReplies}; undefined for anything else.
 */
export function asReplyStream(value: unknown): AsyncIterable<unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function') return value as AsyncIterable<unknown>;
  if (typeof (value as Record<symbol, unknown>)[Symbol.iterator] === 'function') return new SyncReplies(value as Iterable<unknown>);
  return undefined;
}
