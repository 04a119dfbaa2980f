import { Metadata, type ServerWritableStream } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import type { ReplySink } from '../../middleware/index.js';
import type { GrpcContext } from './grpc-context.js';
import { encodeObject } from './method.js';

/** The HTTP/2 stream under a grpc-js server call, as far as the batching sink uses it. */
interface Http2Out {
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  readonly writableHighWaterMark: number;
  write(chunk: Buffer): boolean;
  on(event: 'drain', fn: () => void): unknown;
  off(event: 'drain', fn: () => void): unknown;
}

/** grpc-js' BaseServerInterceptingCall (1.10 and later), whose `sendMessage` frames a message and writes it to `stream`. */
interface BaseCall {
  readonly stream: Http2Out;
  readonly metadataSent: boolean;
  readonly maxSendMessageSize: number;
  /** channelz' counters of the call, when channelz is on (the server turns it off). */
  readonly callEventTracker?: unknown;
}

/**
 * The call's HTTP/2 stream when grpc-js would write our messages to it untouched: no server
 * interceptor between (it could rewrite them), no size limit on sent messages (grpc-js answers an
 * oversized one with a status, which is its to send). Undefined for anything else, and for a grpc-js
 * that no longer keeps the stream where we look: the sink then writes through `call.write`.
 */
function http2Of(call: ServerWritableStream<unknown, unknown>): BaseCall | undefined {
  const base = (call as unknown as { call?: Partial<BaseCall> }).call;
  if (base === undefined || typeof base.metadataSent !== 'boolean' || base.maxSendMessageSize !== -1 || base.callEventTracker != null) return undefined;
  const stream = base.stream;
  if (typeof stream?.write !== 'function' || typeof stream.writableHighWaterMark !== 'number') return undefined;
  return base as BaseCall;
}

/** Sends the reply header a handler or middleware set, once, before the first message or the status. */
export function sendHeaders(call: { sendMetadata(md: Metadata): void }, ctx: GrpcContext): void {
  if (ctx.headersSent) return;
  ctx.headersSent = true;
  const header = ctx.replyHeaderIfSet;
  if (header !== undefined) call.sendMetadata(header.metadata);
}

/**
 * Waits until `out` takes more, or the call is cancelled or past its deadline. The context's own
 * abort hook rather than a listener on its AbortSignal: a busy stream waits here often, and an
 * EventTarget listener costs far more than a field.
 */
function drained(out: { on(e: 'drain', fn: () => void): unknown; off(e: 'drain', fn: () => void): unknown }, ctx: GrpcContext): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      ctx.onAbort = undefined;
      resolve();
    };
    out.on('drain', done);
    ctx.onAbort = done;
  });
}

/** The reply stream of one call written message by message through grpc-js' call. */
class CallSink implements ReplySink {
  readonly #call: ServerWritableStream<unknown, unknown>;
  readonly #ctx: GrpcContext;

  constructor(call: ServerWritableStream<unknown, unknown>, ctx: GrpcContext) {
    this.#call = call;
    this.#ctx = ctx;
  }

  write(item: unknown): boolean {
    sendHeaders(this.#call, this.#ctx);
    return this.#call.write(item);
  }

  drained(): Promise<void> {
    return drained(this.#call, this.#ctx);
  }

  ended(): boolean {
    return this.#ctx.aborted;
  }
}

const flushHeld = (sink: BatchSink): void => void sink.flush();

/**
 * The reply stream of one call written in batches straight to its HTTP/2 stream. grpc-js writes each
 * message as its own HTTP/2 write, and node makes a write request, a tick and four closures for each:
 * with an AsyncLocalStorage entered (tracing's context), the storage's init hook runs for each of
 * them too. The messages a reply has ready are framed as grpc-js frames them (a zero byte, the length
 * as 4 bytes big-endian, the message) and sent as one write when the writer stops pulling (`flush`),
 * when they reach the stream's high-water mark, or at the latest from a tick. The status still goes
 * through grpc-js (`call.end()`), after the last batch.
 */
class BatchSink implements ReplySink {
  readonly #call: ServerWritableStream<unknown, unknown>;
  readonly #ctx: GrpcContext;
  readonly #base: BaseCall;
  readonly #type: protobuf.Type;
  readonly #limit: number;
  // The batch is encoded into one protobufjs writer, not one per message (a writer and a buffer each),
  // every message behind its 5-byte frame header.
  #writer: protobuf.Writer | undefined;

  constructor(call: ServerWritableStream<unknown, unknown>, ctx: GrpcContext, base: BaseCall, type: protobuf.Type) {
    this.#call = call;
    this.#ctx = ctx;
    this.#base = base;
    this.#type = type;
    this.#limit = base.stream.writableHighWaterMark;
  }

  // Encoded now, so that a message that cannot be encoded fails the writer at that message.
  write(item: unknown): boolean {
    let w = this.#writer;
    if (w === undefined) {
      w = this.#writer = protobuf.Writer.create();
      // Sent before the process next looks for I/O (when node's HTTP/2 session would send it anyway)
      // if the writer has not flushed by then: an async reply's messages come a few microtasks apart.
      process.nextTick(flushHeld, this);
    }
    const at = w.pos;
    try {
      // fixed32 and a one-byte varint keep the 5 bytes of the frame header, filled in below.
      encodeObject(this.#type, item, w.fixed32(0).uint32(0));
    } catch (err) {
      w.pos = at; // the batch keeps the messages before, without a part of this one
      throw err;
    }
    // The frame header, written once the length is known (protobufjs 8's writer is one growing buffer).
    const len = w.pos - at - 5;
    const b = w.buf;
    b[at] = 0;
    b[at + 1] = len >>> 24;
    b[at + 2] = (len >>> 16) & 0xff;
    b[at + 3] = (len >>> 8) & 0xff;
    b[at + 4] = len & 0xff;
    return w.pos < this.#limit || this.flush();
  }

  flush(): boolean {
    const w = this.#writer;
    this.#writer = undefined;
    // Nothing kept, or only a first message that failed to encode: nothing to send, headers included.
    if (w === undefined || w.pos === 0) return true;
    sendHeaders(this.#call, this.#ctx);
    // grpc-js sends its default headers before a call's first message, as `sendMessage` would.
    if (!this.#base.metadataSent) this.#call.sendMetadata(new Metadata());
    // The writer's own buffer, not a copy: the writer is dropped with the batch.
    const chunk = w.finish(true) as Buffer;
    // A cancelled call's stream is gone (grpc-js drops messages then too); the writer sees `ended`.
    const stream = this.#base.stream;
    if (stream.destroyed || stream.writableEnded) return true;
    return stream.write(chunk);
  }

  drained(): Promise<void> {
    return drained(this.#base.stream, this.#ctx);
  }

  ended(): boolean {
    return this.#ctx.aborted;
  }
}

/**
 * Where a server-streaming call's replies go: in batches straight to the HTTP/2 stream when grpc-js
 * would write them untouched (see {@link http2Of}), else message by message through grpc-js.
 */
export function replySink(call: ServerWritableStream<unknown, unknown>, ctx: GrpcContext, type: protobuf.Type): ReplySink {
  const base = http2Of(call);
  return base === undefined ? new CallSink(call, ctx) : new BatchSink(call, ctx, base, type);
}
