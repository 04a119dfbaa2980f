import type { ServerResponse } from 'node:http';
import type { Negotiated } from '../../encoding/index.js';
import type { Status } from '../../errors/index.js';
import { codecResponseEncoder, replyText, type ResponseEncoder } from './codecs.js';
import type { HttpContext } from './http-context.js';

export { writeStream, NDJSON, EVENT_STREAM } from './stream-reply.js';

/** Bodies up to this size are sent in one chunk with the head (see {@link writeReply}). */
const JOINED_BODY_LIMIT = 16 * 1024;

/**
 * Writes a complete response: one writeHead with the headers as a flat list (node builds no header
 * object unless a middleware set headers first, which it then merges as setHeader would), one end.
 * node joins a string body to the head and writes both as one chunk, where a Buffer body is a chunk
 * of its own, costing the socket write a second buffer: a small body goes as latin1 text, which
 * writes back exactly its bytes. `body` undefined writes none.
 */
export function writeReply(res: ServerResponse, status: number, body: { contentType: string; bytes: Buffer } | undefined, closing: boolean, head: boolean): void {
  if (res.headersSent || res.writableEnded) return;
  if (body === undefined) {
    res.writeHead(status, closing ? ['connection', 'close', 'content-length', '0'] : ['content-length', '0']);
    res.end();
    return;
  }
  const { bytes } = body;
  writeBodyHead(res, status, body.contentType, bytes.length, closing);
  if (head) res.end();
  else if (bytes.length <= JOINED_BODY_LIMIT) res.end(bytes.toString('latin1'), 'latin1');
  else res.end(bytes);
}

// The head of a response with a body, as one flat list (see writeReply).
function writeBodyHead(res: ServerResponse, status: number, contentType: string, size: number, closing: boolean): void {
  const length = String(size);
  res.writeHead(status, closing ? ['connection', 'close', 'content-type', contentType, 'content-length', length] : ['content-type', contentType, 'content-length', length]);
}

/**
 * Writes a route's reply (200): the default encoder's JSON as text, not as bytes turned back into
 * text; any other encoder's body as its bytes.
 */
export function sendReply(ctx: HttpContext, encode: ResponseEncoder, reply: unknown, negotiated: Negotiated, closing: boolean): void {
  const head = ctx.req.method === 'HEAD';
  const text = encode === codecResponseEncoder ? replyText(reply, negotiated) : undefined;
  if (text !== undefined) writeTextReply(ctx.res, 200, negotiated.contentType, text, closing, head);
  else writeReply(ctx.res, 200, encode(reply, negotiated, ctx), closing, head);
}

/**
 * Writes a complete response whose body is text (the JSON of a reply), as {@link writeReply} writes
 * its UTF-8 bytes: node joins the text to the head and encodes both in one write, with no Buffer of
 * the body in between.
 */
export function writeTextReply(res: ServerResponse, status: number, contentType: string, text: string, closing: boolean, head: boolean): void {
  if (res.headersSent || res.writableEnded) return;
  const size = Buffer.byteLength(text, 'utf8');
  writeBodyHead(res, status, contentType, size, closing);
  if (head) res.end();
  else if (size <= JOINED_BODY_LIMIT) res.end(text, 'utf8');
  else res.end(Buffer.from(text, 'utf8'));
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
