import { FormCodec } from './form-codec.js';
import { JsonCodec } from './json-codec.js';
import { decodeLimits, type DecodeLimits } from './limits.js';
import { ProtoCodec } from './proto-codec.js';
import { CodecRegistry } from './registry.js';
import { XmlCodec } from './xml-codec.js';
import { YamlCodec } from './yaml-codec.js';

/**
 * A new registry with json, proto (also 'x-protobuf' and 'protobuf'), x-www-form-urlencoded,
 * yaml (also 'x-yaml') and xml, each decoding within `limits` (defaults: DEFAULT_DECODE_LIMITS).
 * Each call returns its own registry, safe to extend.
 */
export function defaultCodecs(limits: Partial<DecodeLimits> = {}): CodecRegistry {
  const l = decodeLimits(limits);
  const registry = new CodecRegistry();
  registry.register(new JsonCodec(l));
  registry.register(new ProtoCodec(l), 'x-protobuf', 'protobuf');
  registry.register(new FormCodec(l));
  registry.register(new YamlCodec(l), 'x-yaml');
  registry.register(new XmlCodec(l));
  return registry;
}
