import {
  Metadata,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedHandleCall,
} from '@grpc/grpc-js';
import { findKratosError, KratosError, publicError, STATUS_DETAILS_KEY, toGrpcStatus, toKratosError } from '../../errors/index.js';
import type { DeadlineQueue } from '../../internal/index.js';
import type { Logger } from '../../log/index.js';
import { CallStream } from '../../middleware/index.js';
import { runWithContext } from '../context.js';
import { GrpcContext } from './grpc-context.js';
import { RefusedRequest } from '../refused.js';
import type { GrpcMethod } from './method.js';

// Every grpc-js server call is an EventEmitter with these; the union of their classes is not callable.
interface AnyCall {
  getDeadline(): Date | number;
  sendMetadata(md: Metadata): void;
  once(event: 'cancelled', fn: () => void): unknown;
  off(event: 'cancelled', fn: () => void): unknown;
}

/** Per-server facts every call needs. */
export interface CallEnv {
  endpoint: string;
  /** Server-side timeout in ms for unary and client-streaming calls; 0 for none. */
  timeout: number;
  logger: Logger;
  /** Expires calls whose deadline is the server's timeout: one timer for all of them. */
  deadlines: DeadlineQueue;
  /** Send the internal detail of errors to clients (see publicError). */
  exposeErrorDetail: boolean;
}

function deadlineOf(call: AnyCall, serverTimeout: number): { deadline: number | undefined; byServer: boolean } {
  const d = call.getDeadline();
  const client = d instanceof Date ? d.getTime() : Number.isFinite(d) ? Number(d) : undefined;
  const server = serverTimeout > 0 ? Date.now() + serverTimeout : undefined;
  if (client === undefined || (server !== undefined && server <= client)) return { deadline: server, byServer: server !== undefined };
  return { deadline: client, byServer: false };
}

function deadlineError(): KratosError {
  return new KratosError(504, 'DEADLINE_EXCEEDED', 'deadline exceeded');
}

/**
 * Wires a call's cancellation and deadline to its context. Deadlines set by the server's timeout
 * arrive in call order and share the server's queue; an earlier client deadline gets its own timer.
 */
function watch(call: AnyCall, ctx: GrpcContext, env: CallEnv, byServer: boolean, onDeadline: () => void): void {
  ctx.onCancelled = () => ctx.abort(new KratosError(499, 'CANCELLED', 'call cancelled by the client'));
  call.once('cancelled', ctx.onCancelled);
  if (ctx.deadline === undefined) return;
  ctx.onExpire = () => {
    ctx.abort(deadlineError());
    onDeadline();
  };
  if (byServer) env.deadlines.add(ctx);
  else ctx.timer = setTimeout(() => ctx.expire(), Math.max(0, ctx.deadline - Date.now()));
}

function unwatch(call: AnyCall, ctx: GrpcContext, env: CallEnv): void {
  if (ctx.onCancelled !== undefined) call.off('cancelled', ctx.onCancelled);
  env.deadlines.remove(ctx);
  if (ctx.timer !== undefined) clearTimeout(ctx.timer);
}

/** The grpc-js status object for an error, details in `grpc-status-details-bin` (docs/errors-and-metadata.md#on-the-wire). */
export function statusOf(err: unknown, ctx: GrpcContext, env: CallEnv): { code: number; details: string; metadata: Metadata } {
  if (findKratosError(err) === undefined) env.logger.log('error', 'msg', 'request failed', 'operation', ctx.operation, 'error', err);
  const s = toGrpcStatus(publicError(toKratosError(err), env.exposeErrorDetail));
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, s.statusDetails);
  return { code: s.code, details: s.details, metadata };
}

function sendHeaders(call: AnyCall, ctx: GrpcContext): void {
  if (ctx.headersSent) return;
  ctx.headersSent = true;
  const header = ctx.replyHeaderIfSet;
  if (header !== undefined) call.sendMetadata(header.metadata);
}

// A client stream as an AsyncIterable that ends when the call is cancelled. The default iterator
// destroys the stream when it finishes, which for a bidi call would kill the reply side too.
async function* incoming(call: ServerReadableStream<unknown, unknown>, ctx: GrpcContext): AsyncIterable<unknown> {
  for await (const msg of call.iterator({ destroyOnReturn: false })) {
    if (ctx.aborted) return;
    yield msg;
  }
}

/**
 * Waits until the reply stream takes more, or the call is cancelled or past its deadline. One promise
 * and listeners removed after, rather than a race of two once()s: a busy stream waits here often, and
 * each left-over abort listener would stay on the signal until the call ends.
 */
function drained(call: ServerWritableStream<unknown, unknown>, ctx: GrpcContext): Promise<void> {
  return new Promise((resolve) => {
    const signal = ctx.signal;
    const done = (): void => {
      call.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.on('drain', done);
    signal.addEventListener('abort', done);
  });
}

async function writeAll(call: ServerWritableStream<unknown, unknown>, ctx: GrpcContext, out: unknown): Promise<void> {
  if (out === null || typeof out !== 'object' || !(Symbol.asyncIterator in out || Symbol.iterator in out)) {
    throw new KratosError(500, 'UNKNOWN', `${ctx.operation}: a streaming handler must return an iterable`);
  }
  const loop = async (items: AsyncIterable<unknown>): Promise<void> => {
    for await (const item of items) {
      if (ctx.aborted) return;
      sendHeaders(call, ctx);
      if (!call.write(item) && !ctx.aborted) await drained(call, ctx);
    }
  };
  // A reply the middleware watch is driven without its wrapper: their scope entered once for the
  // whole stream and its end reported once, nothing per message.
  return out instanceof CallStream ? out.drive(loop) : loop(out as AsyncIterable<unknown>);
}

/** The grpc-js handler for `m`, running its chain once per call whatever the call kind. */
export function callHandler(m: GrpcMethod, env: CallEnv): UntypedHandleCall {
  const { schema, handler } = m;
  const chainRefusals = m.acceptsRefused === true;
  const streamTimeout = schema.responseStream ? 0 : env.timeout;
  if (!schema.responseStream) {
    return (call: ServerUnaryCall<unknown, unknown> | ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      const { deadline, byServer } = deadlineOf(call, streamTimeout);
      const ctx = new GrpcContext(schema.operation, env.endpoint, call.metadata, deadline);
      let done = false;
      const finish = (err: unknown, reply?: unknown): void => {
        if (done) return;
        done = true;
        unwatch(call, ctx, env);
        if (err !== undefined) return callback(statusOf(err, ctx, env));
        sendHeaders(call, ctx);
        callback(null, reply);
      };
      watch(call, ctx, env, byServer, () => finish(deadlineError()));
      const req = schema.requestStream ? incoming(call as ServerReadableStream<unknown, unknown>, ctx) : (call as ServerUnaryCall<unknown, unknown>).request;
      if (!chainRefusals && req instanceof RefusedRequest) return finish(req.error);
      runWithContext(ctx, () => handler(req, ctx)).then((reply) => finish(undefined, reply), (err: unknown) => finish(err ?? new Error('rejected')));
    };
  }
  return (call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>) => {
    const { deadline, byServer } = deadlineOf(call, 0);
    const ctx = new GrpcContext(schema.operation, env.endpoint, call.metadata, deadline);
    let done = false;
    const fail = (err: unknown): void => {
      if (done) return;
      done = true;
      unwatch(call, ctx, env);
      call.emit('error', statusOf(err, ctx, env));
    };
    watch(call, ctx, env, byServer, () => fail(deadlineError()));
    const req = schema.requestStream ? incoming(call as unknown as ServerReadableStream<unknown, unknown>, ctx) : (call as ServerWritableStream<unknown, unknown>).request;
    if (!chainRefusals && req instanceof RefusedRequest) return fail(req.error);
    runWithContext(ctx, async () => writeAll(call as ServerWritableStream<unknown, unknown>, ctx, await handler(req, ctx))).then(
      () => {
        if (done) return;
        done = true;
        unwatch(call, ctx, env);
        sendHeaders(call, ctx);
        call.end();
      },
      (err: unknown) => fail(err ?? new Error('rejected')),
    );
  };
}
