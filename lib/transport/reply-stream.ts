import { KratosError } from '../errors/index.js';
import { asReplyStream, CallStream, syncIteratorOf } from '../middleware/index.js';

/** Where a transport writes the messages of a reply stream (a gRPC call, a gRPC-Web or NDJSON/SSE response). */
export interface ReplySink {
  /** Writes one message; false when the connection's buffer is full and the writer should wait. */
  write(item: unknown): boolean;
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

async function pumpSync(it: Iterator<unknown>, sink: ReplySink): Promise<void> {
  for (;;) {
    if (sink.ended()) return void it.return?.();
    const step = it.next();
    if (step.done === true) return;
    let more: boolean;
    try {
      more = sink.write(step.value);
    } catch (err) {
      closeQuietly(() => it.return?.());
      throw err;
    }
    if (!more) {
      if (sink.ended()) return void it.return?.();
      await sink.drained();
    }
  }
}

async function pumpAsync(it: AsyncIterator<unknown>, sink: ReplySink): Promise<void> {
  for (;;) {
    if (sink.ended()) return void (await it.return?.());
    const step = await it.next();
    if (step.done === true) return;
    if (sink.ended()) return void (await it.return?.());
    let more: boolean;
    try {
      more = sink.write(step.value);
    } catch (err) {
      await Promise.resolve()
        .then(() => it.return?.())
        .catch(() => undefined);
      throw err;
    }
    if (!more) {
      if (sink.ended()) return void (await it.return?.());
      await sink.drained();
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
