import type { ServerResponse } from 'node:http';
import type { Status } from '../../errors/index.js';

export { writeStream, NDJSON, EVENT_STREAM } from './stream-reply.js';

/** Writes a complete response; `body` undefined writes none. */
export function writeReply(res: ServerResponse, status: number, body: { contentType: string; bytes: Buffer } | undefined, closing: boolean, head: boolean): void {
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = status;
  if (closing) res.setHeader('connection', 'close');
  if (body === undefined) {
    res.setHeader('content-length', 0);
    res.end();
    return;
  }
  res.setHeader('content-type', body.contentType);
  res.setHeader('content-length', body.bytes.length);
  res.end(head ? undefined : body.bytes);
}

/**
 * A google.api.HttpBody reply as grpc-gateway writes it: its bytes (`data`, a Buffer/Uint8Array or
 * base64 as protobufjs reads bytes) under its own `contentType` (default application/octet-stream).
 */
export function rawHttpBody(value: unknown): { contentType: string; bytes: Buffer } {
  const v = (value ?? {}) as { contentType?: unknown; content_type?: unknown; data?: unknown };
  const type = String(v.contentType ?? v.content_type ?? '');
  const data = v.data instanceof Uint8Array ? Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength) : Buffer.from(typeof v.data === 'string' ? v.data : '', 'base64');
  return { contentType: type === '' ? 'application/octet-stream' : type, bytes: data };
}

/** A status code a response can carry; anything else becomes 500. */
export function httpStatus(code: number): number {
  return Number.isInteger(code) && code >= 200 && code <= 599 ? code : 500;
}

/** The Kratos error body as JSON text. */
export function errorBodyText(e: Status): string {
  return JSON.stringify({ code: e.code, reason: e.reason, message: e.message, metadata: e.metadata });
}
