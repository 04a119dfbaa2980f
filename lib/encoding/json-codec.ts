import type protobuf from 'protobufjs';
import type { Codec } from './codec.js';
import { codecError, errorMessage } from './errors.js';
import { checkJsonBudget, readJson } from './json-tree.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './limits.js';
import { fromProtoJson } from './proto-json.js';
import { compiledJsonWriter } from './proto-json-fast.js';
import { ProtoJsonWriter, stringifyProtoJson } from './proto-json-write.js';
import { isUnsafeKey, mentionsUnsafeKey } from './safe-keys.js';
import { bodyText } from './text.js';

function dropUnsafeKeys(key: string, value: unknown): unknown {
  return isUnsafeKey(key) ? undefined : value;
}

/** JSON.parse within `limits` that never yields `__proto__`-style keys; the reviver only runs when one could be there. */
export function parseJson(text: string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): unknown {
  checkJsonBudget(text, limits);
  try {
    return mentionsUnsafeKey(text) ? JSON.parse(text, dropUnsafeKeys) : JSON.parse(text);
  } catch (err) {
    throw codecError(`body unmarshal: ${errorMessage(err)}`, err);
  }
}

/**
 * `application/json`. Messages use proto3 JSON as Go's protojson does with Kratos' options
 * (EmitUnpopulated out, DiscardUnknown in, 64-bit numbers read from their digits); anything else is
 * plain JSON. Both are held to `limits` (depth, keys, elements) before anything is built.
 */
export class JsonCodec implements Codec {
  readonly name = 'json';
  readonly contentType = 'application/json';
  readonly #limits: DecodeLimits;

  /** `limits`: what one body may cost to decode (see {@link DecodeLimits}). */
  constructor(limits: DecodeLimits = DEFAULT_DECODE_LIMITS) {
    this.#limits = limits;
  }

  marshal(value: unknown, type?: protobuf.Type): Buffer {
    return Buffer.from(this.marshalText(value, type), 'utf8');
  }

  /**
   * The JSON text {@link marshal} encodes as UTF-8. The HTTP server writes it as it is when `marshal`
   * is this class' own, skipping the bytes (see {@link jsonTextOf}).
   */
  marshalText(value: unknown, type?: protobuf.Type): string {
    if (type !== undefined) {
      const text = compiledJsonWriter(type)?.(value);
      if (text !== undefined) return text;
      const writer = new ProtoJsonWriter(type.root);
      return stringifyProtoJson(writer, writer.write(type, value));
    }
    // JSON.stringify(undefined) is undefined; an absent reply is sent as JSON null.
    return JSON.stringify(value) ?? 'null';
  }

  unmarshal(data: Buffer, type?: protobuf.Type): unknown {
    const text = bodyText(data);
    if (type === undefined) return parseJson(text, this.#limits);
    return fromProtoJson(type, readJson(text, this.#limits));
  }
}

const OWN_MARSHAL = JsonCodec.prototype.marshal;

/**
 * `value` as the JSON text `codec.marshal` would encode, when `codec` is a {@link JsonCodec} whose
 * `marshal` is its own (so its bytes are exactly this text's UTF-8); undefined for any other codec.
 */
export function jsonTextOf(codec: Codec, value: unknown, type?: protobuf.Type): string | undefined {
  return codec.marshal === OWN_MARSHAL ? (codec as JsonCodec).marshalText(value, type) : undefined;
}
