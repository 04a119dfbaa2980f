import type { Duplex } from 'node:stream';
import { KratosError } from '../../errors/index.js';
import { errorBodyText } from './reply.js';

// Requests node rejects before routing (oversized head, malformed, too slow) still get a Kratos body.
export function onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage !== undefined) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'HEADERS_TOO_LARGE', 'request headers too large']
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'REQUEST_TIMEOUT', 'request not received in time']
    : [400, 'BAD_REQUEST', 'malformed request'];
  const body = errorBodyText({ code: status, reason, message, metadata: {} });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** The path of an absolute-form request target (`GET http://host/p`), which routes by its path as Koa does. */
export function absolutePath(target: string): string {
  try {
    return new URL(target).pathname;
  } catch {
    return target === '*' ? '*' : `/${target}`;
  }
}

/** The 504 of a request whose deadline passed. */
export function timeoutError(ms: number): KratosError {
  return new KratosError(504, 'TIMEOUT', `request timeout after ${ms}ms`);
}
