import type { IncomingMessage, ServerResponse } from 'node:http';
import { findKratosError, KratosError, STATUS_DETAILS_KEY, toGrpcStatus } from '../../errors/index.js';
import { NoopLogger, type Logger } from '../../log/index.js';
import { callRunner, type CallRunner } from '../context.js';
import { RefusedRequest } from '../refused.js';
import { writeReplies } from '../../middleware/index.js';
import { methodDefinition, type GrpcMethod } from '../grpc/index.js';
import { readBody, type HttpProtocol } from '../http/index.js';
import { corsPreflight, corsReply, isPreflight, type GrpcWebCors } from './cors.js';
import { encodeGrpcMessage, fromBase64Chunks, frame, messages, parseGrpcTimeout, trailerFrame } from './frames.js';
import { GrpcWebContext } from './grpc-web-context.js';

/** Options of {@link GrpcWebGateway}. */
export interface GrpcWebOptions {
  /** Timeout of unary and client-streaming calls, ms (a shorter `grpc-timeout` wins); 0 for none. Default 1000. */
  timeout?: number;
  /** Largest request body, bytes. Default 4 MiB (gRPC's default message limit). */
  bodyLimit?: number;
  /** Logs failures that are not Kratos errors. Default: silent. */
  logger?: Logger;
  /** Origins whose pages may call (CORS). Default '*': any page, without credentials. */
  origins?: GrpcWebCors['origins'];
  /** Reply headers (metadata) scripts may read besides grpc-status, grpc-message and grpc-status-details-bin. */
  exposeHeaders?: string[];
  /** Make each call's context ambient (currentContext()). Default true (docs/architecture.md#the-ambient-context). */
  ambientContext?: boolean;
}

/** The content-type prefix every gRPC-Web request carries; the only per-request test plain HTTP pays. */
export const GRPC_WEB_CONTENT_TYPE = 'application/grpc-web';
const TEXT = 'application/grpc-web-text';

interface Prepared {
  method: GrpcMethod;
  decode: (bytes: Buffer) => unknown;
  encode: (message: unknown) => Buffer;
}

const CALL = Symbol('kratos-ts/grpc-web/call');
type ResponseWithCall = ServerResponse & { [CALL]?: GrpcWebContext };

// One listener for all calls: a response closed before it finished means the client went away.
function onClose(this: ResponseWithCall): void {
  const ctx = this[CALL];
  if (ctx === undefined || this.writableFinished) return;
  ctx.settled = true;
  ctx.abort(new KratosError(499, 'CANCELLED', 'call cancelled by the client'));
}

function deadlineError(): KratosError {
  return new KratosError(504, 'DEADLINE_EXCEEDED', 'deadline exceeded');
}

/**
 * gRPC-Web (binary and text) on the HTTP port: POST /pkg.Service/Method with length-prefixed frames,
 * trailers as the last frame of the body (flag 0x80), the Kratos error in grpc-status-details-bin,
 * `grpc-timeout` deadlines, and the rpc's own middleware chain, the one its gRPC server runs.
 */
export class GrpcWebGateway implements HttpProtocol {
  readonly #methods = new Map<string, Prepared>();
  readonly #timeout: number;
  readonly #bodyLimit: number;
  readonly #logger: Logger;
  readonly #cors: GrpcWebCors;
  readonly #run: CallRunner;

  constructor(options: GrpcWebOptions = {}) {
    this.#timeout = options.timeout ?? 1000;
    this.#bodyLimit = options.bodyLimit ?? 4 << 20;
    this.#logger = options.logger ?? new NoopLogger();
    this.#cors = { origins: options.origins ?? '*', exposeHeaders: options.exposeHeaders ?? [] };
    this.#run = callRunner(options.ambientContext !== false);
  }

  /** Serves these rpcs (handlers already carry their middleware); before the server starts. */
  add(methods: GrpcMethod[]): void {
    for (const m of methods) {
      const def = methodDefinition(m.schema);
      this.#methods.set(m.schema.operation, { method: m, decode: def.requestDeserialize, encode: def.responseSerialize });
    }
  }

  /** Paths served (`/helloworld.v1.Greeter/SayHello`). */
  get operations(): string[] {
    return [...this.#methods.keys()];
  }

  claims(req: IncomingMessage, method: string, path: string): boolean {
    if (method === 'POST') return req.headers['content-type']?.startsWith(GRPC_WEB_CONTENT_TYPE) === true;
    return method === 'OPTIONS' && this.#methods.has(path) && isPreflight(req, this.#cors);
  }

  async serve(req: IncomingMessage, res: ServerResponse, path: string, endpoint: string): Promise<void> {
    if (req.method === 'OPTIONS') return corsPreflight(req, res, this.#cors);
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const text = type.startsWith(TEXT);
    const codec = type.slice(text ? TEXT.length : GRPC_WEB_CONTENT_TYPE.length);
    if (codec !== '' && codec !== '+proto') {
      res.writeHead(415, { 'content-type': 'text/plain' }).end(`unsupported gRPC-Web codec '${codec.slice(1)}': only proto is served`);
      return;
    }
    corsReply(req, res, this.#cors);
    // gRPC-Web answers 200 whatever the outcome (the status is in the trailers); Koa presets 404.
    res.statusCode = 200;
    res.setHeader('content-type', text ? `${TEXT}+proto` : `${GRPC_WEB_CONTENT_TYPE}+proto`);
    const p = this.#methods.get(path);
    if (p === undefined) return this.#finish(res, text, [['grpc-status', '12'], ['grpc-message', encodeGrpcMessage(`unknown method ${path}`)]]);
    let deadline: number | undefined;
    try {
      deadline = this.#deadline(p, req);
    } catch (err) {
      return this.#fail(res, text, err, path);
    }
    const ctx = new GrpcWebContext(req, res, path, endpoint, deadline);
    (res as ResponseWithCall)[CALL] = ctx;
    res.once('close', onClose);
    if (deadline !== undefined) ctx.timer = setTimeout(expire, Math.max(0, deadline - Date.now()), this, ctx, text);
    try {
      const request = await this.#request(p, req, text).catch((err: unknown) => {
        // A request the method's chain can see refused goes through it, its first step throwing the error.
        if (p.method.acceptsRefused !== true) throw err;
        return new RefusedRequest(err);
      });
      const { schema, handler } = p.method;
      if (!schema.responseStream) {
        const reply = await this.#run(ctx, () => handler(request, ctx));
        if (ctx.settled) return;
        const msg = frame(0, p.encode(reply));
        ctx.settled = true;
        const ok = trailerFrame([['grpc-status', '0'], ['grpc-message', '']]);
        res.end(text ? Buffer.from(msg.toString('base64') + ok.toString('base64')) : Buffer.concat([msg, ok]));
        return;
      }
      await this.#run(ctx, async () => this.#stream(ctx, p, text, await handler(request, ctx)));
      if (ctx.settled) return;
      ctx.settled = true;
      this.#finish(res, text, [['grpc-status', '0'], ['grpc-message', '']]);
    } catch (err) {
      if (ctx.settled) return;
      ctx.settled = true;
      this.#fail(res, text, err, path);
    } finally {
      if (ctx.timer !== undefined) clearTimeout(ctx.timer);
    }
  }

  #deadline(p: Prepared, req: IncomingMessage): number | undefined {
    const client = parseGrpcTimeout(req.headers['grpc-timeout'] as string | undefined);
    // Server-streaming calls run as long as the client wants, as on the gRPC server.
    const server = p.method.schema.responseStream || this.#timeout <= 0 ? undefined : this.#timeout;
    const ms = client === undefined ? server : server === undefined ? client : Math.min(client, server);
    return ms === undefined ? undefined : Date.now() + ms;
  }

  async #request(p: Prepared, req: IncomingMessage, text: boolean): Promise<unknown> {
    const raw = await readBody(req, this.#bodyLimit);
    const body = text ? fromBase64Chunks(raw.toString('latin1')) : raw;
    const decoded = messages(body, this.#bodyLimit).map((m) => {
      try {
        return p.decode(m);
      } catch (err) {
        throw new KratosError(400, 'CODEC', `cannot decode ${p.method.schema.requestType.fullName.slice(1)}: ${(err as Error).message}`);
      }
    });
    if (p.method.schema.requestStream) return fromArray(decoded);
    if (decoded.length !== 1) throw new KratosError(400, 'BAD_REQUEST', `a unary call needs exactly one request message, got ${decoded.length}`);
    return decoded[0];
  }

  #stream(ctx: GrpcWebContext, p: Prepared, text: boolean, out: unknown): Promise<void> {
    const res = ctx.res;
    return writeReplies(out, ctx.operation, {
      write(item) {
        const f = frame(0, p.encode(item));
        return res.write(text ? f.toString('base64') : f);
      },
      drained: () => drained(ctx),
      ended: () => ctx.settled,
    });
  }

  #fail(res: ServerResponse, text: boolean, err: unknown, operation: string): void {
    if (findKratosError(err) === undefined) this.#logger.log('error', 'msg', 'request failed', 'operation', operation, 'error', err);
    const s = toGrpcStatus(err);
    // A body we stopped reading must not be parsed as the next request on this connection.
    if (findKratosError(err)?.code === 413 && !res.headersSent) res.setHeader('connection', 'close');
    this.#finish(res, text, [
      ['grpc-status', String(s.code)],
      ['grpc-message', encodeGrpcMessage(s.details)],
      [STATUS_DETAILS_KEY, s.statusDetails.toString('base64')],
    ]);
  }

  #finish(res: ServerResponse, text: boolean, trailers: [string, string][]): void {
    if (res.writableEnded || res.destroyed) return;
    const t = trailerFrame(trailers);
    res.end(text ? t.toString('base64') : t);
  }

  /** @internal the deadline passed: answer DEADLINE_EXCEEDED now and abort the handler's signal. */
  expire(ctx: GrpcWebContext, text: boolean): void {
    if (ctx.settled) return;
    ctx.settled = true;
    ctx.abort(deadlineError());
    this.#fail(ctx.res, text, deadlineError(), ctx.operation);
  }
}

function expire(gateway: GrpcWebGateway, ctx: GrpcWebContext, text: boolean): void {
  gateway.expire(ctx, text);
}

async function* fromArray(items: unknown[]): AsyncIterable<unknown> {
  yield* items;
}

/** Waits until the response can take more, or the call ends (client gone, deadline). */
function drained(ctx: GrpcWebContext): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      ctx.res.off('drain', done);
      ctx.signal.removeEventListener('abort', done);
      resolve();
    };
    ctx.res.once('drain', done);
    ctx.signal.addEventListener('abort', done, { once: true });
  });
}
