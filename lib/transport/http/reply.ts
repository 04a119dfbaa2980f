import type { ServerResponse } from 'node:http';
import protobuf from 'protobufjs';
import type { Codec } from '../../encoding/index.js';
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

// Kratos' errors.Status (§4), so an error reply can be proto-encoded for clients that accept only proto.
const StatusType = protobuf.Root.fromJSON({
  nested: {
    Status: {
      fields: { code: { type: 'int32', id: 1 }, reason: { type: 'string', id: 2 }, message: { type: 'string', id: 3 }, metadata: { keyType: 'string', type: 'string', id: 4 } },
    },
  },
} as protobuf.INamespace).lookupType('Status');

/** The Kratos error body in the client's codec, keys in wire order. */
export function errorBody(e: Status, codec: Codec, json: Codec): { contentType: string; bytes: Buffer } {
  const status = { code: e.code, reason: e.reason, message: e.message, metadata: e.metadata };
  try {
    return { contentType: codec.contentType, bytes: codec.marshal(status, codec.name === 'proto' ? StatusType : undefined) };
  } catch {
    return { contentType: json.contentType, bytes: json.marshal(status) };
  }
}

/** A status code a response can carry; anything else becomes 500. */
export function httpStatus(code: number): number {
  return Number.isInteger(code) && code >= 200 && code <= 599 ? code : 500;
}

/** The Kratos error body as JSON text. */
export function errorBodyText(e: Status): string {
  return JSON.stringify({ code: e.code, reason: e.reason, message: e.message, metadata: e.metadata });
}
