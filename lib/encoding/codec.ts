import type protobuf from 'protobufjs';

/**
 * The schema of a message as codecs read it. Transports pass it through to codecs without looking
 * inside (as Kratos passes a typed value), so they need not know protobufjs.
 */
export type MessageType = protobuf.Type;

/**
 * A body format shared by the HTTP and gRPC transports (docs/proto-first.md#codecs). With a message `type`, values are
 * canonical objects of that type (see {@link CANONICAL}); without one they are plain JS values.
 */
export interface Codec {
  /** Registry key and content subtype: 'json', 'proto', 'x-www-form-urlencoded', 'yaml', 'xml'. */
  readonly name: string;
  /** The Content-Type written on bodies this codec produces, e.g. 'application/json'. */
  readonly contentType: string;
  /** value -> bytes. With `type`, value is a canonical object of that message type. */
  marshal(value: unknown, type?: MessageType): Buffer;
  /** bytes -> value. With `type`, returns a canonical object; without, a plain JS value. Throws KratosError 400 CODEC on malformed input. */
  unmarshal(data: Buffer, type?: MessageType): unknown;
}
