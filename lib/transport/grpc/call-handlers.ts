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
import type protobuf from 'protobufjs';
import type { DeadlineQueue } from '../../internal/index.js';
import type { Logger } from '../../log/index.js';
import type { CallRunner } from '../context.js';
import { GrpcContext, type CancellableCall } from './grpc-context.js';
import { RefusedRequest } from '../refused.js';
import { directCallOf, isThenable } from '../direct-call.js';
import { writeReplies } from '../../middleware/index.js';
import type { GrpcMethod } from './method.js';
import { replySink, sendHeaders } from './reply-sink.js';

// Every grpc-js server call is an EventEmitter with these; the union of their classes is not callable.
interface AnyCall extends CancellableCall {
  getDeadline(): Date | number;
  sendMetadata(md: Metadata): void;
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
  /** Runs a call's handler, its context ambient or not (`ambientContext`). */
  run: CallRunner;
}

/** The client's deadline (grpc-timeout), epoch ms, or undefined when it set none. */
function clientDeadline(call: AnyCall): number | undefined {
  const d = call.getDeadline();
  return d instanceof Date ? d.getTime() : Number.isFinite(d) ? Number(d) : undefined;
}

function expireLater(ctx: GrpcContext): void {
  ctx.expire();
}

/**
 * The call's context, its deadline the earlier of the client's and the server's timeout. Deadlines
 * set by the server's timeout arrive in call order and share the server's queue; an earlier client
 * deadline gets its own timer. Cancellation is read from the call when asked (GrpcContext).
 */
function contextFor(call: AnyCall, operation: string, env: CallEnv, serverTimeout: number, onDeadline: (err: KratosError) => void): GrpcContext {
  const client = clientDeadline(call);
  const server = serverTimeout > 0 ? Date.now() + serverTimeout : undefined;
  const byServer = server !== undefined && (client === undefined || server <= client);
  const ctx = new GrpcContext(operation, env.endpoint, call, byServer ? server : client);
  if (ctx.deadline === undefined) return ctx;
  ctx.onDeadline = onDeadline;
  if (byServer) env.deadlines.add(ctx);
  else ctx.timer = setTimeout(expireLater, Math.max(0, ctx.deadline - Date.now()), ctx);
  return ctx;
}

/** The call ended: its deadline and cancellation are no longer watched. */
function settle(ctx: GrpcContext, env: CallEnv): void {
  env.deadlines.remove(ctx);
  ctx.settle();
}

/** The grpc-js status object for an error, details in `grpc-status-details-bin` (docs/errors-and-metadata.md#on-the-wire). */
export function statusOf(err: unknown, ctx: GrpcContext, env: CallEnv): { code: number; details: string; metadata: Metadata } {
  if (findKratosError(err) === undefined) env.logger.log('error', 'msg', 'request failed', 'operation', ctx.operation, 'error', err);
  const s = toGrpcStatus(publicError(toKratosError(err), env.exposeErrorDetail));
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, s.statusDetails);
  return { code: s.code, details: s.details, metadata };
}

// A client stream as an AsyncIterable that ends when the call is cancelled. The default iterator
// destroys the stream when it finishes, which for a bidi call would kill the reply side too.
async function* incoming(call: ServerReadableStream<unknown, unknown>, ctx: GrpcContext): AsyncIterable<unknown> {
  for await (const msg of call.iterator({ destroyOnReturn: false })) {
    if (ctx.aborted) return;
    yield msg;
  }
}

function writeAll(call: ServerWritableStream<unknown, unknown>, ctx: GrpcContext, out: unknown, type: protobuf.Type): Promise<void> {
  return writeReplies(out, ctx.operation, replySink(call, ctx, type));
}

/**
 * The grpc-js handler for `m`, running its chain once per call whatever the call kind. A unary call
 * costs its context and one closure to end it, and a `.then` only when its reply is a promise; nothing waits
 * for the client's cancellation unless the handler or a middleware asks for the signal.
 */
export function callHandler(m: GrpcMethod, env: CallEnv): UntypedHandleCall {
  const { schema, handler } = m;
  const operation = schema.operation;
  const chainRefusals = m.acceptsRefused === true;
  if (!schema.responseStream) {
    // The handler's direct form where it has one (see DirectCall): a value for a synchronous reply.
    const answer = directCallOf(handler) ?? handler;
    return (call: ServerUnaryCall<unknown, unknown> | ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      let done = false;
      const finish = (err: unknown, reply?: unknown): void => {
        if (done) return;
        done = true;
        settle(ctx, env);
        if (err !== undefined) return callback(statusOf(err, ctx, env));
        sendHeaders(call, ctx);
        callback(null, reply);
      };
      const ctx = contextFor(call, operation, env, env.timeout, finish);
      ctx.unaryReply = true;
      const req = schema.requestStream ? incoming(call as ServerReadableStream<unknown, unknown>, ctx) : (call as ServerUnaryCall<unknown, unknown>).request;
      if (!chainRefusals && req instanceof RefusedRequest) return finish(req.error);
      const reply = env.run(ctx, () => answer(req, ctx));
      // A reply already there (a synchronous method, bare or under the fused built-ins) is sent now,
      // as raw grpc-js sends it: no promise and no `.then` per call.
      if (!isThenable(reply)) return finish(undefined, reply);
      Promise.resolve(reply).then(
        (value) => finish(undefined, value),
        (err: unknown) => finish(err ?? new Error('rejected')),
      );
    };
  }
  return (call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>) => {
    let done = false;
    const fail = (err: unknown): void => {
      if (done) return;
      done = true;
      settle(ctx, env);
      call.emit('error', statusOf(err, ctx, env));
    };
    // Reply streams have no server timeout: they last as long as the client wants.
    const ctx = contextFor(call, operation, env, 0, fail);
    // A stream waiting to write must wake the moment the client goes: listen for it once per call.
    ctx.listen();
    const req = schema.requestStream ? incoming(call as unknown as ServerReadableStream<unknown, unknown>, ctx) : (call as ServerWritableStream<unknown, unknown>).request;
    if (!chainRefusals && req instanceof RefusedRequest) return fail(req.error);
    env.run(ctx, async () => writeAll(call as ServerWritableStream<unknown, unknown>, ctx, await handler(req, ctx), schema.responseType)).then(
      () => {
        if (done) return;
        done = true;
        settle(ctx, env);
        sendHeaders(call, ctx);
        call.end();
      },
      (err: unknown) => fail(err ?? new Error('rejected')),
    );
  };
}
