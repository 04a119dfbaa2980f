import type { Codec } from '../../encoding/index.js';
import { findKratosError, KratosError, toKratosError } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import type { HttpContext } from './http-context.js';
import { errorBodyText } from './reply.js';
import type { HttpRoute } from './route-table.js';

/** Content-Type of a newline-delimited JSON stream. */
export const NDJSON = 'application/x-ndjson';
/** Content-Type of Server-Sent Events, chosen by `Accept: text/event-stream`. */
export const EVENT_STREAM = 'text/event-stream';

const SSE_END = 'event: end\ndata: {}\n\n';

function wantsEvents(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes(EVENT_STREAM);
}

/** One reply as proto JSON text, picking the rule's response_body field when it has one. */
function jsonOf(route: HttpRoute, json: Codec, reply: unknown): string {
  const r = route.reply;
  if (r === undefined) return json.marshal(reply).toString('utf8');
  let value = reply;
  for (const f of r.field ?? []) value = (value as Record<string, unknown> | undefined)?.[f];
  if (r.toPlain !== undefined) return JSON.stringify(r.toPlain(value));
  return json.marshal(value ?? {}, r.type).toString('utf8');
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
 * error reply (thrown to the caller); after it, a last `{"error": <Kratos error>}` line or an
 * `event: error`. The client leaving aborts ctx.signal and stops the handler's iterator.
 */
export async function writeStream(ctx: HttpContext, route: HttpRoute, out: unknown, json: Codec, logger: Logger): Promise<void> {
  if (out === null || typeof out !== 'object' || !(Symbol.asyncIterator in out)) {
    throw new KratosError(500, 'UNKNOWN', `${ctx.operation}: a streaming handler must return an async iterable`);
  }
  const it = (out as AsyncIterable<unknown>)[Symbol.asyncIterator]();
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
      const text = jsonOf(route, json, next.value);
      if (!res.write(sse ? `data: ${text}\n\n` : `{"result":${text}}\n`)) await drained(ctx);
      if (ctx.abandoned !== undefined) return void (await it.return?.());
      next = await it.next();
      if (ctx.abandoned !== undefined) return void (await it.return?.());
    }
    res.end(sse ? SSE_END : undefined);
  } catch (err) {
    if (ctx.abandoned !== undefined) return;
    if (findKratosError(err) === undefined) logger.log('error', 'msg', 'stream failed', 'operation', ctx.operation, 'error', err);
    const body = errorBodyText(toKratosError(err));
    res.end(sse ? `event: error\ndata: ${body}\n\n` : `{"error":${body}}\n`);
  }
}
