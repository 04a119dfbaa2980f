import type { EventEmitter } from 'node:events';
import { Metadata } from '@grpc/grpc-js';
import { FrameworkError, publicError, STATUS_DETAILS_KEY, toGrpcStatus } from '../../errors/index.js';
import type { Admission } from '../admission.js';

type StreamListener = (this: unknown, stream: RefusableStream, headers: Record<string, unknown>, ...rest: unknown[]) => void;

interface RefusableStream {
  readonly destroyed: boolean;
  readonly closed: boolean;
  respond(headers: Record<string, unknown>, options: { endStream: boolean }): void;
  once(event: 'close' | 'error', fn: (...args: unknown[]) => void): unknown;
}

const ignore = (): void => undefined;

/** What grpc-js answers a call whose deadline passed (trailers only). */
const DEADLINE_TRAILERS = { 'grpc-status': 4, 'grpc-message': encodeURI('Deadline exceeded'), ':status': 200, 'content-type': 'application/grpc+proto' };
const TIMEOUT_UNITS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

/** The client's deadline as `performance.now()` ms from its `grpc-timeout` header read at `now`, or Infinity. */
function deadlineOf(timeout: unknown, now: number): number {
  if (typeof timeout !== 'string' || timeout.length < 2) return Infinity;
  const unit = TIMEOUT_UNITS[timeout[timeout.length - 1]!];
  const value = Number(timeout.slice(0, -1));
  return unit === undefined || !Number.isFinite(value) ? Infinity : now + value * unit;
}

/** Answers a stream without grpc-js: trailers only, a client reset after it ignored. */
function answer(stream: RefusableStream, trailers: Record<string, unknown>): void {
  // A stream reset by the client after the reply would otherwise emit an unhandled 'error'.
  stream.once('error', ignore);
  try {
    stream.respond(trailers, { endStream: true });
  } catch {
    // Already reset by the client or closed with its session: nothing is left to answer.
  }
}

/**
 * The trailers-only reply grpc-js sends when a handler fails with `refusal` before sending anything:
 * the same header fields in the same order (grpc-js' status, its default response headers, then the
 * status metadata with the Kratos details in `grpc-status-details-bin`).
 */
export function refusalTrailers(admission: Admission, exposeErrorDetail: boolean): Record<string, unknown> {
  const s = toGrpcStatus(publicError(admission.refusal, exposeErrorDetail));
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, s.statusDetails);
  return { 'grpc-status': s.code, 'grpc-message': encodeURI(s.details), ':status': 200, 'content-type': 'application/grpc+proto', ...metadata.toHttp2Headers() };
}

/**
 * Puts `admission` in front of grpc-js on one of its HTTP/2 servers (docs/resilience-and-security.md#shedding-at-the-front-door):
 * every gRPC stream is decided on as it opens, before grpc-js builds a call, reads the message or runs
 * any middleware. A refused one gets the prebuilt RESOURCE_EXHAUSTED (trailers only) and grpc-js never
 * sees it; an admitted one reports its end to the admission when the stream closes. Streams that are
 * not gRPC (no `application/grpc` content type) pass untouched, for grpc-js to answer. With a pacer
 * in the admission, admitted streams reach grpc-js when it hands them over.
 */
export function frontDoor(http2Servers: Iterable<EventEmitter> | undefined, admission: Admission, exposeErrorDetail: boolean): void {
  if (http2Servers === undefined) {
    // A grpc-js that no longer keeps its HTTP/2 servers where we look: fail at start, not silently unguarded.
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'GrpcServer: option `admission` needs the HTTP/2 servers of grpc-js, which this version of @grpc/grpc-js does not expose');
  }
  for (const server of http2Servers) guard(server, admission, exposeErrorDetail);
}

function guard(http2Server: EventEmitter, admission: Admission, exposeErrorDetail: boolean): void {
  const trailers = refusalTrailers(admission, exposeErrorDetail);
  const hold = admission.hold?.bind(admission);
  const listeners = http2Server.listeners('stream') as StreamListener[];
  http2Server.removeAllListeners('stream');
  http2Server.on('stream', function (this: unknown, stream: RefusableStream, headers: Record<string, unknown>, ...rest: unknown[]) {
    const path = headers[':path'];
    const type = headers['content-type'];
    if (typeof path === 'string' && typeof type === 'string' && type.startsWith('application/grpc')) {
      const done = admission.admit(path);
      if (done === undefined) return answer(stream, trailers);
      if (hold === undefined) stream.once('close', done);
      else {
        // grpc-js listens for a stream's errors only once it has the stream: a reset while held would be uncaught.
        stream.once('error', ignore);
        // A held stream whose client reset it is dropped; one whose deadline passed while held is
        // answered as grpc-js would, one the admission refuses now with the refusal, without running.
        // Two loop iterations let a reply's status out (node writes it an iteration after the handler,
        // from a setImmediate) before the next call runs.
        const deadline = deadlineOf(headers['grpc-timeout'], performance.now());
        return hold(done, (refused) => {
          if (stream.destroyed || stream.closed) return false;
          if (refused) return answer(stream, trailers), false;
          if (performance.now() >= deadline) return answer(stream, DEADLINE_TRAILERS), false;
          stream.once('close', done);
          for (const listener of listeners) listener.call(this, stream, headers, ...rest);
          return true;
        }, 2);
      }
    }
    for (const listener of listeners) listener.call(this, stream, headers, ...rest);
  });
}
