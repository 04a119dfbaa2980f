import type { Negotiated } from '../../encoding/index.js';
import { findKratosError, toKratosError } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import { writeReplies, type ReplySink } from '../../middleware/index.js';
import type { HttpContext } from './http-context.js';
import type { MountedRoute } from './route-table.js';

/** Content-Type of a newline-delimited JSON stream. */
export const NDJSON = 'application/x-ndjson';
/** Content-Type of Server-Sent Events, chosen by `Accept: text/event-stream`. */
export const EVENT_STREAM = 'text/event-stream';

const SSE_END = 'event: end\ndata: {}\n\n';

function wantsEvents(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes(EVENT_STREAM);
}

/** One reply as JSON text, by the route's encoder. */
function jsonOf(route: MountedRoute, json: Negotiated, ctx: HttpContext, reply: unknown): string {
  return route.encode(reply, json, ctx)?.bytes.toString('utf8') ?? 'null';
}

/** Waits until the response drains or the client goes away. */
function drained(ctx: HttpContext): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      ctx.res.off('drain', done);
      ctx.res.off('close', done);
      resolve();
    };
    ctx.res.once('drain', done);
    ctx.res.once('close', done);
  });
}

/**
 * Writes a server-streaming rpc's replies as they come: NDJSON lines `{"result": <message>}` (the
 * grpc-gateway shape) or, when the client accepts text/event-stream, one SSE `data:` event per
 * message and a final `event: end`. A failure before the first message is an ordinary Kratos
 * error reply (thrown to the caller); after it, a last `{"error": <error body>}` line or an
 * `event: error`. The client leaving aborts ctx.signal and stops the handler's iterator. Written by
 * writeReplies: a synchronous reply without a promise per message, a watched one inside the
 * middleware's scope with its end reported once.
 */
export async function writeStream(ctx: HttpContext, route: MountedRoute, out: unknown, json: Negotiated, logger: Logger): Promise<void> {
  const sink = new LineSink(ctx, route, json);
  try {
    await writeReplies(out, ctx.operation, sink);
  } catch (err) {
    if (ctx.abandoned !== undefined) return;
    // Before the first message the caller answers with an ordinary error reply.
    if (!sink.started) throw err;
    if (findKratosError(err) === undefined) logger.log('error', 'msg', 'stream failed', 'operation', ctx.operation, 'error', err);
    const body = route.encodeError(toKratosError(err), json, ctx).bytes.toString('utf8');
    ctx.res.end(sink.sse ? `event: error\ndata: ${body}\n\n` : `{"error":${body}}\n`);
    // Already answered on the stream, and the watching middleware saw the failure in writeReplies: nothing to rethrow.
    return;
  }
  if (ctx.abandoned !== undefined) return;
  sink.start();
  ctx.res.end(sink.sse ? SSE_END : undefined);
}

/** NDJSON lines or SSE events on the response; headers go out with the first message (or at the end). */
class LineSink implements ReplySink {
  readonly #ctx: HttpContext;
  readonly #route: MountedRoute;
  readonly #json: Negotiated;
  readonly sse: boolean;
  started = false;

  constructor(ctx: HttpContext, route: MountedRoute, json: Negotiated) {
    this.#ctx = ctx;
    this.#route = route;
    this.#json = json;
    this.sse = wantsEvents(ctx.req.headers.accept);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const res = this.#ctx.res;
    res.statusCode = 200;
    res.setHeader('content-type', this.sse ? EVENT_STREAM : NDJSON);
    res.setHeader('cache-control', 'no-cache');
    // Proxies such as nginx buffer responses unless told not to; a stream must flow.
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
  }

  write(item: unknown): boolean {
    // Encoded first: a message that cannot be encoded before the first is an ordinary error reply.
    const text = jsonOf(this.#route, this.#json, this.#ctx, item);
    if (!this.started) this.start();
    return this.#ctx.res.write(this.sse ? `data: ${text}\n\n` : `{"result":${text}}\n`);
  }

  drained(): Promise<void> {
    return drained(this.#ctx);
  }

  ended(): boolean {
    return this.#ctx.abandoned !== undefined;
  }
}
