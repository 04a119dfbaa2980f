import type { Context } from '../transport/index.js';

/** A call handler: the same shape on servers and clients, HTTP and gRPC (docs/architecture.md#middleware). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler<TReq = any, TReply = any> = (req: TReq, ctx: Context) => Promise<TReply>;

/** Wraps a handler. In a chain the first middleware is the outermost. */
export type Middleware = (next: Handler) => Handler;
