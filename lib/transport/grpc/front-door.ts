import type { EventEmitter } from 'node:events';
import { Metadata } from '@grpc/grpc-js';
import { FrameworkError, publicError, STATUS_DETAILS_KEY, toGrpcStatus } from '../../errors/index.js';
import type { Admission } from '../admission.js';

type StreamListener = (this: unknown, stream: RefusableStream, headers: Record<string, unknown>, ...rest: unknown[]) => void;

interface RefusableStream {
  respond(headers: Record<string, unknown>, options: { endStream: boolean }): void;
  once(event: 'close' | 'error', fn: (...args: unknown[]) => void): unknown;
}

const ignore = (): void => undefined;

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
 * not gRPC (no `application/grpc` content type) pass untouched, for grpc-js to answer.
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
  const listeners = http2Server.listeners('stream') as StreamListener[];
  http2Server.removeAllListeners('stream');
  http2Server.on('stream', function (this: unknown, stream: RefusableStream, headers: Record<string, unknown>, ...rest: unknown[]) {
    const path = headers[':path'];
    const type = headers['content-type'];
    if (typeof path === 'string' && typeof type === 'string' && type.startsWith('application/grpc')) {
      const done = admission.admit(path);
      if (done === undefined) {
        // A stream reset by the client after the reply would otherwise emit an unhandled 'error'.
        stream.once('error', ignore);
        try {
          stream.respond(trailers, { endStream: true });
        } catch {
          // Already reset by the client or closed with its session: nothing is left to answer.
        }
        return;
      }
      stream.once('close', done);
    }
    for (const listener of listeners) listener.call(this, stream, headers, ...rest);
  });
}
