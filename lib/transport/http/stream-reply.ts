import type { Negotiated } from '../../encoding/index.js';
import { findKratosError, KratosError, toKratosError } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import { CallStream } from '../../middleware/index.js';
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
 * `event: error`. The client leaving aborts ctx.signal and stops the handler's iterator. A reply the
 * middleware watch is driven without its wrapper (CallStream.drive): their scope entered once for
 * the whole stream and its end reported once, nothing per message.
 */
export async function writeStream(ctx: HttpContext, route: MountedRoute, out: unknown, json: Negotiated, logger: Logger): Promise<void> {
  if (out === null || typeof out !== 'object' || !(Symbol.asyncIterator in out)) {
    throw new KratosError(500, 'UNKNOWN', `${ctx.operation}: a streaming handler must return an async iterable`);
  }
  const state = { answered: false };
  const write = (items: AsyncIterable<unknown>): Promise<void> => writeItems(ctx, route, json, logger, items, state);
  try {
    await (out instanceof CallStream ? out.drive(write) : write(out as AsyncIterable<unknown>));
  } catch (err) {
    // Already answered on the stream; rethrown only so that the watching middleware see the failure.
    if (!state.answered) throw err;
  }
}

async function writeItems(ctx: HttpContext, route: MountedRoute, json: Negotiated, logger: Logger, items: AsyncIterable<unknown>, state: { answered: boolean }): Promise<void> {
  const it = items[Symbol.asyncIterator]();
  const sse = wantsEvents(ctx.req.headers.accept);
  const res = ctx.res;
  // The first message decides between a normal error reply and a stream: pull it before any header.
  let next = await it.next();
  if (ctx.abandoned !== undefined) return void (await it.return?.());
  res.statusCode = 200;
  res.setHeader('content-type', sse ? EVENT_STREAM : NDJSON);
  res.setHeader('cache-control', 'no-cache');
  // Proxies such as nginx buffer responses unless told not to; a stream must flow.
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  try {
    while (next.done !== true) {
      const text = jsonOf(route, json, ctx, next.value);
      if (!res.write(sse ? `data: ${text}\n\n` : `{"result":${text}}\n`)) await drained(ctx);
      if (ctx.abandoned !== undefined) return void (await it.return?.());
      next = await it.next();
      if (ctx.abandoned !== undefined) return void (await it.return?.());
    }
    res.end(sse ? SSE_END : undefined);
  } catch (err) {
    if (ctx.abandoned !== undefined) return;
    // A failure of ours (encoding a message) leaves the handler's stream open: close it.
    await Promise.resolve(it.return?.()).catch(() => undefined);
    if (findKratosError(err) === undefined) logger.log('error', 'msg', 'stream failed', 'operation', ctx.operation, 'error', err);
    const body = route.encodeError(toKratosError(err), json, ctx).bytes.toString('utf8');
    res.end(sse ? `event: error\ndata: ${body}\n\n` : `{"error":${body}}\n`);
    state.answered = true;
    throw err;
  }
}
