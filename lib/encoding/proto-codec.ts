import protobuf from 'protobufjs';
import { KratosError } from '../errors/index.js';
import type { Codec } from './codec.js';
import { toCanonical } from './canonical.js';
import { CODEC_REASON, codecError, errorMessage } from './errors.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './limits.js';
import { checkProtoBudget } from './proto-budget.js';

function needType(): KratosError {
  return new KratosError(415, CODEC_REASON, 'proto codec needs a message type');
}

/**
 * Protobuf binary, `application/x-protobuf`; registered as 'proto' (Kratos' `application/proto`)
 * with the aliases 'x-protobuf' and 'protobuf'. Only messages can be written or read.
 */
export class ProtoCodec implements Codec {
  readonly name = 'proto';
  readonly contentType = 'application/x-protobuf';
  readonly #limits: DecodeLimits;

  /** `limits`: what one body may cost to decode (see {@link DecodeLimits}). */
  constructor(limits: DecodeLimits = DEFAULT_DECODE_LIMITS) {
    this.#limits = limits;
  }

  marshal(value: unknown, type?: protobuf.Type): Buffer {
    if (type === undefined) throw needType();
    const message = value instanceof protobuf.Message ? value : type.fromObject((value ?? {}) as Record<string, unknown>);
    const bytes = type.encode(message).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  unmarshal(data: Buffer, type?: protobuf.Type): unknown {
    if (type === undefined) throw needType();
    checkProtoBudget(type, data, this.#limits);
    let message: protobuf.Message;
    try {
      message = type.decode(data);
    } catch (err) {
      throw codecError(`body unmarshal: ${errorMessage(err)}`, err);
    }
    return toCanonical(type, message);
  }
}
