import type { ServerResponse } from 'node:http';
import type { Status } from '../../errors/index.js';

const JSON_TYPE = 'application/json';

/** Writes a complete response; `body` undefined writes none. */
export function writeReply(res: ServerResponse, status: number, body: string | undefined, closing: boolean, head: boolean): void {
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = status;
  if (closing) res.setHeader('connection', 'close');
  if (body === undefined) {
    res.setHeader('content-length', 0);
    res.end();
    return;
  }
  res.setHeader('content-type', JSON_TYPE);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(head ? undefined : body);
}

/** The Kratos error body, keys in wire order. */
export function errorBody(e: Status): string {
  return JSON.stringify({ code: e.code, reason: e.reason, message: e.message, metadata: e.metadata });
}

/** A status code a response can carry; anything else becomes 500. */
export function httpStatus(code: number): number {
  return Number.isInteger(code) && code >= 200 && code <= 599 ? code : 500;
}
