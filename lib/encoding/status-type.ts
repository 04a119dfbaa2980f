import protobuf from 'protobufjs';
import type { MessageType } from './codec.js';

/**
 * Kratos' errors.Status (code, reason, message, metadata), so an error body can be written by codecs
 * that need a schema: proto for clients that accept only proto, `metadata[k]=v` in forms.
 */
export const STATUS_TYPE: MessageType = protobuf.Root.fromJSON({
  nested: {
    Status: {
      fields: { code: { type: 'int32', id: 1 }, reason: { type: 'string', id: 2 }, message: { type: 'string', id: 3 }, metadata: { keyType: 'string', type: 'string', id: 4 } },
    },
  },
} as protobuf.INamespace).lookupType('Status');
