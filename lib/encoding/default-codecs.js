import { FormCodec } from './form-codec.js';
import { JsonCodec } from './json-codec.js';
import { ProtoCodec } from './proto-codec.js';
import { CodecRegistry } from './registry.js';
import { XmlCodec } from './xml-codec.js';
import { YamlCodec } from './yaml-codec.js';
/**
 * A new registry with json, proto (also 'x-protobuf' and 'protobuf'), x-www-form-urlencoded,
 * yaml (also 'x-yaml') and xml. Each call returns its own registry, safe to extend.
 */
export function defaultCodecs() {
    const registry = new CodecRegistry();
    registry.register(new JsonCodec());
    registry.register(new ProtoCodec(), 'x-protobuf', 'protobuf');
    registry.register(new FormCodec());
    registry.register(new YamlCodec(), 'x-yaml');
    registry.register(new XmlCodec());
    return registry;
}
