import { KratosError } from '../errors/index.js';
import { CallStream } from './call-end.js';

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

/**
 * Messages written between two visits to the event loop at most. A write may take the socket's
 * buffer without ever asking to wait (an HTTP/1 socket drains into the kernel on the next tick, so
 * `drain` comes from a tick too): without these visits a fast reader and an endless stream would keep
 * every timer, connection and other request of the process waiting.
 */
const MESSAGES_PER_TURN = 1024;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Where a transport writes the messages of a reply stream (a gRPC call, a gRPC-Web or NDJSON/SSE response). */
export interface ReplySink {
  /**
   * Writes one message, or keeps it to send with the next ones when the sink has `flush`; false when
   * the connection's buffer is full (what was kept then sent) and the writer should wait.
   */
  write(item: unknown): boolean;
  /**
   * Sends the messages `write` kept; false when the buffer is then full. The writer calls it before it
   * waits, at the end and on a failure; a sink that keeps messages sends them by itself before the
   * process next looks for I/O (an async reply's next message may be long in coming).
   */
  flush?(): boolean;
  /** Resolves when the buffer has drained or the call ended. */
  drained(): Promise<void>;
  /** True once the call is over (cancelled, past its deadline, its client gone): pull no more. */
  ended(): boolean;
}

/**
 * Writes a streaming handler's reply to `sink`, and resolves once every message is written or the
 * call ended (the handler's iterator is then closed, as for-await closes it). A reply the middleware
 * watch (a CallStream) is driven inside their scope with its end reported once, nothing per message.
 * A synchronous reply (an array, a `*` generator) is pulled synchronously: messages are written
 * until the sink asks to wait, and only the wait is a promise. Rejects with the handler's failure, or
 * with the sink's own (an encoding error), after closing the handler's iterator.
 */
export function writeReplies(out: unknown, operation: string, sink: ReplySink): Promise<void> {
  if (out instanceof CallStream) return out.drive((it) => pump(it, sink));
  const stream = asReplyStream(out);
  if (stream === undefined) return Promise.reject(new KratosError(500, 'UNKNOWN', `${operation}: a streaming handler must return an iterable`));
  let it: AsyncIterator<unknown>;
  try {
    it = stream[Symbol.asyncIterator]();
  } catch (err) {
    return Promise.reject(err);
  }
  return pump(it, sink);
}

function pump(it: AsyncIterator<unknown>, sink: ReplySink): Promise<void> {
  const sync = syncIteratorOf(it);
  return sync === undefined ? pumpAsync(it, sink) : pumpSync(sync, sink);
}

// The call can end only while the writer waits (its events need a turn): looked at before the first
// message and after each wait or visit to the event loop, not per message.
async function pumpSync(it: Iterator<unknown>, sink: ReplySink): Promise<void> {
  if (sink.ended()) return closeQuietly(() => it.return?.());
  for (let written = 1; ; written++) {
    let step: IteratorResult<unknown>;
    try {
      step = it.next();
    } catch (err) {
      // The messages before the failure reach the client, then the failure's status.
      sink.flush?.();
      throw err;
    }
    if (step.done === true) return void sink.flush?.();
    let more: boolean;
    try {
      more = sink.write(step.value);
    } catch (err) {
      sink.flush?.();
      closeQuietly(() => it.return?.());
      throw err;
    }
    if (!more || written % MESSAGES_PER_TURN === 0) {
      if (more && sink.flush !== undefined) more = sink.flush();
      if (sink.ended()) return closeQuietly(() => it.return?.());
      await (more ? nextTurn() : sink.drained());
      if (sink.ended()) return closeQuietly(() => it.return?.());
    }
  }
}

// Here the call may end during any pull: looked at after each, and after each wait.
async function pumpAsync(it: AsyncIterator<unknown>, sink: ReplySink): Promise<void> {
  if (sink.ended()) return void (await it.return?.());
  for (let written = 1; ; written++) {
    let step: IteratorResult<unknown>;
    try {
      step = await it.next();
    } catch (err) {
      sink.flush?.();
      throw err;
    }
    if (step.done === true) return void sink.flush?.();
    if (sink.ended()) return void (await it.return?.());
    let more: boolean;
    try {
      more = sink.write(step.value);
    } catch (err) {
      sink.flush?.();
      await Promise.resolve()
        .then(() => it.return?.())
        .catch(() => undefined);
      throw err;
    }
    if (!more || written % MESSAGES_PER_TURN === 0) {
      if (more && sink.flush !== undefined) more = sink.flush();
      if (sink.ended()) return void (await it.return?.());
      await (more ? nextTurn() : sink.drained());
      if (sink.ended()) return void (await it.return?.());
    }
  }
}

// Our own failure is the one to report; the iterator's complaint while being closed is not.
function closeQuietly(close: () => unknown): void {
  try {
    close();
  } catch {
    // ignored: see above
  }
}
