import { KratosError } from '../errors/index.js';
import type { Context } from '../transport/index.js';
import { isSyncIterator, SyncReplies } from './reply-stream.js';
import type { Handler } from './types.js';

/** How a call ended, as logging, metrics, tracing and the resilience middleware see it. */
export interface CallOutcome {
  /**
   * Undefined on success; else what the call failed with: the error thrown or rejected, or for a
   * cancelled call the Kratos error of its cancellation (499 CANCELLED, or the deadline's 504).
   */
  readonly error: unknown;
  /** True when the call's signal aborted before it ended: the client cancelled or the deadline passed. */
  readonly cancelled: boolean;
  /** `performance.now()` when the watching middleware started the call, for its latency. */
  readonly start: number;
}

/** Told exactly once how a call ended. */
export type OnCallEnd = (outcome: CallOutcome) => void;

/** Runs a step of the call (the handler, each pull of a reply stream) inside some ambient scope. */
export type CallScope = <T>(fn: () => T) => T;

/** True for an AsyncIterable: a streamed request or a server- or bidi-streaming handler's reply. */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
}

/**
 * Runs `next(req, ctx)` and tells `onEnd` exactly once how the call ended: success, an error
 * (thrown or rejected), or its cancellation. A streamed reply has not ended when the handler returns:
 * it is returned as a {@link CallStream} that reports when the stream finishes or fails, when its
 * consumer stops early (return/throw), or when the call's signal aborts while nobody pulls it. A
 * synchronous iterator (a `*` generator's) is such a stream too, handed on as a {@link SyncReplies}. A call
 * whose signal aborted before it ended is reported as cancelled whatever the handler did after.
 *
 * A unary call costs one `.then`; a stream costs nothing per message beyond one `.then` per pull,
 * however many middleware watch it (they share one CallStream).
 */
export function onCallEnd(next: Handler, req: unknown, ctx: Context, onEnd: OnCallEnd, start = performance.now(), scope?: CallScope): Promise<unknown> {
  let reply: unknown;
  try {
    reply = scope === undefined ? next(req, ctx) : scope(() => next(req, ctx));
  } catch (err) {
    onEnd(outcomeOf(ctx, err, start));
    return Promise.reject(err);
  }
  return Promise.resolve(reply).then(
    (value) => {
      if (isAsyncIterable(value)) return CallStream.watch(value, ctx, onEnd, start, scope);
      if (isSyncIterator(value)) return CallStream.watch(new SyncReplies(value), ctx, onEnd, start, scope);
      onEnd(outcomeOf(ctx, undefined, start));
      return value;
    },
    (err: unknown) => {
      onEnd(outcomeOf(ctx, err, start));
      throw err;
    },
  );
}

/**
 * True when the transport says the call has one reply message and no reply stream (its context's
 * `unaryReply`): a middleware that only needs the handler to run in its scope, and nothing at the
 * end, need not watch the reply. False when the context does not say.
 */
export function repliesOnce(ctx: Context): boolean {
  return (ctx as { readonly unaryReply?: boolean }).unaryReply === true;
}

/** True once the call's signal aborted, without making the signal where the context makes it lazily. */
function isAborted(ctx: Context): boolean {
  return ctx.aborted ?? ctx.signal.aborted;
}

/** The outcome an observer is told: a call whose signal aborted before it ended is its cancellation. */
export function outcomeOf(ctx: Context, err: unknown, start: number): CallOutcome {
  if (isAborted(ctx)) return { error: cancellation(ctx.signal.reason), cancelled: true, start };
  return { error: err, cancelled: false, start };
}

/**
 * The Kratos error a cancelled call ends with: the signal's reason when the transport gave one
 * (gRPC's 499 CANCELLED and 504 DEADLINE_EXCEEDED), else 499 CANCELLED (Kratos' ClientClosed), or 504
 * TIMEOUT for a timeout (the HTTP server aborts with DOM-style AbortError and TimeoutError).
 */
export function cancellation(reason: unknown): KratosError {
  if (KratosError.isKratosError(reason)) return reason;
  const message = reason instanceof Error ? reason.message : 'call cancelled';
  if (reason instanceof Error && reason.name === 'TimeoutError') return new KratosError(504, 'TIMEOUT', message, {}, reason);
  return new KratosError(499, 'CANCELLED', message, {}, reason);
}

/**
 * A reply stream whose end is reported to every middleware watching it. A hand-written iterator
 * rather than a generator: a generator's cleanup never runs when `return()` comes before the first
 * `next()`, which is what a transport does to a stream it cancels early, and a generator per
 * middleware would cost a few promises per message each.
 */
export class CallStream implements AsyncIterableIterator<unknown> {
  readonly #ctx: Context;
  readonly #source: AsyncIterable<unknown>;
  #it: AsyncIterator<unknown> | undefined;
  #scope: CallScope | undefined;
  /** One pull of the source, made once per stream so a scoped pull allocates no closure per message. */
  #pull: (() => Promise<IteratorResult<unknown>>) | undefined;
  readonly #ends: OnCallEnd[] = [];
  readonly #starts: number[] = [];
  #signal: AbortSignal | undefined;
  #ended = false;
  #error: unknown;
  #cancelled = false;

  private constructor(source: AsyncIterable<unknown>, ctx: Context) {
    this.#source = source;
    this.#ctx = ctx;
  }

  /**
   * Watches `source` for `onEnd`. A stream some inner middleware of the same call already watches is
   * shared, not wrapped again, so a chain costs one wrapper per call.
   */
  static watch(source: AsyncIterable<unknown>, ctx: Context, onEnd: OnCallEnd, start: number, scope?: CallScope): CallStream {
    const s = source instanceof CallStream && source.#ctx === ctx ? source : new CallStream(source, ctx);
    s.#add(onEnd, start, scope);
    return s;
  }

  #add(onEnd: OnCallEnd, start: number, scope: CallScope | undefined): void {
    if (scope !== undefined) {
      const inner = this.#scope;
      // An outer scope wraps the inner one, as nested middleware would.
      this.#scope = inner === undefined ? scope : (fn) => scope(() => inner(fn));
    }
    if (this.#ended) return onEnd({ error: this.#error, cancelled: this.#cancelled, start });
    this.#ends.push(onEnd);
    this.#starts.push(start);
    if (this.#signal !== undefined) return;
    if (isAborted(this.#ctx)) return this.#end(undefined);
    // Nobody may pull a cancelled stream again (the transport stops, the handler waits forever):
    // the abort itself ends the call.
    this.#signal = this.#ctx.signal;
    this.#signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  readonly #onAbort = (): void => {
    try {
      this.#end(undefined);
    } catch {
      // Thrown from an abort listener, an observer's failure would crash the process; the call is over anyway.
    }
  };

  readonly #onStep = (step: IteratorResult<unknown>): IteratorResult<unknown> => {
    if (step.done === true) this.#end(undefined);
    return step;
  };

  readonly #onFail = (err: unknown): never => {
    this.#end(err);
    throw err;
  };

  #end(err: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    const cancelled = isAborted(this.#ctx);
    const error = cancelled ? cancellation(this.#ctx.signal.reason) : err;
    this.#error = error;
    this.#cancelled = cancelled;
    let failed: { err: unknown } | undefined;
    for (let i = 0; i < this.#ends.length; i++) {
      try {
        this.#ends[i]!({ error, cancelled, start: this.#starts[i]! });
      } catch (e) {
        failed ??= { err: e };
      }
    }
    if (failed !== undefined) throw failed.err;
  }

  #iterator(): AsyncIterator<unknown> {
    return (this.#it ??= this.#source[Symbol.asyncIterator]());
  }

  /**
   * For transports, the stream without a wrapper per message: runs `loop` over the handler's own
   * iterator (a synchronous reply's is a SyncIteratorAdapter, which the loop may pull synchronously)
   * inside the watching middleware's scope (the span of the call), so every await in the loop keeps
   * that context, and reports the end when the loop settles: a loop that resolves has written
   * everything or stopped because the call ended (it closes the iterator then, as for-await does),
   * one that rejects failed with that error. Nothing else may pull this stream.
   */
  drive(loop: (it: AsyncIterator<unknown>) => Promise<void>): Promise<void> {
    const scope = this.#scope;
    let looped: Promise<void>;
    try {
      const it = this.#iterator();
      looped = scope === undefined ? loop(it) : scope(() => loop(it));
    } catch (err) {
      looped = Promise.reject(err);
    }
    return looped.then(() => this.#end(undefined), this.#onFail);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<unknown>> {
    const scope = this.#scope;
    let pulled: Promise<IteratorResult<unknown>>;
    try {
      // A pull runs in the async context of whoever calls next() (the transport), so the scope is re-entered.
      pulled = scope === undefined ? this.#iterator().next() : scope((this.#pull ??= () => this.#iterator().next()));
    } catch (err) {
      return Promise.reject(err).catch(this.#onFail);
    }
    return this.#ended ? pulled : pulled.then(this.#onStep, this.#onFail);
  }

  /** The consumer stops early: a deliberate stop is a success, a stop after the call's cancellation the cancellation. */
  return(value?: unknown): Promise<IteratorResult<unknown>> {
    this.#end(undefined);
    // Even a source never read is told, so it can release what it holds (a socket, a cursor).
    const step = this.#iterator().return?.(value);
    return step === undefined ? Promise.resolve({ done: true, value }) : Promise.resolve(step);
  }

  throw(err?: unknown): Promise<IteratorResult<unknown>> {
    this.#end(err);
    const it = this.#iterator();
    return it.throw === undefined ? Promise.reject(err) : Promise.resolve(it.throw(err));
  }
}
