import type { sendUnaryData, ServerUnaryCall, ServerWritableStream, UntypedHandleCall } from '@grpc/grpc-js';
import { fromGrpcStatus, type GrpcStatusLike } from '../../errors/index.js';
import type { Handler } from '../../middleware/index.js';
import { statusOf, type CallEnv } from './call-handlers.js';
import { GrpcContext, type CancellableCall } from './grpc-context.js';
import type { RawService } from './grpc-server.js';

/** Wraps one rpc's handler (`next` runs the raw implementation) in the middleware for its operation. */
export type GuardFor = (operation: string) => (next: Handler) => Handler;

interface MethodShape {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
}

type AnyStreamCall = ServerWritableStream<unknown, unknown>;

function contextOf(call: CancellableCall & { getDeadline(): Date | number }, operation: string, env: CallEnv): GrpcContext {
  const d = call.getDeadline();
  const deadline = d instanceof Date ? d.getTime() : Number.isFinite(d) ? Number(d) : undefined;
  return new GrpcContext(operation, env.endpoint, call, deadline);
}

/**
 * A service implemented directly on grpc-js (health, reflection) whose calls run through server
 * middleware like the app's own rpcs, under their full method path as the operation
 * (`/grpc.reflection.v1.ServerReflection/ServerReflectionInfo`): a selector and JWT cover them too.
 * The middleware sees the unary request (or the first of a server stream); a streamed reply is
 * written by the raw implementation once the middleware let the call in, and the call counts as
 * ended when its stream does.
 */
export function guardService(service: RawService, guardFor: GuardFor, env: CallEnv): RawService {
  const implementation: RawService['implementation'] = {};
  for (const [name, shape] of Object.entries(service.definition) as [string, MethodShape][]) {
    const raw = service.implementation[name] as (...args: unknown[]) => void;
    implementation[name] = shape.responseStream || shape.requestStream ? guardStream(shape, raw, guardFor(shape.path), env) : guardUnary(shape, raw, guardFor(shape.path), env);
  }
  return { definition: service.definition, implementation };
}

function guardUnary(shape: MethodShape, raw: (...args: unknown[]) => void, wrap: (next: Handler) => Handler, env: CallEnv): UntypedHandleCall {
  const handler = wrap(
    (_req, ctx) =>
      new Promise((resolve, reject) => {
        const call = (ctx as GrpcContext & { call: ServerUnaryCall<unknown, unknown> }).call;
        // A raw failure is a gRPC status; as a Kratos error it passes recovery and logging unchanged.
        raw(call, (err: GrpcStatusLike | null, value: unknown) => (err === null || err === undefined ? resolve(value) : reject(fromGrpcStatus(err))));
      }),
  );
  return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
    const ctx = Object.assign(contextOf(call, shape.path, env), { call });
    env.run(ctx, () => handler(call.request, ctx)).then(
      (value) => {
        ctx.settle();
        callback(null, value);
      },
      (err: unknown) => {
        ctx.settle();
        callback(statusOf(err, ctx, env));
      },
    );
  };
}

function guardStream(shape: MethodShape, raw: (...args: unknown[]) => void, wrap: (next: Handler) => Handler, env: CallEnv): UntypedHandleCall {
  const handler = wrap(
    (_req, ctx) =>
      new Promise<undefined>((resolve) => {
        const call = (ctx as GrpcContext & { call: AnyStreamCall }).call;
        const ended = (): void => resolve(undefined);
        call.once('finish', ended);
        call.once('close', ended);
        call.once('cancelled', ended);
        (ctx as GrpcContext & { started: boolean }).started = true;
        raw(call);
      }),
  );
  return (call: AnyStreamCall) => {
    const ctx = Object.assign(contextOf(call, shape.path, env), { call, started: false });
    // The client's cancellation aborts the call as on the app's own streams (499 CANCELLED), until it
    // settles: grpc-js reports every ended call as cancelled afterwards, a finished one too.
    ctx.listen();
    const req = shape.requestStream ? undefined : (call as unknown as { request: unknown }).request;
    env.run(ctx, () => handler(req, ctx)).then(
      () => ctx.settle(),
      (err: unknown) => {
        ctx.settle();
        // Refused before the raw implementation ran (401, 429...): the call ends with that status.
        if (!ctx.started) call.emit('error', statusOf(err, ctx, env));
      },
    );
  };
}
