import { once } from 'node:events';
import {
  Metadata,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedHandleCall,
} from '@grpc/grpc-js';
import { findKratosError, KratosError, STATUS_DETAILS_KEY, toGrpcStatus } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import { runWithContext } from '../context.js';
import { GrpcContext } from './grpc-context.js';
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
}

function deadlineOf(call: AnyCall, serverTimeout: number): number | undefined {
  const d = call.getDeadline();
  const client = d instanceof Date ? d.getTime() : Number.isFinite(d) ? Number(d) : undefined;
  const server = serverTimeout > 0 ? Date.now() + serverTimeout : undefined;
  if (client === undefined) return server;
  return server === undefined ? client : Math.min(client, server);
}

function deadlineError(): KratosError {
  return new KratosError(504, 'DEADLINE_EXCEEDED', 'deadline exceeded');
}

/** Wires a call's cancellation and deadline to its context; returns the cleanup. */
function watch(call: AnyCall, ctx: GrpcContext, onDeadline: () => void): () => void {
  const onCancel = (): void => ctx.abort(new KratosError(499, 'CANCELLED', 'call cancelled by the client'));
  call.once('cancelled', onCancel);
  const timer = ctx.deadline === undefined ? undefined : setTimeout(() => {
    ctx.abort(deadlineError());
    onDeadline();
  }, Math.max(0, ctx.deadline - Date.now()));
  return () => {
    call.off('cancelled', onCancel);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/** The grpc-js status object for an error, details in `grpc-status-details-bin` (§4). */
function statusOf(err: unknown, ctx: GrpcContext, env: CallEnv): { code: number; details: string; metadata: Metadata } {
  if (findKratosError(err) === undefined) env.logger.log('error', 'msg', 'request failed', 'operation', ctx.operation, 'error', err);
  const s = toGrpcStatus(err);
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, s.statusDetails);
  return { code: s.code, details: s.details, metadata };
}

function sendHeaders(call: AnyCall, ctx: GrpcContext): void {
  if (ctx.headersSent) return;
  ctx.headersSent = true;
  if (!ctx.replyHeader.empty) call.sendMetadata(ctx.replyHeader.metadata);
}

// A client stream as an AsyncIterable that ends when the call is cancelled. The default iterator
// destroys the stream when it finishes, which for a bidi call would kill the reply side too.
async function* incoming(call: ServerReadableStream<unknown, unknown>, ctx: GrpcContext): AsyncIterable<unknown> {
  for await (const msg of call.iterator({ destroyOnReturn: false })) {
    if (ctx.signal.aborted) return;
    yield msg;
  }
}

async function writeAll(call: ServerWritableStream<unknown, unknown>, ctx: GrpcContext, out: unknown): Promise<void> {
  if (out === null || typeof out !== 'object' || !(Symbol.asyncIterator in out || Symbol.iterator in out)) {
    throw new KratosError(500, 'UNKNOWN', `${ctx.operation}: a streaming handler must return an iterable`);
  }
  for await (const item of out as AsyncIterable<unknown>) {
    if (ctx.signal.aborted) return;
    sendHeaders(call, ctx);
    if (!call.write(item)) await Promise.race([once(call, 'drain'), once(ctx.signal, 'abort')]);
  }
}

/** The grpc-js handler for `m`, running its chain once per call whatever the call kind. */
export function callHandler(m: GrpcMethod, env: CallEnv): UntypedHandleCall {
  const { schema, handler } = m;
  const streamTimeout = schema.responseStream ? 0 : env.timeout;
  if (!schema.responseStream) {
    return (call: ServerUnaryCall<unknown, unknown> | ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      const ctx = new GrpcContext(schema.operation, env.endpoint, call.metadata, deadlineOf(call, streamTimeout));
      let done = false;
      const finish = (err: unknown, reply?: unknown): void => {
        if (done) return;
        done = true;
        cleanup();
        if (err !== undefined) return callback(statusOf(err, ctx, env));
        sendHeaders(call, ctx);
        callback(null, reply);
      };
      const cleanup = watch(call, ctx, () => finish(deadlineError()));
      const req = schema.requestStream ? incoming(call as ServerReadableStream<unknown, unknown>, ctx) : (call as ServerUnaryCall<unknown, unknown>).request;
      runWithContext(ctx, () => handler(req, ctx)).then((reply) => finish(undefined, reply), (err: unknown) => finish(err ?? new Error('rejected')));
    };
  }
  return (call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>) => {
    const ctx = new GrpcContext(schema.operation, env.endpoint, call.metadata, deadlineOf(call, 0));
    let done = false;
    const fail = (err: unknown): void => {
      if (done) return;
      done = true;
      cleanup();
      call.emit('error', statusOf(err, ctx, env));
    };
    const cleanup = watch(call, ctx, () => fail(deadlineError()));
    const req = schema.requestStream ? incoming(call as unknown as ServerReadableStream<unknown, unknown>, ctx) : (call as ServerWritableStream<unknown, unknown>).request;
    runWithContext(ctx, async () => writeAll(call as ServerWritableStream<unknown, unknown>, ctx, await handler(req, ctx))).then(
      () => {
        if (done) return;
        done = true;
        cleanup();
        sendHeaders(call, ctx);
        call.end();
      },
      (err: unknown) => fail(err ?? new Error('rejected')),
    );
  };
}
