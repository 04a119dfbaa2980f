import type { MethodDefinition } from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import { checkProtoBudget, DEFAULT_DECODE_LIMITS } from '../../encoding/index.js';
import type { Handler } from '../../middleware/index.js';
import type { MethodSchema } from '../../proto/index.js';
import { RefusedRequest } from '../refused.js';

/** What the gRPC server needs to know about one rpc: lib/proto's MethodSchema without its HTTP rules. */
export type GrpcMethodSchema = Omit<MethodSchema, 'http'>;

/** An rpc with its handler; the handler already carries its middleware. */
export interface GrpcMethod {
  schema: GrpcMethodSchema;
  /**
   * Unary: `(request, ctx) => reply`. Client streaming: the request is an AsyncIterable of messages.
   * Server streaming and bidi: the reply is an AsyncIterable of messages.
   */
  handler: Handler;
  /**
   * The handler takes a {@link RefusedRequest} when the request cannot be deserialized, and throws its
   * error inside its middleware chain (handlers built by the app do); otherwise the server answers it.
   */
  acceptsRefused?: boolean | undefined;
}

/** How messages look in handlers: protobufjs plain objects, 64-bit as strings, enums as names. */
export const MESSAGE_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, arrays: true, objects: true };

/**
 * A handler's plain object as protobuf bytes, appended to `writer` (a new one when absent): the one
 * way messages are encoded for grpc-js, one at a time, and by the batching reply sink, many into one writer.
 */
export function encodeObject(type: protobuf.Type, object: unknown, writer?: protobuf.Writer): protobuf.Writer {
  return type.encode(type.fromObject(object as Record<string, unknown>), writer);
}

/** The encoded bytes as a Buffer without copying them (protobufjs already returns a Buffer on Node). */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/**
 * Below this many bytes a request cannot break the decode budget, so it is not walked: each nested
 * message costs at least a tag and a length byte, each repeated element at least one byte.
 */
const UNCHECKED_BELOW = Math.min(2 * DEFAULT_DECODE_LIMITS.maxDepth, DEFAULT_DECODE_LIMITS.maxElements);

/** The grpc-js definition of an rpc, (de)serialising with protobufjs reflection. */
export function methodDefinition(m: GrpcMethodSchema): MethodDefinition<unknown, unknown> {
  const Req = m.requestType;
  const Res = m.responseType;
  return {
    path: m.operation,
    requestStream: m.requestStream,
    responseStream: m.responseStream,
    originalName: m.name,
    requestSerialize: (o) => asBuffer(encodeObject(Req, o).finish()),
    // The same budget as HTTP bodies: protobufjs decodes nested messages recursively. grpc-js answers
    // a throwing deserializer with INTERNAL, so a unary request over budget travels to the handler as
    // a RefusedRequest, which the call handler turns into InvalidArgument.
    requestDeserialize: (b) => {
      try {
        if (b.length >= UNCHECKED_BELOW) checkProtoBudget(Req, b, DEFAULT_DECODE_LIMITS);
      } catch (err) {
        if (m.requestStream) throw err;
        return new RefusedRequest(err);
      }
      return Req.toObject(Req.decode(b), MESSAGE_OBJECT);
    },
    responseSerialize: (o) => asBuffer(encodeObject(Res, o).finish()),
    responseDeserialize: (b) => Res.toObject(Res.decode(b), MESSAGE_OBJECT),
  };
}
